/**
 * The validation report: one JSON shape for the CLI (--json), the stored reports/{uploadId}.json
 * and the API, plus the Chinese text rendering a 党务干部 reads.
 */
import type { Values } from "../domain/catalogue.ts";
import type { Month } from "../domain/periods.ts";
import { formatCsv } from "./csv.ts";
import type { Encoding } from "./decode.ts";
import { hasFileError, type IngestResult, type RowCounts } from "./ingest.ts";
import { OUTCOME_NAMES, STATUS_NAMES, type ValidationIssue } from "./issues.ts";
import type { CheckedRow, Outcome } from "./returns.ts";

export type ReportStatus = "accepted" | "partial" | "rejected";

export interface ReportRow {
  readonly row: number;
  readonly unit: string;
  readonly period: Month | null;
  readonly outcome: Outcome;
  readonly values: Values;
}

export interface ValidationReport {
  readonly status: ReportStatus;
  readonly encoding: Encoding | null;
  readonly summary: RowCounts;
  readonly rows: readonly ReportRow[];
  readonly issues: readonly ValidationIssue[];
}

const ENCODING_NAMES: Record<Encoding, string> = {
  "utf-8": "UTF-8",
  "utf-8-bom": "UTF-8(带BOM)",
  gb18030: "GB18030/GBK",
  "utf-16le": "UTF-16LE(Unicode文本)",
  "utf-16be": "UTF-16BE",
  ascii: "ASCII",
};

export function statusOf(fileIssues: readonly ValidationIssue[], counts: RowCounts): ReportStatus {
  if (hasFileError(fileIssues) || counts.accepted === 0) return "rejected";
  return counts.accepted === counts.rows ? "accepted" : "partial";
}

/** Builds the report from an ingest result (rows possibly re-checked with history). */
export function buildReport(
  result: Pick<IngestResult, "encoding" | "fileIssues">,
  rows: readonly CheckedRow[],
  counts: RowCounts,
): ValidationReport {
  const fileError = hasFileError(result.fileIssues);
  // A file error rejects every row, whatever its own checks said.
  const summary: RowCounts = fileError
    ? { rows: counts.rows, accepted: 0, needs_explanation: 0, rejected: counts.rows }
    : counts;
  return {
    status: statusOf(result.fileIssues, summary),
    encoding: result.encoding,
    summary,
    rows: rows.map((r) => ({
      row: r.row,
      unit: r.unit,
      period: r.period,
      outcome: fileError ? "rejected" : r.outcome,
      values: r.values,
    })),
    issues: [...result.fileIssues, ...rows.flatMap((r) => r.issues)],
  };
}

/** The report as Chinese text for a terminal or an e-mail. */
export function formatReport(report: ValidationReport, fileName: string): string {
  const lines: string[] = [];
  const s = report.summary;
  lines.push(`文件:${fileName}`);
  if (report.encoding) lines.push(`编码:${ENCODING_NAMES[report.encoding]}`);
  lines.push(`审核结果:${STATUS_NAMES[report.status]}`);
  lines.push(
    `数据行:共${s.rows}行,${OUTCOME_NAMES.accepted}${s.accepted}行,${OUTCOME_NAMES.needs_explanation}${s.needs_explanation}行,${OUTCOME_NAMES.rejected}${s.rejected}行`,
  );
  const errors = report.issues.filter((i) => i.severity === "error");
  const warnings = report.issues.filter((i) => i.severity === "warning");
  if (errors.length) {
    lines.push("", `错误(${errors.length}条,须改正后重新上传):`);
    for (const e of errors) lines.push(`  [${e.code}] ${e.message}`);
  }
  if (warnings.length) {
    lines.push("", `提示(${warnings.length}条,请核实;数据无误的请在“说明”栏写明情况):`);
    for (const w of warnings) lines.push(`  [${w.code}] ${w.message}`);
  }
  if (!errors.length && !warnings.length) lines.push("", "未发现问题。");
  return lines.join("\n");
}

/** The report's issues as a CSV for Excel (BOM, formula-like cells neutralised). */
export function reportCsv(report: ValidationReport): string {
  const rows: (string | number)[][] = [["行号", "单位代码", "列", "问题代码", "类别", "说明"]];
  for (const i of report.issues) {
    rows.push([
      i.row || "",
      i.unit ?? "",
      i.column ?? "",
      i.code,
      i.severity === "error" ? "错误" : "提示",
      i.message,
    ]);
  }
  return formatCsv(rows, { bom: true, neutraliseFormulas: true });
}
