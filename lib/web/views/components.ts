/**
 * Small pieces every page uses, each a pure function of its parameters (GOV.UK-style): the error
 * summary, labelled fields, a status tag, tables, figures. No wording of their own but W.
 */
import { type HtmlValue, html, type SafeHtml } from "../html.ts";
import { W } from "../wording.ts";

export interface ErrorItem {
  readonly message: string;
  /** The id of the field or table row the problem is about (#row-5). */
  readonly href?: string | undefined;
}

/**
 * At the top of the page, announced (role="alert") and focused on load by portal.js; each item
 * links to the field or row it is about, where the same message is repeated.
 */
export function errorSummary(errors: readonly ErrorItem[], title: string = W.errorSummaryTitle): SafeHtml {
  if (!errors.length) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1" data-focus-on-load>
  <h2 class="error-summary__title">${title}</h2>
  <ul class="error-summary__list">
    ${errors.map((e) => html`<li>${e.href ? html`<a href="${e.href}">${e.message}</a>` : e.message}</li>`)}
  </ul>
</div>`;
}

export function notice(text: HtmlValue, kind: "info" | "success" | "warning" = "info"): SafeHtml {
  return html`<div class="notice notice--${kind}" role="status">${text}</div>`;
}

export interface FieldInput {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
  readonly value?: string | undefined;
  readonly type?: "text" | "password" | "month";
  readonly autocomplete?: string;
  readonly required?: boolean;
  readonly inputmode?: "numeric" | "text";
}

export function textField(f: FieldInput): SafeHtml {
  const describedBy = [f.hint ? `${f.id}-hint` : "", f.error ? `${f.id}-error` : ""]
    .filter(Boolean)
    .join(" ");
  return html`<div class="field${f.error ? " field--error" : ""}">
  <label class="label" for="${f.id}">${f.label}</label>
  ${f.hint ? html`<div class="hint" id="${f.id}-hint">${f.hint}</div>` : ""}
  ${f.error ? html`<p class="field-error" id="${f.id}-error">${f.error}</p>` : ""}
  <input class="input" id="${f.id}" name="${f.name}" type="${f.type ?? "text"}" value="${f.value ?? ""}"${
    describedBy ? html` aria-describedby="${describedBy}"` : ""
  }${f.autocomplete ? html` autocomplete="${f.autocomplete}"` : ""}${f.required ? html` required` : ""}${
    f.inputmode ? html` inputmode="${f.inputmode}"` : ""
  }${f.error ? html` aria-invalid="true"` : ""} spellcheck="false">
</div>`;
}

export interface SelectInput {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly options: readonly { readonly value: string; readonly label: string }[];
  readonly value?: string | undefined;
  readonly hint?: string | undefined;
}

export function selectField(f: SelectInput): SafeHtml {
  return html`<div class="field">
  <label class="label" for="${f.id}">${f.label}</label>
  ${f.hint ? html`<div class="hint" id="${f.id}-hint">${f.hint}</div>` : ""}
  <select class="select" id="${f.id}" name="${f.name}"${f.hint ? html` aria-describedby="${f.id}-hint"` : ""}>
    ${f.options.map(
      (o) =>
        html`<option value="${o.value}"${o.value === f.value ? html` selected` : ""}>${o.label}</option>`,
    )}
  </select>
</div>`;
}

export type TagKind = "ok" | "warn" | "bad" | "neutral" | "busy";

/** Status words are always written out: colour only repeats them. */
export function tag(text: string, kind: TagKind): SafeHtml {
  return html`<strong class="tag tag--${kind}">${text}</strong>`;
}

export function summaryList(rows: readonly (readonly [string, HtmlValue])[]): SafeHtml {
  return html`<dl class="summary-list">
  ${rows.map(([k, v]) => html`<div class="summary-list__row"><dt>${k}</dt><dd>${v}</dd></div>`)}
</dl>`;
}

export interface TableInput {
  readonly caption?: string | undefined;
  /** The caption only for screen readers (a heading right above already says it). */
  readonly hideCaption?: boolean;
  readonly head: readonly HtmlValue[];
  readonly rows: readonly {
    readonly id?: string | undefined;
    readonly cells: readonly HtmlValue[];
    readonly className?: string;
  }[];
  /** Columns holding numbers are right-aligned. */
  readonly numeric?: readonly number[];
  readonly empty?: string;
  /** Many columns: on a phone the table keeps a wider minimum and scrolls sideways in its frame. */
  readonly wide?: boolean;
}

export function table(t: TableInput): SafeHtml {
  if (!t.rows.length && t.empty) return html`<p class="empty">${t.empty}</p>`;
  const num = new Set(t.numeric ?? []);
  const cls = (i: number) => (num.has(i) ? html` class="num"` : "");
  return html`<div class="table-wrap" tabindex="0"${t.caption ? html` aria-label="${t.caption}"` : ""}><table class="table${t.wide ? " table--wide" : ""}">
  ${t.caption ? html`<caption${t.hideCaption ? html` class="visually-hidden"` : ""}>${t.caption}</caption>` : ""}
  <thead><tr>${t.head.map((h, i) => html`<th scope="col"${cls(i)}>${h}</th>`)}</tr></thead>
  <tbody>
    ${t.rows.map(
      (r) =>
        html`<tr${r.id ? html` id="${r.id}"` : ""}${r.className ? html` class="${r.className}"` : ""}>${r.cells.map(
          (c, i) => html`<td${cls(i)}>${c}</td>`,
        )}</tr>`,
    )}
  </tbody>
</table></div>`;
}

export function figure(value: number | null | undefined, decimals = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return W.dash;
  return value.toLocaleString("zh-CN", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? W.dash : `${value.toFixed(1)}%`;
}

/** "2026-11-05 23:59" in Beijing time ("2026-11-05 23:59:08" with seconds, to tell uploads apart). */
export function beijingTime(iso: string | undefined, seconds = false): string {
  if (!iso) return W.dash;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return W.dash;
  return new Date(t + 8 * 3600 * 1000)
    .toISOString()
    .slice(0, seconds ? 19 : 16)
    .replace("T", " ");
}

export function button(
  label: string,
  attrs: { secondary?: boolean; name?: string; value?: string } = {},
): SafeHtml {
  return html`<button type="submit" class="button${attrs.secondary ? " button--secondary" : ""}"${
    attrs.name ? html` name="${attrs.name}" value="${attrs.value ?? ""}"` : ""
  }>${label}</button>`;
}

export function pageTitle(text: string, caption?: string): SafeHtml {
  return html`${caption ? html`<span class="caption">${caption}</span>` : ""}<h1 class="title">${text}</h1>`;
}
