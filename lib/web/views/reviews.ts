/**
 * 审核: for one month, the counts by state, then either the units of a 片区 (state, submitted
 * time, links to the figures, the report and the record, and the 通过 / 退回修改 forms, each
 * posting the version shown) with the 片区's 市级确认 panel, or — for a scope above 片区 — one
 * row per 片区 with its counts and lock. Plain forms: everything works without script.
 */
import { monthLabel } from "../../domain/periods.ts";
import { STATE_NAMES } from "../../workflow/review.ts";
import { html, type SafeHtml } from "../html.ts";
import type { LockView, ReviewStateCode, ReviewUnit } from "../reviews.ts";
import { decisionsFor, isClosed, STATE_ORDER } from "../reviews.ts";
import { W } from "../wording.ts";
import {
  beijingTime,
  type ErrorItem,
  errorSummary,
  notice,
  pageTitle,
  selectField,
  summaryList,
  table,
} from "./components.ts";
import { lockText, recordHref, reviewTag } from "./review-state.ts";

/** A problem with one form on the page, shown next to it (and in the summary on top). */
export interface FormError {
  readonly message: string;
  /** What was typed, so nobody types it twice. */
  readonly text?: string | undefined;
  /** Next to the text box (a missing reason), or above the row's forms (a stale version, a lock). */
  readonly at: "reason" | "row";
}

export interface ReviewRow extends ReviewUnit {
  /** The upload the stored return came in (its 审核结果). */
  readonly uploadId?: string | undefined;
}

export interface AreaRow {
  readonly code: string;
  readonly name: string;
  readonly counts: Readonly<Record<ReviewStateCode, number>>;
  readonly lock: LockView | undefined;
}

export interface ReviewsPageView {
  readonly scope: { readonly code: string; readonly name: string };
  readonly scopes: readonly { readonly code: string; readonly name: string }[];
  readonly months: readonly string[];
  readonly month: string;
  readonly counts: Readonly<Record<ReviewStateCode, number>>;
  /** Ops or the root's key: the 市级确认 and 解锁 forms are shown (the API decides either way). */
  readonly mayConfirm: boolean;
  readonly errors: readonly ErrorItem[];
  readonly done?: string | undefined;
  /** Review is switched off in this deployment: the API's message, and nothing else. */
  readonly off?: string | undefined;
  /** The units of a 片区 (paged), with its lock when the scope is confirmed as one. */
  readonly units?:
    | {
        readonly rows: readonly ReviewRow[];
        readonly total: number;
        readonly offset: number;
        readonly limit: number;
        readonly lock: { readonly lock: LockView | undefined; readonly unreported: number } | undefined;
        readonly rowErrors: ReadonlyMap<string, FormError>;
      }
    | undefined;
  /** The 片区 under a higher scope. */
  readonly areas?: readonly AreaRow[] | undefined;
  readonly lockErrors: ReadonlyMap<string, FormError>;
}

const COUNT_KINDS: Record<ReviewStateCode, string> = {
  missing: "",
  received: " count--warn",
  approved: " count--ok",
  returned: " count--bad",
  confirmed: " count--ok",
};

function hidden(fields: Record<string, string>): SafeHtml {
  return html`${Object.entries(fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}`;
}

function forName(name: string): SafeHtml {
  return html`<span class="visually-hidden">(${name})</span>`;
}

function decisionForms(
  v: ReviewsPageView,
  row: ReviewRow,
  offset: number,
  error: FormError | undefined,
): SafeHtml {
  const offered = row.version ? decisionsFor(row.state) : [];
  if (!offered.length || !row.version) {
    return error ? html`<p class="field-error">${error.message}</p>` : html`${W.dash}`;
  }
  const base = {
    unit: row.code,
    period: v.month,
    version: row.version,
    scope: v.scope.code,
    offset: String(offset),
  };
  const id = `reason-${row.code}`;
  const fieldError = error?.at === "reason" ? error : undefined;
  const approve = offered.includes("approve")
    ? html`<form class="decision" method="post" action="/web/reviews/decide">${hidden({ ...base, action: "approve" })}<button type="submit" class="button button--small">${W.reviews.approve}${forName(row.name)}</button></form>`
    : "";
  const back = offered.includes("return")
    ? html`<details class="decision decision--return"${error?.text || fieldError ? html` open` : ""}>
  <summary>${W.reviews.returnOpen}${forName(row.name)}</summary>
  <form method="post" action="/web/reviews/decide" novalidate>${hidden({ ...base, action: "return" })}
    <div class="field${fieldError ? " field--error" : ""}">
      <label class="label" for="${id}">${W.reviews.reason}${forName(row.name)}</label>
      <div class="hint" id="${id}-hint">${W.reviews.reasonHint}</div>
      ${fieldError ? html`<p class="field-error" id="${id}-error">${fieldError.message}</p>` : ""}
      <textarea class="textarea" id="${id}" name="reason" rows="3" maxlength="500" aria-describedby="${id}-hint${fieldError ? ` ${id}-error` : ""}"${fieldError ? html` aria-invalid="true"` : ""}>${error?.text ?? ""}</textarea>
    </div>
    <button type="submit" class="button button--secondary button--small">${W.reviews.returnSubmit}${forName(row.name)}</button>
  </form>
</details>`
    : "";
  const rowError =
    error?.at === "row" ? html`<p class="field-error" id="unit-${row.code}-error">${error.message}</p>` : "";
  return html`<div class="decisions">${rowError}${approve}${back}</div>`;
}

