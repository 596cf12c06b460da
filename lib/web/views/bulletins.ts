/** 简报: the archive with PDF downloads and, for ops, 重新生成. */
import type { z } from "zod";
import type { bulletinSchema } from "../../api/schemas.ts";
import { monthLabel, yearOf } from "../../domain/periods.ts";
import { html, type SafeHtml } from "../html.ts";
import { W } from "../wording.ts";
import { beijingTime, notice, pageTitle, table } from "./components.ts";

export type BulletinEntry = z.output<typeof bulletinSchema>;

export function bulletinsView(v: {
  scope: { code: string; name: string };
  bulletins: readonly BulletinEntry[];
  mayRender: boolean;
  rendered: boolean;
}): SafeHtml {
  const scope = encodeURIComponent(v.scope.code);
  return html`${pageTitle(W.bulletins.title, v.scope.name)}
${v.rendered ? notice(W.bulletins.rerendered, "success") : ""}
${table({
  caption: W.bulletins.title,
  head: [
    W.bulletins.issue,
    W.bulletins.month,
    W.bulletins.scope,
    W.bulletins.pages,
    W.bulletins.size,
    W.bulletins.generated,
    html`<span class="visually-hidden">${W.actions}</span>`,
  ],
  numeric: [3, 4],
  rows: v.bulletins.map((b) => ({
    cells: [
      html`${W.bulletins.issueNo(yearOf(b.period), b.issue_number)} <span class="hint">${W.bulletins.revision(b.revision)}</span>`,
      monthLabel(b.period),
      v.scope.name,
      String(b.pages),
      `${Math.round(b.bytes / 1024)} KB`,
      beijingTime(b.updated_at),
      html`<a href="/web/bulletins/${b.period}/pdf?scope=${scope}">${W.bulletins.download}<span class="visually-hidden">(${monthLabel(b.period)})</span></a>${
        v.mayRender
          ? html` <form class="inline-form" method="post" action="/web/bulletins/${b.period}/render"><input type="hidden" name="scope" value="${v.scope.code}"><button type="submit" class="link-button">${W.bulletins.rerender}<span class="visually-hidden">(${monthLabel(b.period)})</span></button></form>`
          : ""
      }`,
    ],
  })),
  empty: W.bulletins.none,
})}`;
}
