/** 报送情况 for a 片区 or ops, and its 催报 list as CSV. */
import type { z } from "zod";
import { csvResponse } from "../../api/http.ts";
import type { completenessSchema } from "../../api/schemas.ts";
import { reportingMonth } from "../model.ts";
import { CHASE_COLUMNS, type ChaseEntry, completenessView } from "../views/completeness.ts";
import { beijingTime } from "../views/components.ts";
import { W } from "../wording.ts";
import { monthParam, recentMonths, subtreeUnits } from "./common.ts";
import { renderPage } from "./shell.ts";
import type { PageRoute } from "./types.ts";

type Completeness = z.output<typeof completenessSchema>;
/** Fields the read side adds to each unit entry (optional until every deployment has them). */
type UnitEntry = Completeness["missing"][number] & {
  last_reporter?: string;
  last_phone?: string;
  days_late?: number;
};

/** The 催报 list's CSV reads at most this many API pages (100 units each). */
const CSV_PAGES = 50;

export const completenessPage: PageRoute = {
  method: "GET",
  path: "/web/completeness",
  async handle(ctx) {
    const month = monthParam(ctx.query.period, reportingMonth(ctx.now));
    const scope = ctx.query.scope || ctx.viewer.code;
    const csv = ctx.query.format === "csv";
    // Units per page of the 催报 list (the API's default 100; it checks the bound, 1–500).
    const limit = /^\d{1,3}$/.test(ctx.query.limit ?? "") ? ctx.query.limit : undefined;
    const fetchPage = (cursor: string | undefined) =>
      ctx.api<Completeness>("GET", "/v1/completeness", {
        query: { scope, period: month, ...(limit ? { limit } : {}), ...(cursor ? { cursor } : {}) },
      });
    const [answer, units] = await Promise.all([
      fetchPage(csv ? undefined : ctx.query.cursor),
      subtreeUnits(ctx),
    ]);
    const entry = (u: UnitEntry, kind: ChaseEntry["kind"]): ChaseEntry => ({
      code: u.code,
      name: u.name,
      parent: u.parent?.name ?? "",
      kind,
      daysLate: u.days_late,
      reporter: u.last_reporter,
      phone: u.last_phone,
      reminders: u.reminders,
      lastReminded: u.last_reminded_at,
    });
    const chaseOf = (a: Completeness): ChaseEntry[] => [
      ...(a.missing as UnitEntry[]).map((u) => entry(u, "missing")),
      ...(a.late as UnitEntry[]).map((u) => entry(u, "late")),
    ];
    const chase = chaseOf(answer);
    if (csv) {
      // The export is the whole list: page after page, bounded like every list a request can ask for.
      let next = answer.next_cursor;
      for (let pages = 1; next && pages < CSV_PAGES; pages++) {
        const more = await fetchPage(next);
        chase.push(...chaseOf(more));
        next = more.next_cursor;
      }
      return csvResponse(`催报名单-${answer.scope.code}-${month}.csv`, [
        [...CHASE_COLUMNS],
        ...chase.map((c) => [
          c.code,
          c.name,
          c.parent,
          c.kind === "missing" ? W.completeness.missing : W.completeness.late,
          c.daysLate,
          c.reporter ?? "",
          c.phone ?? "",
          c.reminders ?? 0,
          c.lastReminded ? beijingTime(c.lastReminded) : "",
        ]),
      ]);
    }
    return renderPage(ctx, {
      title: W.completeness.title,
      body: completenessView({
        scopes: units.filter((u) => !u.leaf),
        scope: answer.scope,
        months: recentMonths(reportingMonth(ctx.now), 12),
        month,
        expected: answer.expected,
        reported: answer.reported,
        onTime: answer.on_time,
        reportRate: answer.report_rate,
        onTimeRate: answer.on_time_rate,
        chase,
        nextCursor: answer.next_cursor,
        paged: Boolean(ctx.query.cursor),
        limit,
      }),
    });
  },
};
