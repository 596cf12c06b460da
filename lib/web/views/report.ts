/**
 * 审核结果: the error summary on top (each problem a link to its row in the table), the counts,
 * every issue on this page of the table, and for rows that only need a 说明 one text box each and
 * a 提交说明 button: the server resubmits just those rows from the stored file.
 */
import { html, type SafeHtml } from "../html.ts";
import type { ReportIssue, ReportPage, UploadView } from "../model.ts";
import { W } from "../wording.ts";
import {
  beijingTime,
  button,
  type ErrorItem,
  errorSummary,
  notice,
  pageTitle,
  summaryList,
  table,
  tag,
} from "./components.ts";

export interface ReportViewInput {
  readonly upload: UploadView;
  readonly report: ReportPage | null;
  readonly unitNames: ReadonlyMap<string, string>;
  readonly reportCsvUrl: boolean;
  /** The annotated workbook (reports/{id}.xlsx) exists. */
  readonly reportXlsxUrl?: boolean;
  /** Problems with a submitted 说明 form (row → message). */
  readonly explainErrors?: ReadonlyMap<number, string>;
  readonly explanations?: ReadonlyMap<number, string>;
  /** Arrived here from 提交说明: just filed, or the same 说明 had been filed before. */
  readonly sent?: "new" | "again" | undefined;
}

const PROCESSING = new Set(["awaiting_file", "received", "validated"]);

export function isProcessing(upload: UploadView): boolean {
  return PROCESSING.has(upload.status);
}

function severityTag(i: ReportIssue): SafeHtml {
  return i.severity === "error" ? tag(W.report.severityError, "bad") : tag(W.report.severityWarning, "warn");
}

function issuesTable(report: ReportPage, names: ReadonlyMap<string, string>): SafeHtml {
  const seen = new Set<number>();
  const rows = report.issues.items.map((i) => {
    const first = i.row > 0 && !seen.has(i.row);
    seen.add(i.row);
    const unit = i.unit
      ? `${names.get(i.unit) ?? ""}${names.has(i.unit) ? "(" : ""}${i.unit}${names.has(i.unit) ? ")" : ""}`
      : W.dash;
    return {
      id: first ? `row-${i.row}` : undefined,
      className: i.severity === "error" ? "row--error" : "row--warning",
      cells: [
        i.row > 0 ? String(i.row) : W.dash,
        i.column ?? W.dash,
        unit,
        html`<code>${i.code}</code>`,
        html`${severityTag(i)} ${i.message}`,
      ],
    };
  });
  const { offset, limit, total } = report.issues;
  const pager =
    total > limit
      ? html`<nav class="pager" aria-label="${W.report.issues}">
  <span>${W.report.issuesPage(offset + 1, Math.min(total, offset + limit), total)}</span>
  ${offset > 0 ? html`<a href="?offset=${Math.max(0, offset - limit)}">${W.report.previous}</a>` : ""}
  ${offset + limit < total ? html`<a href="?offset=${offset + limit}">${W.report.next}</a>` : ""}
</nav>`
      : "";
  return html`<h2 class="heading">${W.report.issues}</h2>
${report.truncated ? notice(W.report.truncated(report.issuesKept, report.issuesTotal), "warning") : ""}
${table({
  caption: W.report.issues,
  hideCaption: true,
  head: [W.report.row, W.report.column, W.report.unit, W.report.code, W.report.message],
  rows,
  empty: W.report.noIssues,
})}
${pager}`;
}

function explainForm(input: ReportViewInput, report: ReportPage): SafeHtml {
  const rows = report.rows.filter((r) => r.outcome === "needs_explanation");
  if (!rows.length) return html``;
  const warningsOf = (row: number) =>
    report.issues.items.filter((i) => i.row === row && i.severity === "warning");
  return html`<h2 class="heading" id="explain">${W.report.explainTitle}</h2>
<p>${W.report.explainIntro}</p>
<form method="post" action="/web/uploads/${input.upload.uploadId}/explanations" class="form">
  ${rows.map((r) => {
    const id = `explain-${r.row}`;
    const error = input.explainErrors?.get(r.row);
    const unit = `${input.unitNames.get(r.unit) ?? r.unit}`;
    return html`<div class="field${error ? " field--error" : ""}">
    <label class="label" for="${id}">${W.report.explainLabel(r.row, unit)}</label>
    <ul class="hint" id="${id}-hint">${warningsOf(r.row).map((w) => html`<li>${w.message}</li>`)}</ul>
    ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ""}
    <textarea class="textarea" id="${id}" name="${id}" rows="3" maxlength="500" aria-describedby="${id}-hint${error ? ` ${id}-error` : ""}">${input.explanations?.get(r.row) ?? ""}</textarea>
  </div>`;
  })}
  ${button(W.report.explainSubmit)}
</form>`;
}