function unitRows(v: ReviewsPageView): SafeHtml {
  const u = v.units;
  if (!u) return html``;
  const rows = u.rows.map((row) => {
    const error = u.rowErrors.get(row.code);
    const decided =
      row.decided_by && row.decided_at
        ? html`<div class="hint">${W.reviews.decidedBy(row.decided_by, beijingTime(row.decided_at))}</div>`
        : "";
    const reason =
      row.state === "returned" && row.reason
        ? html`<div class="reason"><span class="visually-hidden">${W.reviews.reason}:</span><span class="prose">${row.reason}</span></div>`
        : "";
    const links = [
      row.version
        ? html`<a href="/web/returns?unit=${row.code}#m-${v.month}">${W.reviews.figures}${forName(row.name)}</a>`
        : "",
      row.uploadId
        ? html`<a href="/web/uploads/${row.uploadId}">${W.reviews.report}${forName(row.name)}</a>`
        : "",
      html`<a href="${recordHref(row.code, v.month)}">${W.reviews.record}${forName(row.name)}</a>`,
    ].filter((l) => l !== "");
    return {
      id: `unit-${row.code}`,
      className: error ? "row--error" : undefined,
      cells: [
        html`${row.name}<div class="hint">${row.code}</div>`,
        html`${reviewTag(row.state)}${decided}${reason}`,
        row.submitted_at ? beijingTime(row.submitted_at) : W.dash,
        html`<span class="links">${links.map((l, i) => html`${i ? " · " : ""}${l}`)}</span>`,
        decisionForms(v, row, u.offset, error),
      ],
    };
  });
  const pager =
    u.total > u.limit
      ? html`<nav class="pager" aria-label="${W.reviews.units}">
  <span>${W.reviews.unitsPage(u.offset + 1, Math.min(u.total, u.offset + u.limit), u.total)}</span>
  ${u.offset > 0 ? html`<a href="${pageHref(v, Math.max(0, u.offset - u.limit))}">${W.reviews.previous}</a>` : ""}
  ${u.offset + u.limit < u.total ? html`<a href="${pageHref(v, u.offset + u.limit)}">${W.reviews.next}</a>` : ""}
</nav>`
      : "";
  return html`<h2 class="heading">${W.reviews.units}</h2>
${table({
  caption: W.reviews.units,
  hideCaption: true,
  head: [W.reviews.unit, W.reviews.state, W.reviews.submitted, W.reviews.data, W.reviews.decide],
  rows,
  empty: W.reviews.noUnits,
})}
${pager}`;
}

function pageHref(v: ReviewsPageView, offset: number): string {
  return `/web/reviews?scope=${encodeURIComponent(v.scope.code)}&period=${v.month}&offset=${offset}`;
}

