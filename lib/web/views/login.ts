/** 登录: 单位代码 + 填报密钥, one generic message when either is wrong. */
import { html, type SafeHtml } from "../html.ts";
import { W } from "../wording.ts";
import { button, errorSummary, notice, pageTitle, textField } from "./components.ts";

export interface LoginView {
  readonly code: string;
  readonly error?: string | undefined;
  readonly info?: string | undefined;
}

export function loginView(v: LoginView): SafeHtml {
  return html`<div class="narrow">
${errorSummary(v.error ? [{ message: v.error, href: "#code" }] : [])}
${v.info ? notice(v.info) : ""}
${pageTitle(W.login.title, W.site)}
<p>${W.login.intro}</p>
<form method="post" action="/web/login" class="form" novalidate>
  ${textField({ id: "code", name: "code", label: W.login.code, hint: W.login.codeHint, value: v.code, autocomplete: "username", inputmode: "numeric" })}
  ${textField({ id: "key", name: "key", label: W.login.key, hint: W.login.keyHint, type: "password", autocomplete: "current-password" })}
  ${button(W.login.submit)}
</form>
</div>`;
}
