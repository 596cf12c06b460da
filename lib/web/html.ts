/**
 * HTML as escaped text. Every value interpolated into `html\`…\`` is escaped unless it is itself
 * the result of `html` (or `raw`, for markup this code wrote): user text can never become markup,
 * whatever it contains (`<script>`, `"><img onerror=…>`, quotes in attributes).
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c] as string);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false || value === true) return "";
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) out += render(values[i] as HtmlValue) + (strings[i + 1] ?? "");
  return new SafeHtml(out);
}

/** Markup written by this code, never user text. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * Data for a client script as a JSON block (`<script type="application/json">` is not executed,
 * so the CSP allows it). `<`, `>`, `&` and the line separators are escaped so no text can close it.
 */
export function jsonBlock(id: string, data: unknown): SafeHtml {
  const json = JSON.stringify(data).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return raw(`<script type="application/json" id="${escapeHtml(id)}">${json}</script>`);
}
