/**
 * GET /v1/completeness: 报送率, 及时率, and which units are missing or late, by name, with who to
 * call (the latest 填报人 before the period) and how many days they are behind. The counts come
 * from the scope's rollups; the lists are paged over the scope's units in code order and read
 * only the units a page walks past.
 */
import { z } from "zod";
import { isOnTime, type Month, monthsBetween } from "../../domain/periods.ts";
import type { Registry } from "../../domain/registry.ts";
import type { ReporterContact } from "../../ports.ts";
import { confirmedFigures } from "../../read/confirmed.ts";
import {
  type ChasedUnit,
  daysLate,
  returnsOfUnits,
  type UnitLoader,
  unitsInOrder,
  unitsToChase,
} from "../../read/lists.ts";
import {
  countsFromFigures,
  type ReportingCounts,
  reportingStatus,
  scopeFigures,
} from "../../read/queries.ts";
import { remindersOf } from "../../read/reminders.ts";
import { mapLimit } from "../../support/concurrency.ts";
import type { StoredReturn } from "../../write/plan.ts";
import { requireScope, SCOPE_RESPONSES } from "../context.ts";
import { type CsvRow, csvResponse, jsonResponse } from "../http.ts";
import { cursorHeader, cursorParam, pageLimit, readCursor, writeCursor } from "../paging.ts";
import { format, periodSpec, unitCode } from "../params.ts";
import { periodView, resolveRange } from "../periods.ts";
import { defineRoute, type Route } from "../router.ts";
import { completenessSchema, errorSchema } from "../schemas.ts";

/** Units of the scope read per round while looking for the page's missing and late units. */
const WALK_BATCH = 200;
/** ReporterContact look-ups in flight (one item read each). */
const CONTACT_CONCURRENCY = 16;

const query = z.strictObject({
  scope: unitCode.optional().meta({ description: "统计范围;不填为密钥所属单位,运维密钥为根单位" }),
  period: periodSpec,
  deadline_day: z.coerce
    .number()
    .int()
    .min(1)
    .max(28)
    .optional()
    .meta({ description: "报送截止日(次月第几日,北京时间当日24时);不填按系统配置(默认5日)" }),
  limit: pageLimit(100, 500).meta({
    description: "每页最多列出的未报与逾期单位数(两类合计,1–500,默认 100)",
  }),
  cursor: cursorParam,
  status: z
    .enum(["provisional", "confirmed"])
    .default("provisional")
    .meta({ description: "provisional(默认):已接收的全部月报;confirmed:已报、按时只计已市级确认的片区" }),
  format,
});

interface UnitStatus {
  readonly code: string;
  readonly name: string;
  readonly parent: { code: string; name: string } | null;
  readonly months_reported: Month[];
  readonly months_late: Month[];
  readonly months_missing: Month[];
  readonly last_reporter?: string;
  readonly last_phone?: string;
  readonly days_late?: number;
  /** 催报次数 and 最后催报时间 over the period's months. */
  readonly reminders: number;
  readonly last_reminded_at?: string;
}

function unitStatus(
  registry: Registry,
  chased: ChasedUnit,
  months: readonly Month[],
  contact: ReporterContact | undefined,
  overdue: number | undefined,
  reminded: { count: number; lastAt: string } | undefined,
): UnitStatus {
  const { unit, returns: own } = chased;
  const parent = unit.parentCode ? registry.get(unit.parentCode) : undefined;
  const reported = new Set(own.map((r) => r.period));
  return {
    code: unit.code,
    name: unit.name,
    parent: parent ? { code: parent.code, name: parent.name } : null,
    months_reported: months.filter((m) => reported.has(m)),
    months_late: own
      .filter((r) => !r.onTime)
      .map((r) => r.period)
      .sort(),
    months_missing: months.filter((m) => !reported.has(m)),
    ...(contact?.reporter ? { last_reporter: contact.reporter } : {}),
    ...(contact?.phone ? { last_phone: contact.phone } : {}),
    ...(overdue !== undefined ? { days_late: overdue } : {}),
    reminders: reminded?.count ?? 0,
    ...(reminded ? { last_reminded_at: reminded.lastAt } : {}),
  };
}

const rate = (part: number, whole: number): number | null =>
  whole > 0 ? Math.round((part / whole) * 10000) / 100 : null;

