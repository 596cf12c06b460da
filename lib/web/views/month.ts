/** 本月填报: the month, its deadline, the unit's state, and the way to the template and upload. */
import { monthLabel } from "../../domain/periods.ts";
import { html, type SafeHtml } from "../html.ts";
import type { DeadlineState, MonthStatus, UploadView } from "../model.ts";
import { W } from "../wording.ts";
import { beijingTime, pageTitle, summaryList, type TagKind, tag } from "./components.ts";

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
  if (v.area) {
    rows.push([
      W.month.status,
      html`${W.month.areaSummary(v.area.reported, v.area.expected)} <a href="/web/completeness?period=${v.month}">${W.month.areaLink}</a>`,
    ]);
  }
  return html`${pageTitle(W.month.title, v.unitName)}
${summaryList(rows)}
<div class="actions">
  <a class="button button--secondary" href="/web/template.csv?period=${v.month}" download>${W.month.template}</a>
  <a class="button" href="/web/upload?period=${v.month}">${W.month.upload}</a>
</div>
<p class="hint">${W.month.templateHint}${v.area ? ` ${W.month.templateArea}` : ""}</p>`;
}
