/** 本月填报: the month, its deadline, the unit's state, and the way to the template and upload. */
import { monthLabel } from "../../domain/periods.ts";
import { html, type SafeHtml } from "../html.ts";
import type { DeadlineState, MonthStatus, UploadView } from "../model.ts";
import type { ReviewStateCode, ReviewUnit } from "../reviews.ts";
import { W } from "../wording.ts";
import { beijingTime, pageTitle, summaryList, type TagKind, tag } from "./components.ts";
import { recordHref, returnedNotice, reviewTag } from "./review-state.ts";

export const STATUS_TAGS: Record<MonthStatus, [string, TagKind]> = {
  missing: [W.status.missing, "neutral"],
  accepted: [W.status.accepted, "ok"],
  needsExplanation: [W.status.needsExplanation, "warn"],
  rejected: [W.status.rejected, "bad"],
  processing: [W.status.processing, "busy"],
  failed: [W.status.failed, "bad"],
};

export function statusTag(status: MonthStatus): SafeHtml {
  const [text, kind] = STATUS_TAGS[status];
  return tag(text, kind);
}

export interface MonthView {
  readonly month: string;
  readonly deadline: DeadlineState;
  readonly unitName: string;
  /** For a 报送单位; a 片区 sees its units' counts instead. */
  readonly status?: MonthStatus | undefined;
  readonly lastUpload?: UploadView | undefined;
  readonly area?: { readonly reported: number; readonly expected: number } | undefined;
  /** The unit's 逐级审核 state for the month (absent when review is off). */
  readonly review?: (ReviewUnit & { readonly locked: boolean }) | undefined;
  /** A 片区's units by review state (absent when review is off). */
  readonly areaReview?: Readonly<Record<ReviewStateCode, number>> | undefined;
}

export function monthView(v: MonthView): SafeHtml {
  const due = v.deadline.overdueDays
    ? tag(W.month.overdue(v.deadline.overdueDays), "bad")
    : tag(W.month.daysLeft(v.deadline.daysLeft), v.deadline.daysLeft <= 2 ? "warn" : "neutral");
  const rows: [string, ReturnType<typeof html> | string][] = [
    [W.month.period, monthLabel(v.month)],
    [W.month.deadline, html`${beijingTime(v.deadline.deadline.toISOString())} ${due}`],
  ];
  if (v.status) {
    rows.push([W.month.status, statusTag(v.status)]);
    rows.push([
      W.month.lastUpload,
      v.lastUpload
        ? html`${beijingTime(v.lastUpload.receivedAt)} <a href="/web/uploads/${v.lastUpload.uploadId}">${W.month.viewReport}</a>`
        : W.month.noUpload,
    ]);
  }
  if (v.review) {
    rows.push([
      W.month.review,
      html`${reviewTag(v.review.state, "unit")} <a href="${recordHref(v.review.code, v.month)}">${W.month.reviewRecord}</a>`,
    ]);
  }
  if (v.area) {
    rows.push([
      W.month.status,
      html`${W.month.areaSummary(v.area.reported, v.area.expected)} <a href="/web/completeness?period=${v.month}">${W.month.areaLink}</a>`,
    ]);
  }
  if (v.areaReview) {
    const returned = v.areaReview.returned ?? 0;
    rows.push([
      W.month.review,
      html`${W.month.areaPending(v.areaReview.received ?? 0)}${returned ? `,${W.month.areaReturned(returned)}` : ""} <a href="/web/reviews?period=${v.month}">${W.month.areaReview}</a>`,
    ]);
  }
  const returnedBox =
    v.review?.state === "returned" ? returnedNotice(v.review.reason, recordHref(v.review.code, v.month)) : "";
  const lockedBox = v.review?.locked ? html`<p class="notice notice--warning">${W.month.confirmed}</p>` : "";
  return html`${pageTitle(W.month.title, v.unitName)}
${returnedBox}
${summaryList(rows)}
${lockedBox}
<div class="actions">
  <a class="button button--secondary" href="/web/template.xlsx?period=${v.month}" download>${W.month.templateXlsx}</a>
  <a class="button button--secondary" href="/web/template.csv?period=${v.month}" download>${W.month.template}</a>
  <a class="button" href="/web/upload?period=${v.month}">${W.month.upload}</a>
</div>
<p class="hint">${W.month.templateHint}${v.area ? ` ${W.month.templateArea}` : ""}</p>`;
}
