/** 审核记录: one return's transitions, oldest first — who, when, why, and which version was looked at. */
import { monthLabel } from "../../domain/periods.ts";
import { versionParts } from "../../write/plan.ts";
import { html, type SafeHtml } from "../html.ts";
import type { ReviewHistoryAnswer } from "../reviews.ts";
import { W } from "../wording.ts";
import { beijingTime, pageTitle, summaryList, table } from "./components.ts";
import { reviewTag } from "./review-state.ts";

export interface ReviewHistoryView {
  readonly unit: { readonly code: string; readonly name: string };
  readonly answer: ReviewHistoryAnswer;
  /** Where "back" goes: the unit's 历史, or the 片区's 审核 page for that month. */
  readonly back: { readonly href: string; readonly label: string };
  readonly audience: "reviewer" | "unit";
}

function versionCell(version: string | null): SafeHtml | string {
  if (!version) return W.dash;
  const parts = versionParts(version);
  if (!parts) return html`<code>${version}</code>`;
  return W.reviewHistory.versionAt(beijingTime(parts.submittedAt, true));
}

export function reviewHistoryView(v: ReviewHistoryView): SafeHtml {
  const { answer } = v;
  return html`${pageTitle(W.reviewHistory.title, `${v.unit.name}(${v.unit.code})· ${monthLabel(answer.period)}`)}
<p>${W.reviewHistory.intro}</p>
${summaryList([[W.reviewHistory.state, reviewTag(answer.state, v.audience)]])}
${table({
  caption: W.reviewHistory.title,
  hideCaption: true,
  head: [
    W.reviewHistory.at,
    W.reviewHistory.action,
    W.reviewHistory.by,
    W.reviewHistory.reason,
    W.reviewHistory.version,
  ],
  rows: answer.history.map((e) => ({
    cells: [
      beijingTime(e.at),
      W.reviewHistory.actions[e.action] ?? e.action,
      e.by,
      e.reason ? html`<span class="prose">${e.reason}</span>` : W.dash,
      versionCell(e.version),
    ],
  })),
  empty: W.reviewHistory.none,
})}
<p><a href="${v.back.href}">${v.back.label}</a></p>`;
}
