/**
 * 汇总 for a 片区 or ops: GET /v1/aggregates for the chosen period (with children), and the same
 * route per month for the 12-month trend of the chart's indicator. CSV is the API's own export.
 */
import type { z } from "zod";
import type { scopeViewSchema } from "../../api/schemas.ts";
import { INDICATOR_KEYS, INDICATORS } from "../../domain/catalogue.ts";
import { addMonths, monthLabel, monthNumber, yearOf } from "../../domain/periods.ts";
import { jsonPageResponse } from "../http.ts";
import { reportingMonth } from "../model.ts";
import { aggregatesView, type PeriodOption, type ScopeFigures, trendView } from "../views/aggregates.ts";
import { W } from "../wording.ts";
import { monthParam, recentMonths, subtreeUnits } from "./common.ts";
import { renderPage } from "./shell.ts";
import type { PageRoute } from "./types.ts";

type ScopeView = z.output<typeof scopeViewSchema>;

function periodOptions(last: string): PeriodOption[] {
  const kinds = W.aggregates.kinds;
  const months = recentMonths(last, 12).map((m) => ({
    value: m,
    label: monthLabel(m),
    group: kinds.month as string,
  }));
  const quarters: PeriodOption[] = [];
  for (let m = last, i = 0; i < 4; i++, m = addMonths(m, -3)) {
    const q = Math.ceil(monthNumber(m) / 3);
    quarters.push({
      value: `${yearOf(m)}-Q${q}`,
      label: `${yearOf(m)}年第${"一二三四"[q - 1]}季度`,
      group: kinds.quarter as string,
    });
  }
  return [
    ...months,
    ...quarters,
    { value: "THIS_YEAR", label: kinds.year as string, group: kinds.year as string },
    { value: "LAST_12_MONTHS", label: kinds.rolling as string, group: kinds.rolling as string },
  ];
}

function figuresOf(v: ScopeView | NonNullable<ScopeView["children"]>[number]): ScopeFigures {
  return {
    code: v.scope.code,
    name: v.scope.name,
    values: v.values,
    derived: v.derived,
    reported: v.reporting.reported,
    expected: v.reporting.expected,
  };
}

export const aggregatesPage: PageRoute = {
  method: "GET",
  path: "/web/aggregates",
  async handle(ctx) {
    const last = reportingMonth(ctx.now);
    const periods = periodOptions(last);
    const period = periods.some((p) => p.value === ctx.query.period) ? (ctx.query.period as string) : last;
    const scope = ctx.query.scope || ctx.viewer.code;
    const indicator = INDICATOR_KEYS.includes(ctx.query.indicator as never)
      ? (ctx.query.indicator as string)
      : "volunteer_hours";
    if (ctx.query.format === "csv") {
      return ctx.apiResponse("GET", "/v1/aggregates", {
        query: { scope, period, breakdown: "children", format: "csv" },
      });
    }
    const [view, units] = await Promise.all([
      // 环比 and 同比 are not shown here: not asking for them saves two periods' reads per scope.
      ctx.api<ScopeView>("GET", "/v1/aggregates", {
        query: { scope, period, breakdown: "children", compare: "false" },
      }),
      subtreeUnits(ctx),
    ]);
    const trendUrl =
      `/web/aggregates/trend?scope=${encodeURIComponent(view.scope.code)}&to=${view.period.to}` +
      `&indicator=${indicator}&period=${encodeURIComponent(period)}`;
    return renderPage(ctx, {
      title: W.aggregates.title,
      scripts: ["charts.js"],
      body: aggregatesView({
        scopes: units.filter((u) => !u.leaf),
        scope: figuresOf(view),
        periodLabel: view.period.label,
        periods,
        period,
        indicator,
        children: (view.children ?? []).map(figuresOf),
        trendUrl,
      }),
    });
  },
};

/**
 * The 12 months up to `to` for one indicator: GET /v1/aggregates per month (the API has no series
 * route; each month is the same answer the month view gives). JSON for charts.js, else a table.
 */
export const trendPage: PageRoute = {
  method: "GET",
  path: "/web/aggregates/trend",
  async handle(ctx) {
    const to = monthParam(ctx.query.to, reportingMonth(ctx.now));
    const scope = ctx.query.scope || ctx.viewer.code;
    const def =
      INDICATORS.find((i) => i.key === ctx.query.indicator) ?? (INDICATORS[0] as (typeof INDICATORS)[number]);
    const months = recentMonths(to, 12).reverse();
    const trend = await Promise.all(
      months.map(async (month) => {
        const m = await ctx.api<ScopeView>("GET", "/v1/aggregates", {
          query: { scope, period: month, indicators: def.key, compare: "false" },
        });
        const value = m.values[def.key as keyof typeof m.values];
        return { month, value: m.months_with_data.length ? (value ?? 0) : null, scopeName: m.scope.name };
      }),
    );
    const indicator = `${def.name}(${def.unit})`;
    if (ctx.request.headers.accept?.includes("application/json")) {
      return jsonPageResponse(200, { indicator, labels: months, values: trend.map((t) => t.value) });
    }
    const back = `/web/aggregates?scope=${encodeURIComponent(scope)}&period=${encodeURIComponent(ctx.query.period ?? to)}&indicator=${def.key}`;
    return renderPage(ctx, {
      title: W.aggregates.trend,
      body: trendView({
        scopeName: trend[0]?.scopeName ?? scope,
        indicator,
        decimals: def.decimals,
        back,
        trend,
      }),
    });
  },
};
