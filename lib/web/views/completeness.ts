/** 报送情况: the rates for a month and the 催报 list (未报 and 迟报 units with their last contact). */
import { monthLabel } from "../../domain/periods.ts";
import { html, type SafeHtml } from "../html.ts";
import { W } from "../wording.ts";
import { beijingTime, pageTitle, percent, selectField, table } from "./components.ts";

export interface ChaseEntry {
  readonly code: string;
  readonly name: string;
  readonly parent: string;
  readonly kind: "missing" | "late";
  readonly daysLate?: number | undefined;
  readonly reporter?: string | undefined;
  readonly phone?: string | undefined;
  /** 催报次数 in the period and the last one (ISO), from the 催报 records. */
  readonly reminders?: number | undefined;
  readonly lastReminded?: string | undefined;
}

export interface CompletenessView {
  readonly scopes: readonly { code: string; name: string }[];
  readonly scope: { code: string; name: string };
  readonly months: readonly string[];
  readonly month: string;
  readonly expected: number;
  readonly reported: number;
  readonly onTime: number;
  readonly reportRate: number | null;
  readonly onTimeRate: number | null;
  readonly chase: readonly ChaseEntry[];
  /** The API's cursor for the next page of the 催报 list (null: this is the last page). */
  readonly nextCursor?: string | null | undefined;
  /** Whether this page is not the first (a link back to it is shown). */
  readonly paged?: boolean;
  /** Units per page when the viewer chose one (kept in the links). */
  readonly limit?: string | undefined;
}

/** The 催报名单's columns, on the page and in its CSV export alike. */
export const CHASE_COLUMNS: readonly string[] = [
  W.completeness.code,
  W.completeness.unit,
  W.completeness.parent,
  W.history.status,
  W.completeness.daysLate,
  W.completeness.reporter,
  W.completeness.phone,
  W.completeness.reminders,
  W.completeness.lastReminded,
];

export function completenessView(v: CompletenessView): SafeHtml {
  const rows = v.chase.map((c) => ({
    cells: [
      c.code,
      c.name,
      c.parent,
      c.kind === "missing" ? W.completeness.missing : W.completeness.late,
      c.daysLate === undefined ? W.dash : String(c.daysLate),
      c.reporter || W.dash,
      c.phone || W.dash,
      String(c.reminders ?? 0),
      c.lastReminded ? beijingTime(c.lastReminded) : W.dash,
    ],
  }));
  const base =
    `/web/completeness?scope=${encodeURIComponent(v.scope.code)}&period=${encodeURIComponent(v.month)}` +
    (v.limit ? `&limit=${encodeURIComponent(v.limit)}` : "");
  const pager = [
    v.paged ? html`<a href="${base}">${W.completeness.first}</a>` : "",
    v.nextCursor
      ? html`<a href="${`${base}&cursor=${encodeURIComponent(v.nextCursor)}`}" rel="next">${W.completeness.next}</a>`
      : "",
  ].filter((p) => p !== "");
  return html`${pageTitle(W.completeness.title, `${v.scope.name} · ${monthLabel(v.month)}`)}
<form class="form form--inline" method="get" action="/web/completeness">
  ${selectField({ id: "scope", name: "scope", label: W.completeness.scope, value: v.scope.code, options: v.scopes.map((s) => ({ value: s.code, label: `${s.name}(${s.code})` })) })}
  ${selectField({ id: "period", name: "period", label: W.completeness.period, value: v.month, options: v.months.map((m) => ({ value: m, label: monthLabel(m) })) })}
  <button type="submit" class="button button--secondary">${W.completeness.show}</button>
</form>
<ul class="counts">
  <li class="count"><span class="count__n">${v.expected}</span> ${W.completeness.expected}</li>
  <li class="count"><span class="count__n">${v.reported}</span> ${W.completeness.reported}</li>
  <li class="count"><span class="count__n">${v.onTime}</span> ${W.completeness.onTime}</li>
  <li class="count count--ok"><span class="count__n">${percent(v.reportRate)}</span> ${W.completeness.reportRate}</li>
  <li class="count count--ok"><span class="count__n">${percent(v.onTimeRate)}</span> ${W.completeness.onTimeRate}</li>
</ul>
${table({
  caption: W.completeness.caption,
  head: CHASE_COLUMNS,
  rows,
  numeric: [4, 7],
  empty: W.completeness.none,
  wide: true,
})}
${pager.length ? html`<p class="pager">${pager}</p>` : ""}
<p><a href="/web/completeness?scope=${v.scope.code}&amp;period=${v.month}&amp;format=csv" download>${W.completeness.csv}</a></p>`;
}
