/** GET /v1/completeness: 报送率, 及时率, and which units are missing or late, by name. */
import { z } from "zod";
import { isOnTime, type Month, monthsBetween, type PeriodRange } from "../../domain/periods.ts";
import type { Registry, Unit } from "../../domain/registry.ts";
import { reportingStatus, scopeReturns } from "../../read/queries.ts";
import type { StoredReturn } from "../../write/plan.ts";
import { requireScope, SCOPE_RESPONSES } from "../context.ts";
import { type CsvRow, csvResponse, jsonResponse } from "../http.ts";
import { format, periodSpec, unitCode } from "../params.ts";
import { periodView, resolveRange } from "../periods.ts";
import { defineRoute } from "../router.ts";
import { completenessSchema, errorSchema } from "../schemas.ts";

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
  format,
});

interface UnitStatus {
  readonly code: string;
  readonly name: string;
  readonly parent: { code: string; name: string } | null;
  readonly months_reported: Month[];
  readonly months_late: Month[];
  readonly months_missing: Month[];
}

function unitStatus(
  registry: Registry,
  unit: Unit,
  months: readonly Month[],
  own: readonly StoredReturn[],
): UnitStatus {
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
  };
}

const rate = (part: number, whole: number): number | null =>
  whole > 0 ? Math.round((part / whole) * 10000) / 100 : null;

export function completenessView(
  registry: Registry,
  scope: Unit,
  range: PeriodRange,
  returns: readonly StoredReturn[],
  deadlineDay: number,
) {
  const status = reportingStatus(registry, scope.code, range.from, range.to, returns, deadlineDay);
  const months = monthsBetween(range.from, range.to);
  const byUnit = new Map<string, StoredReturn[]>();
  for (const r of returns) byUnit.set(r.unit, [...(byUnit.get(r.unit) ?? []), r]);
  const detail = (u: Unit) => unitStatus(registry, u, months, byUnit.get(u.code) ?? []);
  return {
    scope: { code: scope.code, name: scope.name },
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
    missing: status.missing.map(detail),
    late: status.late.map(detail),
  };
}

export const completenessRoute = defineRoute({
  method: "GET",
  path: "/v1/completeness",
  tag: "汇总查询",
  summary: "报送情况:报送率、及时率,未报与逾期单位名单",
  description:
    "报送率 = 已报单位数 ÷ 应报单位数;及时率 = 期间内每个月都在截止日前报送的单位数 ÷ 应报单位数。" +
    "returns 给出按“单位×月”计的应报、已收、按时份数。format=csv 返回未报与逾期单位名单。",
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
    const deadlineDay = query.deadline_day ?? ctx.reads.deadlineDay;
    const stored = await scopeReturns(ctx.reads, unit.code, range.from, range.to);
    // The stored flag used the configured deadline; another deadline means judging the first submission again.
    const returns =
      deadlineDay === ctx.reads.deadlineDay
        ? stored
        : stored.map((r) => ({
            ...r,
            onTime: isOnTime(r.period, new Date(r.firstSubmittedAt), deadlineDay),
          }));
    const view = completenessView(ctx.registry, unit, range, returns, deadlineDay);
    if (query.format === "csv") {
      const rows: CsvRow[] = [
        ["单位代码", "单位名称", "上级单位", "情况", "已报月份", "逾期月份", "未报月份"],
      ];
      for (const [kind, list] of [
        ["未报", view.missing],
        ["逾期或缺报", view.late],
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
          ]);
        }
      }
      return csvResponse(`报送情况-${unit.code}-${range.spec}.csv`, rows);
    }
    return jsonResponse(200, view);
  },
});
