/**
 * 上传: a plain multipart form that works without script (the portal forwards the file through
 * the same presigned POST); portal.js takes it over to post straight to storage with a progress
 * bar, then follows the upload until its report is ready. Drag-and-drop is an extra, never the way.
 */
import { monthLabel } from "../../domain/periods.ts";
import { html, type SafeHtml } from "../html.ts";
import { W } from "../wording.ts";
import { button, errorSummary, pageTitle, selectField } from "./components.ts";
import { type LockNotice, lockedNotice } from "./review-state.ts";

/** CSV and Excel workbooks (.xlsm is read as .xlsx): the same files POST /v1/uploads takes. */
const ACCEPT = [
  ".csv",
  ".xlsx",
  ".xlsm",
  ".xls",
  "text/csv",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.ms-excel.sheet.macroEnabled.12",
  "application/vnd.ms-excel",
].join(",");

export interface UploadPageView {
  readonly unitName: string;
  readonly months: readonly string[];
  readonly month: string;
  readonly units: readonly { code: string; name: string }[];
  readonly unit: string;
  readonly maxBytes: number;
  readonly relayBytes: number;
  readonly error?: string | undefined;
  /** The 片区 locks (市级确认) that refuse uploads for the chosen month. */
  readonly locks?: readonly LockNotice[];
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

export function uploadView(v: UploadPageView): SafeHtml {
  return html`${errorSummary(v.error ? [{ message: v.error, href: "#file" }] : [])}
${pageTitle(W.upload.title, v.unitName)}
<p>${W.upload.intro}</p>
<div data-lock-notice aria-live="polite">${lockedNotice(v.month, v.locks ?? [])}</div>
<form class="form upload-form" method="post" action="/web/upload" enctype="multipart/form-data"
  data-upload data-lock-url="/web/upload/lock" data-max-bytes="${v.maxBytes}" data-msg-too-large="${W.upload.tooLarge(mb(v.maxBytes))}"
  data-msg-no-file="${W.upload.noFile}" data-msg-uploading="${W.upload.uploading}"
  data-msg-waiting="${W.upload.waiting}" data-msg-failed="${W.upload.failed}" data-msg-chosen="${W.upload.chosen("{name}")}">
  ${selectField({
    id: "period",
    name: "period",
    label: W.upload.period,
    value: v.month,
    options: v.months.map((m) => ({ value: m, label: monthLabel(m) })),
  })}
  ${
    v.units.length > 1
      ? selectField({
          id: "unit",
          name: "unit",
          label: W.upload.unit,
          value: v.unit,
          options: v.units.map((u) => ({ value: u.code, label: `${u.name}(${u.code})` })),
        })
      : html`<input type="hidden" name="unit" value="${v.unit}">`
  }
  <div class="field${v.error ? " field--error" : ""}">
    <label class="label" for="file">${W.upload.file}</label>
    <div class="hint" id="file-hint">${W.upload.fileHint(mb(v.maxBytes))}</div>
    ${v.error ? html`<p class="field-error" id="file-error">${v.error}</p>` : ""}
    <input class="file-input" id="file" name="file" type="file" accept="${ACCEPT}" required
      aria-describedby="file-hint${v.error ? " file-error" : ""}">
    <div class="dropzone" data-dropzone hidden aria-hidden="true">${W.upload.drop}</div>
    <p class="hint" data-chosen aria-live="polite"></p>
  </div>
  <div class="progress" data-progress hidden>
    <label for="upload-progress">${W.upload.progress}</label>
    <progress id="upload-progress" max="100" value="0"></progress>
    <p class="progress__text" data-progress-text role="status" aria-live="polite"></p>
  </div>
  ${button(W.upload.submit)}
  <p class="hint no-script-only">${W.upload.relayLimit(mb(v.relayBytes))}</p>
</form>
<div data-upload-result aria-live="polite"></div>`;
}
