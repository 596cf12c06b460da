/** 密钥管理 (ops): create a key (shown once, with a copy button), the list, revoke. */
import { html, type SafeHtml } from "../html.ts";
import { W } from "../wording.ts";
import {
  beijingTime,
  button,
  errorSummary,
  notice,
  pageTitle,
  selectField,
  table,
  tag,
  textField,
} from "./components.ts";

export interface KeyEntry {
  readonly keyId: string;
  readonly role: "ops" | "unit";
  readonly unit: string | null;
  readonly unitName?: string | undefined;
  readonly label?: string | undefined;
  readonly createdAt: string;
  readonly revokedAt?: string | undefined;
}

export interface KeysView {
  readonly keys: readonly KeyEntry[];
  readonly created?: string | undefined;
  readonly revoked?: string | undefined;
  readonly error?: { field: string; message: string } | undefined;
  readonly form?: { role: string; unit: string; label: string };
}

export function keysView(v: KeysView): SafeHtml {
  return html`${errorSummary(v.error ? [{ message: v.error.message, href: `#${v.error.field}` }] : [])}
${pageTitle(W.keys.title)}
${v.revoked ? notice(W.keys.revokedDone(v.revoked), "success") : ""}
${
  v.created
    ? html`<div class="notice notice--success new-key" role="status">
  <p>${W.keys.shownOnce}</p>
  <p><code id="new-key" class="key">${v.created}</code>
  <button type="button" class="button button--secondary" data-copy="#new-key" data-copied="${W.keys.copied}">${W.keys.copy}</button></p>
</div>`
    : ""
}
<h2 class="heading">${W.keys.create}</h2>
<form class="form form--inline" method="post" action="/web/keys">
  ${selectField({
    id: "role",
    name: "role",
    label: W.keys.role,
    value: v.form?.role ?? "unit",
    options: [
      { value: "unit", label: W.keys.roleUnit },
      { value: "ops", label: W.keys.roleOps },
    ],
  })}
  ${textField({ id: "unit", name: "unit", label: W.keys.unit, hint: W.keys.unitHint, value: v.form?.unit, error: v.error?.field === "unit" ? v.error.message : undefined, inputmode: "numeric" })}
  ${textField({ id: "label", name: "label", label: W.keys.label, value: v.form?.label })}
  ${button(W.keys.submit)}
</form>
<h2 class="heading">${W.keys.list}</h2>
${table({
  caption: W.keys.list,
  head: [
    W.keys.keyId,
    W.keys.role,
    W.keys.unit,
    W.keys.label,
    W.keys.created,
    W.keys.state,
    html`<span class="visually-hidden">${W.actions}</span>`,
  ],
  rows: v.keys.map((k) => ({
    cells: [
      html`<code>${k.keyId}</code>`,
      k.role === "ops" ? W.keys.roleOps : W.keys.roleUnit,
      k.unit ? `${k.unitName ?? ""}(${k.unit})` : W.dash,
      k.label ?? "",
      beijingTime(k.createdAt),
      k.revokedAt ? tag(W.keys.revoked, "bad") : tag(W.keys.active, "ok"),
      k.revokedAt
        ? ""
        : html`<form class="inline-form" method="post" action="/web/keys/${k.keyId}/revoke"><button type="submit" class="link-button">${W.keys.revoke}<span class="visually-hidden"> ${k.keyId}</span></button></form>`,
    ],
  })),
  empty: W.keys.none,
})}`;
}
