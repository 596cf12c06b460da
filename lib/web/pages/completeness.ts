/** 报送情况 for a 片区 or ops, and its 催报 list as CSV. */
import type { z } from "zod";
import { csvResponse } from "../../api/http.ts";
import type { completenessSchema } from "../../api/schemas.ts";
import { reportingMonth } from "../model.ts";
import { CHASE_COLUMNS, type ChaseEntry, completenessView } from "../views/completeness.ts";
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

export const completenessPage: PageRoute = {
  method: "GET",
  path: "/web/completeness",
  async handle(ctx) {
    const month = monthParam(ctx.query.period, reportingMonth(ctx.now));
    const scope = ctx.query.scope || ctx.viewer.code;
    const [answer, units] = await Promise.all([
      ctx.api<Completeness>("GET", "/v1/completeness", { query: { scope, period: month } }),
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
    });
    const chase = [
      ...(answer.missing as UnitEntry[]).map((u) => entry(u, "missing")),
      ...(answer.late as UnitEntry[]).map((u) => entry(u, "late")),
    ];
    if (ctx.query.format === "csv") {
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
      }),
    });
  },
};
