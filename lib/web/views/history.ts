/** 历史: every recent month with its state, the figures as stored, links to the file and the report. */
import { INDICATORS } from "../../domain/catalogue.ts";
import { monthLabel } from "../../domain/periods.ts";
import { html, type SafeHtml } from "../html.ts";
import type { MonthStatus, StoredReturnView, UploadView } from "../model.ts";
import type { ReviewUnit } from "../reviews.ts";
import { W } from "../wording.ts";
import { beijingTime, figure, pageTitle, table, tag } from "./components.ts";
import { statusTag } from "./month.ts";
import { recordHref, reviewTag } from "./review-state.ts";

export interface HistoryMonth {
  readonly month: string;
  readonly status: MonthStatus;
  readonly stored?: StoredReturnView | undefined;
  readonly lastUpload?: UploadView | undefined;
  /** Whether the stored return came in the unit's own upload (a 片区's batch file is not the unit's to open). */
  readonly ownUpload?: boolean;
  /** The 逐级审核 state of the month (absent when review is off). */
  readonly review?: ReviewUnit | undefined;
}

function reviewCell(m: HistoryMonth): SafeHtml | string {
  if (!m.review) return W.dash;
  const reason =
    m.review.state === "returned" && m.review.reason
      ? html`<div class="reason"><span class="visually-hidden">${W.month.returnedReason}:</span><span class="prose">${m.review.reason}</span></div>`
      : "";
  const record =
    m.review.state === "missing"
      ? ""
      : html`<div><a href="${recordHref(m.review.code, m.month)}">${W.month.reviewRecord}<span class="visually-hidden">(${monthLabel(m.month)})</span></a></div>`;
  return html`${reviewTag(m.review.state, "unit")}${reason}${record}`;
}

function figures(r: StoredReturnView): SafeHtml {
  return html`<details class="figures"><summary>${INDICATORS.slice(0, 2)
    .map((i) => `${i.name} ${figure(r.values[i.key], i.decimals)}${i.unit}`)
    .join(",")}</summary>
  <dl class="figures__list">${INDICATORS.map(
    (i) => html`<div><dt>${i.name}</dt><dd>${figure(r.values[i.key], i.decimals)} ${i.unit}</dd></div>`,
  )}</dl></details>`;
}

export function historyView(unitName: string, months: readonly HistoryMonth[]): SafeHtml {
  return html`${pageTitle(W.history.title, unitName)}
<p>${W.history.intro}</p>
${table({
  caption: W.history.title,
  head: [
    W.history.month,
    W.history.status,
    ...(months.some((m) => m.review) ? [W.history.review] : []),
    W.history.submitted,
    W.history.figures,
    W.history.files,
  ],
  rows: months.map((m) => {
    const uploadId = m.stored?.upload_id ?? m.lastUpload?.uploadId;
    return {
      cells: [
        monthLabel(m.month),
        html`${statusTag(m.status)}${m.stored ? html` ${m.stored.on_time ? tag(W.history.onTime, "neutral") : tag(W.history.late, "warn")}` : ""}`,
        ...(months.some((x) => x.review) ? [reviewCell(m)] : []),
        beijingTime(m.stored?.submitted_at ?? m.lastUpload?.receivedAt),
        m.stored ? figures(m.stored) : W.dash,
        m.stored && !m.ownUpload
          ? W.history.byParent
          : uploadId
            ? html`<a href="/web/uploads/${uploadId}/file">${W.history.raw}</a> · <a href="/web/uploads/${uploadId}/report.csv">${W.history.report}</a> · <a href="/web/uploads/${uploadId}">${W.report.title}</a>`
            : W.dash,
      ],
    };
  }),
  empty: W.history.none,
})}`;
}
