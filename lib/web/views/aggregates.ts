/**
 * 汇总: pickers, the figures and derived rates, a table by child, and two charts drawn by
 * charts.js: a bar per child from a JSON block, and a 12-month trend line whose data it fetches
 * from the trend page (twelve months' reads stay out of this page's time). The tables (and the
 * trend page itself) carry the same numbers, so nothing is lost without script.
 */
import { DERIVED, INDICATORS } from "../../domain/catalogue.ts";
import { html, jsonBlock, type SafeHtml } from "../html.ts";
import { W } from "../wording.ts";
import { figure, pageTitle, selectField, table } from "./components.ts";

export interface PeriodOption {
  readonly value: string;
  readonly label: string;
  readonly group: string;
}

export interface ScopeFigures {
  readonly code: string;
  readonly name: string;
  readonly values: Readonly<Record<string, number | undefined>>;
  readonly derived: Readonly<Record<string, number | null | undefined>>;
  readonly reported: number;
  readonly expected: number;
}

export interface AggregatesView {
  readonly scopes: readonly { code: string; name: string }[];
  readonly scope: ScopeFigures;
  readonly periodLabel: string;
  readonly periods: readonly PeriodOption[];
  readonly period: string;
  readonly indicator: string;
  readonly children: readonly ScopeFigures[];
  /** The trend page for the chart's indicator (HTML table, or JSON for charts.js). */
  readonly trendUrl: string;
}

function periodSelect(v: AggregatesView): SafeHtml {
  const groups = [...new Set(v.periods.map((p) => p.group))];
  return html`<div class="field">
  <label class="label" for="period">${W.aggregates.period}</label>
  <select class="select" id="period" name="period">
    ${groups.map(
      (g) =>
        html`<optgroup label="${g}">${v.periods
          .filter((p) => p.group === g)
          .map(
            (p) =>
              html`<option value="${p.value}"${p.value === v.period ? html` selected` : ""}>${p.label}</option>`,
          )}</optgroup>`,
    )}
  </select>
</div>`;
}

export function aggregatesView(v: AggregatesView): SafeHtml {
  const chosen =
    INDICATORS.find((i) => i.key === v.indicator) ?? (INDICATORS[0] as (typeof INDICATORS)[number]);
  const query = `scope=${encodeURIComponent(v.scope.code)}&period=${encodeURIComponent(v.period)}`;
  const chart = {
    indicator: `${chosen.name}(${chosen.unit})`,
    trendUrl: v.trendUrl,
    children: {
      labels: v.children.map((c) => c.name),
      values: v.children.map((c) => c.values[chosen.key] ?? 0),
    },
  };
  return html`${pageTitle(W.aggregates.title, `${v.scope.name} · ${v.periodLabel}`)}
<form class="form form--inline" method="get" action="/web/aggregates">
  ${selectField({ id: "scope", name: "scope", label: W.aggregates.scope, value: v.scope.code, options: v.scopes.map((s) => ({ value: s.code, label: `${s.name}(${s.code})` })) })}
  ${periodSelect(v)}
  ${selectField({ id: "indicator", name: "indicator", label: W.aggregates.chartIndicator, value: chosen.key, options: INDICATORS.map((i) => ({ value: i.key, label: i.name })) })}
  <button type="submit" class="button button--secondary">${W.aggregates.show}</button>
</form>
<p>${W.aggregates.reporting(v.scope.reported, v.scope.expected)}</p>
<div class="grid">
  <section class="panel" aria-labelledby="h-trend">
    <h2 class="heading" id="h-trend">${W.aggregates.trend}:${chart.indicator}</h2>
    <div class="chart" data-chart="trend" role="img" aria-label="${W.aggregates.trend}:${chart.indicator}"><p class="hint">${W.aggregates.chartFallback}</p></div>
  </section>
  <section class="panel" aria-labelledby="h-children">
    <h2 class="heading" id="h-children">${W.aggregates.byChild}:${chart.indicator}</h2>
    <div class="chart" data-chart="children" role="img" aria-label="${W.aggregates.byChild}:${chart.indicator}"><p class="hint">${W.aggregates.chartFallback}</p></div>
  </section>
</div>
${jsonBlock("chart-data", chart)}
<h2 class="heading">${W.aggregates.indicator}</h2>
${table({
  caption: `${v.scope.name} ${v.periodLabel}`,
  head: [W.aggregates.indicator, W.aggregates.value],
  numeric: [1],
  rows: [
    ...INDICATORS.map((i) => ({
      cells: [`${i.name}(${i.unit})`, figure(v.scope.values[i.key], i.decimals)],
    })),
    ...DERIVED.map((d) => ({
      cells: [`${d.name}(${d.unit})`, figure(v.scope.derived[d.key], d.kind === "percent" ? 1 : 2)],
      className: "row--derived",
    })),
  ],
})}
${
  v.children.length
    ? html`<h2 class="heading">${W.aggregates.children}</h2>
${table({
  caption: `${W.aggregates.children}:${v.periodLabel}`,
  head: [
    W.completeness.unit,
    ...INDICATORS.slice(0, 6).map((i) => i.name),
    chosen.name,
    W.completeness.reported,
  ],
  numeric: [1, 2, 3, 4, 5, 6, 7, 8],
  rows: v.children.map((c) => ({
    cells: [
      html`<a href="/web/aggregates?scope=${c.code}&amp;period=${encodeURIComponent(v.period)}&amp;indicator=${chosen.key}">${c.name}</a>`,
      ...INDICATORS.slice(0, 6).map((i) => figure(c.values[i.key], i.decimals)),
      figure(c.values[chosen.key], chosen.decimals),
      `${c.reported}/${c.expected}`,
    ],
  })),
})}`
    : ""
}
<p class="actions"><a href="${v.trendUrl}">${W.aggregates.trendTable}</a>
<a href="/web/aggregates?${query}&amp;format=csv" download>${W.aggregates.csv}</a></p>`;
}

export function trendView(v: {
  scopeName: string;
  indicator: string;
  decimals: number;
  back: string;
  trend: readonly { month: string; value: number | null }[];
}): SafeHtml {
  return html`${pageTitle(`${W.aggregates.trend}:${v.indicator}`, v.scopeName)}
${table({
  caption: `${W.aggregates.trend}:${v.indicator}`,
  hideCaption: true,
  head: [W.aggregates.month, v.indicator],
  numeric: [1],
  rows: v.trend.map((t) => ({ cells: [t.month, figure(t.value, v.decimals)] })),
})}
<p><a href="${v.back}">${W.aggregates.back}</a></p>`;
}
