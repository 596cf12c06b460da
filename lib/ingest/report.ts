/**
 * The validation report: one JSON shape for the CLI (--json), the stored reports/{uploadId}.json
 * and the API, plus the Chinese text rendering a 党务干部 reads.
 */
import type { Month } from "../domain/periods.ts";
import { formatCsv } from "./csv.ts";
import type { Encoding } from "./decode.ts";
import { hasFileError, type IngestResult, type RowCounts } from "./ingest.ts";
import { excerpt, type IssueCode, OUTCOME_NAMES, STATUS_NAMES, type ValidationIssue } from "./issues.ts";
import type { CheckedRow, Outcome } from "./returns.ts";

export type ReportStatus = "accepted" | "partial" | "rejected";

/**
 * What a report keeps, whatever the file: the first issues with their full text, every issue
 * counted per code and column, and a compact line per row for the first rows. A 6 MB file of
 * garbage must not become a 700 MB report (or a heap exhaustion).
 */
export const REPORT_LIMITS = { issues: 1000, rows: 5000 } as const;

export interface ReportRow {
  readonly row: number;
  readonly unit: string;
  readonly period: Month | null;
  readonly outcome: Outcome;
}

export interface IssueCount {
  readonly code: IssueCode;
  readonly severity: ValidationIssue["severity"];
  readonly column: string | null;
  readonly count: number;
}

export interface ValidationReport {
  readonly status: ReportStatus;
  readonly encoding: Encoding | null;
  readonly summary: RowCounts;
  /** Every issue found, and how many of them `issues` carries (the first, in row order). */
  readonly issues_total: number;
  readonly truncated: boolean;
  readonly issue_counts: readonly IssueCount[];
  /** One line per data row, for the first REPORT_LIMITS.rows rows. */
  readonly rows: readonly ReportRow[];
  readonly issues: readonly ValidationIssue[];
}

/**
 * Collects issues in row order with bounded memory: keeps the first `limit` whole, counts all.
 * Add issues in row order (file issues first); merge() combines two collectors that each did.
 */
export class IssueCollector {
  readonly kept: ValidationIssue[] = [];
  readonly #counts = new Map<
    string,
    { code: IssueCode; severity: ValidationIssue["severity"]; column: string | null; count: number }
  >();
  total = 0;

  constructor(readonly limit: number = REPORT_LIMITS.issues) {}

  add(issue: ValidationIssue): void {
    this.total++;
    if (this.kept.length < this.limit) this.kept.push(issue);
    const id = `${issue.code}\u0000${issue.column ?? ""}`;
    const entry = this.#counts.get(id);
    if (entry) entry.count++;
    else this.#counts.set(id, { code: issue.code, severity: issue.severity, column: issue.column, count: 1 });
  }

  addAll(issues: readonly ValidationIssue[]): void {
    for (const i of issues) this.add(i);
  }

  counts(): IssueCount[] {
    return [...this.#counts.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  }

  /** Two collectors' issues as one: the first `limit` by row (file issues, row 0, first), all counted. */
  static merge(a: IssueCollector, b: IssueCollector): IssueCollector {
    const out = new IssueCollector(a.limit);
    const merged = [...a.kept, ...b.kept].sort((x, y) => x.row - y.row);
    out.kept.push(...merged.slice(0, out.limit));
    out.total = a.total + b.total;
    for (const c of [...a.counts(), ...b.counts()]) {
      const id = `${c.code}\u0000${c.column ?? ""}`;
      const entry = out.#counts.get(id);
      if (entry) entry.count += c.count;
      else out.#counts.set(id, { ...c });
    }
    return out;
  }
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

/**
 * Builds the report from an ingest result and its kept rows (possibly re-checked with history).
 * Rows ingest did not keep (rejected ones, unless asked to keep all) come from the result's
 * bounded record of them.
 */
export function buildReport(
  result: Pick<IngestResult, "encoding" | "fileIssues" | "dropped">,
  rows: readonly CheckedRow[],
  counts: RowCounts,
): ValidationReport {
  const fileError = hasFileError(result.fileIssues);
  // A file error rejects every row, whatever its own checks said.
  const summary: RowCounts = fileError
    ? { rows: counts.rows, accepted: 0, needs_explanation: 0, rejected: counts.rows }
    : counts;
  const kept = new IssueCollector();
  kept.addAll(result.fileIssues);
  for (const r of rows) kept.addAll(r.issues);
  const issues = IssueCollector.merge(kept, result.dropped.issues);
  const lines: ReportRow[] = rows.slice(0, REPORT_LIMITS.rows).map((r) => ({
    row: r.row,
    unit: excerpt(r.unit),
    period: r.period,
    outcome: fileError ? "rejected" : r.outcome,
  }));
  const listed = [...lines, ...result.dropped.rows]
    .sort((a, b) => a.row - b.row)
    .slice(0, REPORT_LIMITS.rows);
  return {
    status: statusOf(result.fileIssues, summary),
    encoding: result.encoding,
    summary,
    issues_total: issues.total,
    truncated: issues.total > issues.kept.length,
    issue_counts: issues.counts(),
    rows: listed,
    issues: issues.kept,
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
  const total = (severity: ValidationIssue["severity"]) =>
    report.issue_counts.filter((c) => c.severity === severity).reduce((n, c) => n + c.count, 0);
  const shown = (n: number, all: number) => (all > n ? `共${all}条,以下列出前${n}条` : `${all}条`);
  if (report.truncated) {
    lines.push("", `问题较多,共${report.issues_total}条,按类别统计:`);
    for (const c of report.issue_counts.slice(0, 30)) {
      lines.push(`  [${c.code}]${c.column ? ` ${c.column}` : ""}:${c.count}条`);
    }
  }
  if (errors.length) {
    lines.push("", `错误(${shown(errors.length, total("error"))},须改正后重新上传):`);
    for (const e of errors) lines.push(`  [${e.code}] ${e.message}`);
  }
  if (warnings.length) {
    lines.push(
      "",
      `提示(${shown(warnings.length, total("warning"))},请核实;数据无误的请在“说明”栏写明情况):`,
    );
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
  if (report.truncated) {
    rows.push(
      [],
      ["", "", "", "", "", `问题共${report.issues_total}条,以上为前${report.issues.length}条;按类别统计如下`],
    );
    for (const c of report.issue_counts) {
      rows.push(["", "", c.column ?? "", c.code, c.severity === "error" ? "错误" : "提示", `${c.count}条`]);
    }
  }
  return formatCsv(rows, { bom: true, neutraliseFormulas: true });
}

export interface IssuePage {
  readonly offset: number;
  readonly limit: number;
  readonly total: number;
  readonly items: readonly ValidationIssue[];
}

/** A report split as the API answers it: everything but the issues, and one page of those. */
export function pageOfIssues(
  report: ValidationReport,
  offset: number,
  limit: number,
): { summary: Omit<ValidationReport, "issues">; page: IssuePage } {
  const { issues, ...summary } = report;
  return {
    summary,
    page: { offset, limit, total: issues.length, items: issues.slice(offset, offset + limit) },
  };
}
