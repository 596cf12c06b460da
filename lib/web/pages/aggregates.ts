/**
 * 汇总 for a 片区 or ops: GET /v1/aggregates for the chosen period (with children), and the same
 * route per month for the 12-month trend of the chart's indicator. CSV is the API's own export.
 */
import type { z } from "zod";
import type { scopeViewSchema } from "../../api/schemas.ts";
import { INDICATOR_KEYS } from "../../domain/catalogue.ts";
import { addMonths, monthLabel, monthNumber, yearOf } from "../../domain/periods.ts";
import { reportingMonth } from "../model.ts";
import { aggregatesView, type PeriodOption, type ScopeFigures } from "../views/aggregates.ts";
import { W } from "../wording.ts";
import { recentMonths, subtreeUnits } from "./common.ts";
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
      ctx.api<ScopeView>("GET", "/v1/aggregates", { query: { scope, period, breakdown: "children" } }),
      subtreeUnits(ctx),
    ]);
    const months = recentMonths(view.period.to, 12).reverse();
    const trend = await Promise.all(
      months.map(async (month) => {
        const m = await ctx.api<ScopeView>("GET", "/v1/aggregates", {
          query: { scope, period: month, indicators: indicator, compare: "false" },
        });
        return {
          month,
          value: m.months_with_data.length ? (m.values[indicator as keyof typeof m.values] ?? 0) : null,
        };
      }),
    );
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
        trend,
      }),
    });
  },
};