/** How 提交说明's outcome rides in the report page's address (?sent=…). */
export const SENT_QUERY = { new: "1", again: "2" } as const;

function sentNotice(sent: ReportViewInput["sent"]): SafeHtml | "" {
  if (sent === "new") return notice(W.report.explainSent, "success");
  if (sent === "again") return notice(W.report.explainAgain, "info");
  return "";
}

export function reportView(input: ReportViewInput): SafeHtml {
  const { upload, report } = input;
  const state = W.uploadStates[upload.status] ?? upload.status;
  const head = html`${pageTitle(W.report.title, upload.fileName ?? upload.uploadId)}
${summaryList([
  [W.report.file, upload.fileName ?? W.dash],
  [W.report.uploadedAt, beijingTime(upload.receivedAt)],
  [
    W.report.state,
    upload.status === "failed" ? html`${tag(W.report.failed, "bad")} ${upload.error ?? ""}` : state,
  ],
])}`;
  if (!report) {
    if (upload.status === "failed")
      return html`${head}<p><a class="button" href="/web/upload">${W.report.reupload}</a></p>`;
    const result = `/web/uploads/${upload.uploadId}${input.sent ? `?sent=${SENT_QUERY[input.sent]}` : ""}`;
    return html`${sentNotice(input.sent)}${head}${notice(
      html`<span data-poll="/web/uploads/${upload.uploadId}/status" data-result="${result}">${W.report.processing}</span>`,
    )}`;
  }
  // Everything to act on, in table order: errors (fix and re-upload) and warnings (a 说明 here).
  const errors: ErrorItem[] = [];
  for (const [row, message] of input.explainErrors ?? []) errors.push({ message, href: `#explain-${row}` });
  const open = new Set(report.rows.map((r) => r.row));
  const explain = new Set(report.rows.filter((r) => r.outcome === "needs_explanation").map((r) => r.row));
  for (const i of report.issues.items
    .filter((x) => open.has(x.row) || (x.row === 0 && x.severity === "error"))
    .slice(0, 20)) {
    // A warning on a row waiting for its 说明 links to that row's text box, the rest to the table.
    const href =
      i.row <= 0
        ? undefined
        : i.severity === "warning" && explain.has(i.row)
          ? `#explain-${i.row}`
          : `#row-${i.row}`;
    errors.push({ message: i.message, href });
  }
  const { summary } = report;
  return html`${errorSummary(errors)}
${sentNotice(input.sent)}
${head}
<h2 class="heading">${W.report.summary}</h2>
<ul class="counts">
  <li class="count"><span class="count__n">${summary.rows}</span> ${W.report.rows}</li>
  <li class="count count--ok"><span class="count__n">${summary.accepted}</span> ${W.report.accepted}</li>
  <li class="count count--warn"><span class="count__n">${summary.needs_explanation}</span> ${W.report.needsExplanation}</li>
  <li class="count count--bad"><span class="count__n">${summary.rejected}</span> ${W.report.rejected}</li>
</ul>
${issuesTable(report, input.unitNames)}
${explainForm(input, report)}
${summary.rejected ? html`<p>${W.report.fixHint} <a href="/web/upload">${W.report.reupload}</a></p>` : ""}
<p class="actions">
  ${input.reportXlsxUrl ? html`<a href="/web/uploads/${upload.uploadId}/report.xlsx">${W.report.downloadXlsx}</a>` : ""}
  ${input.reportCsvUrl ? html`<a href="/web/uploads/${upload.uploadId}/report.csv">${W.report.downloadCsv}</a>` : ""}
  <a href="/web/home">${W.report.back}</a>
</p>`;
}