const completenessRoute = defineRoute({
  method: "GET",
  path: "/v1/completeness",
  tag: "汇总查询",
  summary: "报送情况:报送率、及时率,未报与逾期单位名单(可翻页)",
  description:
    "报送率 = 已报单位数 ÷ 应报单位数;及时率 = 期间内每个月都在截止日前报送的单位数 ÷ 应报单位数。" +
    "returns 给出按“单位×月”计的应报、已收、按时份数。未报与逾期名单按单位代码排列,每页最多 limit 个," +
    "next_cursor 不为 null 时用它取下一页;每个单位附期间前最近一次报表的填报人、联系电话和逾期天数。" +
    "format=csv 返回当页名单(下一页的 cursor 在响应头 x-next-cursor 中)。",
  query,
  responses: {
    ...SCOPE_RESPONSES,
    200: { description: "报送情况", schema: completenessSchema, csv: true },
    400: { description: "参数有误", schema: errorSchema },
    403: { description: "超出密钥可查询的范围", schema: errorSchema },
  },
  async handle({ query }, ctx) {
    const unit = requireScope(ctx, query.scope, "read");
    const range = await resolveRange(ctx, query.period);
    const after = readCursor(query.cursor);
    const deadlineDay = query.deadline_day ?? ctx.reads.deadlineDay;
    const months = monthsBetween(range.from, range.to);
    const units = unitsInOrder(ctx.registry, unit.code);
    let counts: Promise<ReportingCounts>;
    let load: UnitLoader;
    if (query.status === "confirmed") {
      counts = confirmedFigures(ctx.reads, ctx.deps.stores.reviews, unit, range).then((c) =>
        countsFromFigures(ctx.registry, unit.code, c.figures, deadlineDay),
      );
      load = (batch) => returnsOfUnits(ctx.reads, batch, range);
    } else if (deadlineDay === ctx.reads.deadlineDay) {
      // The configured deadline is the one the stored flags and counters were kept for.
      counts = scopeFigures(ctx.reads, unit.code, range.from, range.to).then((f) =>
        countsFromFigures(ctx.registry, unit.code, f, deadlineDay),
      );
      load = (batch) => returnsOfUnits(ctx.reads, batch, range);
    } else {
      // Another deadline means judging every first submission again: read the whole scope.
      const rejudge = (r: StoredReturn): StoredReturn => ({
        ...r,
        onTime: isOnTime(r.period, new Date(r.firstSubmittedAt), deadlineDay),
      });
      const all = returnsOfUnits(ctx.reads, units, range).then(
        (m) => new Map([...m].map(([code, list]) => [code, list.map(rejudge)])),
      );
      counts = all.then((m) =>
        reportingStatus(ctx.registry, unit.code, range.from, range.to, [...m.values()].flat(), deadlineDay),
      );
      load = async (batch) => {
        const m = await all;
        return new Map(batch.map((u) => [u.code, m.get(u.code) ?? []]));
      };
    }
    const [status, page] = await Promise.all([
      counts,
      unitsToChase(units, months.length, load, { after: after?.unit, limit: query.limit, batch: WALK_BATCH }),
    ]);
    // The page's contacts and its 催报 records are independent reads: side by side.
    const [contacts, reminded] = await Promise.all([
      mapLimit(page.units, CONTACT_CONCURRENCY, (c) =>
        ctx.reads.returns.lastContact(c.unit.code, range.from),
      ),
      remindersOf(
        ctx.deps.stores.reminders,
        page.units.map((c) => c.unit),
        months,
      ),
    ]);
    const detail = page.units.map((c, i) =>
      unitStatus(
        ctx.registry,
        c,
        months,
        contacts[i],
        daysLate(months, c.returns, deadlineDay, ctx.now),
        reminded.get(c.unit.code),
      ),
    );
    const nextCursor = writeCursor(page.next);
    const missing = detail.filter((_, i) => page.units[i]?.kind === "missing");
    const late = detail.filter((_, i) => page.units[i]?.kind === "late");
    if (query.format === "csv") {
      const rows: CsvRow[] = [
        [
          "单位代码",
          "单位名称",
          "上级单位",
          "情况",
          "已报月份",
          "逾期月份",
          "未报月份",
          "逾期天数",
          "最近填报人",
          "联系电话",
          "催报次数",
          "最后催报时间",
        ],
      ];
      for (const [kind, list] of [
        ["未报", missing],
        ["逾期或缺报", late],
      ] as const) {
        for (const u of list) {
          rows.push([
            u.code,
            u.name,
            u.parent?.name ?? "",
            kind,
            u.months_reported.join(" "),
            u.months_late.join(" "),
            u.months_missing.join(" "),
            u.days_late ?? "",
            u.last_reporter ?? "",
            u.last_phone ?? "",
            u.reminders,
            u.last_reminded_at ?? "",
          ]);
        }
      }
      const csv = csvResponse(`报送情况-${unit.code}-${range.spec}.csv`, rows);
      return { ...csv, headers: { ...csv.headers, ...cursorHeader(nextCursor) } };
    }
    return jsonResponse(200, {
      scope: { code: unit.code, name: unit.name },
      period: periodView(range),
      deadline_day: deadlineDay,
      deadlines: status.deadlines,
      expected: status.expected,
      reported: status.reported,
      on_time: status.onTime,
      report_rate: rate(status.reported, status.expected),
      on_time_rate: rate(status.onTime, status.expected),
      returns: {
        expected: status.returnsExpected,
        received: status.returnsReceived,
        on_time: status.returnsOnTime,
      },
      missing,
      late,
      limit: query.limit,
      next_cursor: nextCursor,
    });
  },
});

/** This resource's routes, in the order the documentation lists them. */
export const completenessRoutes: readonly Route[] = [completenessRoute];
