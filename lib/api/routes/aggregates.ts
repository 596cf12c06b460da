/** GET /v1/aggregates: a scope's figures over a period, optionally per child and compared. */
import { z } from "zod";
import { DERIVED, INDICATORS } from "../../domain/catalogue.ts";
import type { Unit } from "../../domain/registry.ts";
import { confirmedFigures } from "../../read/confirmed.ts";
import {
  figuresView,
  REPORTING_LIST_LIMIT,
  type ScopeView,
  scopeView,
  selectionOf,
} from "../../read/figures.ts";
import { returnsOfUnits, unitsInOrder } from "../../read/lists.ts";
import { countsFromFigures } from "../../read/queries.ts";
import { requireScope, SCOPE_RESPONSES } from "../context.ts";
import { type CsvRow, csvResponse, jsonResponse } from "../http.ts";
import { flag, format, indicatorList, periodSpec, unitCode } from "../params.ts";
import { periodView, resolveRange } from "../periods.ts";
import { defineRoute, type Route } from "../router.ts";
import { errorSchema, scopeViewSchema } from "../schemas.ts";

const query = z.strictObject({
  scope: unitCode.optional().meta({ description: "统计范围(单位代码);不填为密钥所属单位,运维密钥为根单位" }),
  period: periodSpec,
  indicators: indicatorList.optional(),
  breakdown: z.enum(["children"]).optional().meta({ description: "children:同时返回各直属下级的数据" }),
  compare: flag("是否返回环比(previous_period)与同比(same_period_last_year),默认 true", true),
  status: z.enum(["provisional", "confirmed"]).default("provisional").meta({
    description:
      "provisional(默认):已接收的全部数据(初步统计);confirmed:只计期间内各月均已市级确认的片区(不含环比同比)",
  }),
  include: z
    .enum(["missing"])
    .optional()
    .meta({
      description: `missing:在 reporting 中同时列出未报(missing)与逾期或缺报(late)单位代码,各最多 ${REPORTING_LIST_LIMIT} 个(需读取范围内各单位的月报,完整名单请用 /v1/completeness);不填时只给出单位数`,
    }),
  format,
});

const aggregatesRoute = defineRoute({
  method: "GET",
  path: "/v1/aggregates",
  tag: "汇总查询",
  summary: "汇总数据:某单位(含下级)某期间的各项指标、派生指标与报送情况",
  description:
    "流量指标按月累加;存量指标(党员总数、党支部总数)取每个单位在期间内的最新值再按单位求和。" +
    "派生指标由分子分母的合计计算,不取平均。报送情况(应报、已报、按时单位数)随汇总数据一并给出;" +
    "include=missing 时另列未报与逾期单位。format=csv 时返回本级及下级的表格(不含环比同比)。",
  query,
  responses: {
    ...SCOPE_RESPONSES,
    200: { description: "汇总结果", schema: scopeViewSchema, csv: true },
    400: { description: "参数有误", schema: errorSchema },
    403: { description: "超出密钥可查询的范围", schema: errorSchema },
    404: { description: "单位不存在", schema: errorSchema },
  },
  async handle({ query }, ctx) {
    const unit = requireScope(ctx, query.scope, "read");
    const range = await resolveRange(ctx, query.period);
    // Same scope, period and options give the same answer for every caller allowed to ask.
    const key = JSON.stringify([
      unit.code,
      range.spec,
      range.from,
      range.to,
      query.indicators ?? null,
      query.compare,
      query.breakdown ?? null,
      query.include ?? null,
      query.status,
      query.format,
    ]);
    const response = await ctx.memo(`aggregates${key}`, async () => {
      if (query.status === "confirmed") {
        const selection = selectionOf(query.indicators);
        const confirmedView = async (u: Unit): Promise<ScopeView> => {
          const { figures, confirmation } = await confirmedFigures(
            ctx.reads,
            ctx.deps.stores.reviews,
            u,
            range,
          );
          const counts = countsFromFigures(ctx.registry, u.code, figures, ctx.reads.deadlineDay);
          return {
            scope: { code: u.code, name: u.name, parent: u.parentCode },
            confirmation,
            period: periodView(range),
            ...figuresView(figures, selection),
            reporting: { expected: counts.expected, reported: counts.reported, on_time: counts.onTime },
            months_with_data: figures.monthsWithData,
          };
        };
        const [view, children] = await Promise.all([
          confirmedView(unit),
          query.breakdown === "children"
            ? Promise.all(ctx.registry.children(unit.code).map(confirmedView))
            : undefined,
        ]);
        const result: ScopeView = children ? { ...view, children } : view;
        return query.format === "csv"
          ? csvResponse(`汇总(已确认)-${unit.code}-${range.spec}.csv`, aggregatesTable(result, false))
          : jsonResponse(200, result);
      }
      const request = {
        range,
        selection: selectionOf(query.indicators),
        compare: query.compare,
        lists:
          query.include === "missing"
            ? returnsOfUnits(ctx.reads, unitsInOrder(ctx.registry, unit.code), range)
            : undefined,
      };
      // The scope, its children and (when asked) the period's returns are read concurrently.
      const [view, children] = await Promise.all([
        scopeView(ctx.reads, unit, request),
        query.breakdown === "children"
          ? Promise.all(ctx.registry.children(unit.code).map((child) => scopeView(ctx.reads, child, request)))
          : undefined,
      ]);
      const result: ScopeView = children ? { ...view, children } : view;
      return query.format === "csv"
        ? csvResponse(
            `汇总-${unit.code}-${range.spec}.csv`,
            aggregatesTable(result, query.include === "missing"),
          )
        : jsonResponse(200, result);
    });
    // The edge adds headers per request: never hand out the shared object.
    return { ...response, headers: { ...response.headers } };
  },
});

function aggregatesTable(view: ScopeView, lists: boolean): CsvRow[] {
  const indicators = INDICATORS.filter((i) => i.key in view.values);
  const derived = DERIVED.filter((d) => d.key in view.derived);
  const header = [
    "单位代码",
    "单位名称",
    "期间",
    "起始月份",
    "截止月份",
    ...indicators.map((i) => `${i.name}(${i.unit})`),
    ...derived.map((d) => `${d.name}(${d.unit})`),
    "应报单位数",
    "已报单位数",
    "按时报送单位数",
    ...(lists ? ["未报单位"] : []),
  ];
  const row = (v: ScopeView): CsvRow => [
    v.scope.code,
    v.scope.name,
    v.period.label,
    v.period.from,
    v.period.to,
    ...indicators.map((i) => v.values[i.key]),
    ...derived.map((d) => v.derived[d.key] ?? ""),
    v.reporting.expected,
    v.reporting.reported,
    v.reporting.on_time,
    ...(lists ? [(v.reporting.missing ?? []).join(" ")] : []),
  ];
  return [header, row(view), ...(view.children ?? []).map(row)];
}

/** This resource's routes, in the order the documentation lists them. */
export const aggregateRoutes: readonly Route[] = [aggregatesRoute];