/** 市级确认 or 解锁 of one 片区's month (shown to ops and the root's key only). */
function lockForm(
  v: ReviewsPageView,
  area: { code: string; name: string },
  lock: LockView | undefined,
): SafeHtml {
  if (!v.mayConfirm) return html``;
  const error = v.lockErrors.get(area.code);
  const base = { scope: area.code, period: v.month, back: v.scope.code };
  if (!isClosed(lock)) {
    return html`<form class="decision" method="post" action="/web/reviews/lock" id="lock-${area.code}">${hidden({ ...base, action: "confirm" })}
  ${error ? html`<p class="field-error" id="lock-${area.code}-error">${error.message}</p>` : ""}
  <button type="submit" class="button button--small"${error ? html` aria-describedby="lock-${area.code}-error"` : ""}>${W.reviews.confirm}${forName(area.name)}</button>
</form>`;
  }
  const id = `unlock-${area.code}`;
  return html`<form class="decision" method="post" action="/web/reviews/lock" id="lock-${area.code}" novalidate>${hidden({ ...base, action: "unlock" })}
  <div class="field${error ? " field--error" : ""}">
    <label class="label" for="${id}">${W.reviews.unlockReason}${forName(area.name)}</label>
    <div class="hint" id="${id}-hint">${W.reviews.unlockHint}</div>
    ${error ? html`<p class="field-error" id="${id}-error">${error.message}</p>` : ""}
    <textarea class="textarea" id="${id}" name="reason" rows="2" maxlength="500" aria-describedby="${id}-hint${error ? ` ${id}-error` : ""}"${error ? html` aria-invalid="true"` : ""}>${error?.text ?? ""}</textarea>
  </div>
  <button type="submit" class="button button--secondary button--small">${W.reviews.unlock}${forName(area.name)}</button>
</form>`;
}

function lockPanel(v: ReviewsPageView): SafeHtml {
  const panel = v.units?.lock;
  if (!panel) return html``;
  const rows: [string, SafeHtml | string][] = [[W.reviews.lockState, lockText(panel.lock)]];
  if (panel.lock?.state === "open" && panel.lock.reason) {
    rows.push([W.reviews.unlockedWhy, html`<span class="prose">${panel.lock.reason}</span>`]);
  }
  if (panel.lock?.state === "locked" && panel.unreported > 0) {
    rows.push(["", W.reviews.unreported(panel.unreported)]);
  }
  return html`<section class="lock-panel" aria-labelledby="lock-heading">
<h2 class="heading" id="lock-heading">${W.reviews.lockTitle}</h2>
${summaryList(rows)}
${v.mayConfirm ? html`<p class="hint">${W.reviews.confirmHint}</p>` : ""}
${lockForm(v, v.scope, panel.lock)}
</section>`;
}

function areaRows(v: ReviewsPageView): SafeHtml {
  if (!v.areas) return html``;
  const states = STATE_ORDER;
  return html`<h2 class="heading">${W.reviews.areas}</h2>
${table({
  caption: W.reviews.areas,
  hideCaption: true,
  head: [
    W.reviews.area,
    ...states.map((s) => STATE_NAMES[s]),
    W.reviews.lockState,
    html`<span class="visually-hidden">${W.actions}</span>`,
  ],
  numeric: [1, 2, 3, 4, 5],
  rows: v.areas.map((a) => ({
    id: `area-${a.code}`,
    className: v.lockErrors.has(a.code) ? "row--error" : undefined,
    cells: [
      html`<a href="/web/reviews?scope=${encodeURIComponent(a.code)}&amp;period=${v.month}">${a.name}</a><div class="hint">${W.reviews.openArea}</div>`,
      ...states.map((s) => String(a.counts[s] ?? 0)),
      lockText(a.lock),
      lockForm(v, a, a.lock),
    ],
  })),
  empty: W.reviews.noUnits,
})}`;
}

export function reviewsView(v: ReviewsPageView): SafeHtml {
  if (v.off) return html`${pageTitle(W.reviews.title, v.scope.name)}${notice(v.off, "info")}`;
  return html`${errorSummary(v.errors)}
${pageTitle(W.reviews.title, `${v.scope.name} · ${monthLabel(v.month)}`)}
${v.done ? notice(v.done, "success") : ""}
<p>${W.reviews.intro}</p>
<form class="form form--inline" method="get" action="/web/reviews">
  ${
    v.scopes.length > 1
      ? selectField({
          id: "scope",
          name: "scope",
          label: W.reviews.scope,
          value: v.scope.code,
          options: v.scopes.map((s) => ({ value: s.code, label: `${s.name}(${s.code})` })),
        })
      : html`<input type="hidden" name="scope" value="${v.scope.code}">`
  }
  ${selectField({ id: "period", name: "period", label: W.reviews.period, value: v.month, options: v.months.map((m) => ({ value: m, label: monthLabel(m) })) })}
  <button type="submit" class="button button--secondary">${W.reviews.show}</button>
</form>
<ul class="counts">
  ${STATE_ORDER.map(
    (s) =>
      html`<li class="count${COUNT_KINDS[s]}"><span class="count__n">${v.counts[s] ?? 0}</span> ${STATE_NAMES[s]}</li>`,
  )}
</ul>
${lockPanel(v)}
${unitRows(v)}
${areaRows(v)}`;
}
