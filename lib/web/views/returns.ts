/** 报表: one unit's returns month by month, with 说明, 亮点工作 and the warnings kept on record. */
import { INDICATORS } from "../../domain/catalogue.ts";
import { monthLabel } from "../../domain/periods.ts";
import { html, type SafeHtml } from "../html.ts";
import type { StoredReturnView } from "../model.ts";
import { W } from "../wording.ts";
import { beijingTime, figure, pageTitle, selectField, tag } from "./components.ts";

export interface ReturnsView {
  readonly units: readonly { code: string; name: string }[];
  readonly unit?: { code: string; name: string } | undefined;
  readonly returns: readonly StoredReturnView[];
}

function returnCard(r: StoredReturnView): SafeHtml {
  return html`<article class="return-card" id="m-${r.period}">
  <h2 class="heading">${monthLabel(r.period)} ${r.on_time ? tag(W.history.onTime, "neutral") : tag(W.history.late, "warn")}</h2>
  <p class="hint">${W.history.submitted}:${beijingTime(r.submitted_at)} · ${W.returns.reporter}:${r.reporter || W.dash}</p>
  <dl class="figures__list">${INDICATORS.map(
    (i) => html`<div><dt>${i.name}</dt><dd>${figure(r.values[i.key], i.decimals)} ${i.unit}</dd></div>`,
  )}</dl>
  <h3 class="subheading">${W.returns.explanation}</h3><p class="prose">${r.explanation || W.dash}</p>
  <h3 class="subheading">${W.returns.highlight}</h3><p class="prose">${r.highlight || W.dash}</p>
  <h3 class="subheading">${W.returns.warnings}</h3>
  ${r.warnings.length ? html`<ul>${r.warnings.map((w) => html`<li><code>${w.code}</code> ${w.message}</li>`)}</ul>` : html`<p>${W.dash}</p>`}
</article>`;
}

export function returnsView(v: ReturnsView): SafeHtml {
  return html`${pageTitle(W.returns.title, v.unit ? `${v.unit.name}(${v.unit.code})` : undefined)}
<form class="form form--inline" method="get" action="/web/returns">
  ${selectField({
    id: "unit",
    name: "unit",
    label: W.returns.unit,
    value: v.unit?.code,
    options: v.units.map((u) => ({ value: u.code, label: `${u.name}(${u.code})` })),
  })}
  <button type="submit" class="button button--secondary">${W.returns.show}</button>
</form>
${v.unit ? (v.returns.length ? [...v.returns].reverse().map(returnCard) : html`<p class="empty">${W.returns.none}</p>`) : html`<p>${W.returns.pick}</p>`}`;
}
