/**
 * What the pages derive from the API's answers, as pure functions: the reporting month and its
 * deadline as the viewer sees them, a unit's 报送状态 for a month, the validation report in the
 * bounded shape (with an adapter from the older, unbounded one), the prefilled template.
 */
import type { z } from "zod";
import type { storedReturnSchema, uploadSchema } from "../api/schemas.ts";
import { addMonths, beijingDate, deadlineOf, type Month, monthOf } from "../domain/periods.ts";
import { formatCsv } from "../ingest/csv.ts";
import { templateHeader } from "../ingest/header.ts";
import { parseUploadKey } from "../objects.ts";

export type StoredReturnView = z.output<typeof storedReturnSchema>;
export type UploadView = Omit<z.output<typeof uploadSchema>, "status"> & { status: string; error?: string };

/** The month units report now: last month, until its deadline and after (late returns are still due). */
export function reportingMonth(now: Date): Month {
  return addMonths(monthOf(now), -1);
}

export interface DeadlineState {
  readonly deadline: Date;
  /** Whole Beijing calendar days: left until the deadline day, or past it. */
  readonly daysLeft: number;
  readonly overdueDays: number;
}

const DAY = 86_400_000;

export function deadlineState(month: Month, now: Date, deadlineDay: number): DeadlineState {
  const deadline = deadlineOf(month, deadlineDay);
  const today = Date.parse(beijingDate(now));
  const last = Date.parse(beijingDate(deadline));
  const diff = Math.round((last - today) / DAY);
  return now.getTime() > deadline.getTime()
    ? { deadline, daysLeft: 0, overdueDays: Math.max(1, -diff) }
    : { deadline, daysLeft: Math.max(0, diff), overdueDays: 0 };
}

export type MonthStatus = "missing" | "accepted" | "needsExplanation" | "rejected" | "processing" | "failed";

export function periodOfUpload(upload: Pick<UploadView, "key">): string | undefined {
  return parseUploadKey(upload.key)?.period;
}

/**
 * A unit's state for a month: 已接收 once a return is stored; otherwise what its latest upload
 * for that month came to (待说明 when rows wait for a 说明, 未通过 when rejected); 未报送 without any.
 */
export function monthStatus(
  stored: readonly StoredReturnView[],
  uploads: readonly UploadView[],
  unit: string,
  month: Month,
): { status: MonthStatus; lastUpload: UploadView | undefined } {
  const forMonth = uploads
    .filter((u) => periodOfUpload(u) === month && u.status !== "awaiting_file")
    .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  const lastUpload = forMonth[0];
  if (stored.some((r) => r.unit === unit && r.period === month)) return { status: "accepted", lastUpload };
  if (!lastUpload) return { status: "missing", lastUpload };
  switch (lastUpload.status) {
    case "received":
    case "validated":
      return { status: "processing", lastUpload };
    case "failed":
      return { status: "failed", lastUpload };
    default:
      return {
        status: (lastUpload.summary?.needs_explanation ?? 0) > 0 ? "needsExplanation" : "rejected",
        lastUpload,
      };
  }
}

/**
 * The template for a unit (or a 片区: one row per unit under it) and a month: 单位代码 and
 * 报送期间 filled in. A leading tab keeps Excel from reading the code as a number (it would drop
 * the leading zeros) and the period as a date; the validator trims it.
 */
export function prefilledTemplate(units: readonly string[], month: Month): string {
  const header = templateHeader();
  const blanks = header.slice(2).map(() => "");
  return formatCsv([header, ...units.map((code) => [`\t${code}`, `\t${month}`, ...blanks])]);
}

// The validation report, bounded (issue 9): summary, per-code counts, the rows not accepted
// (capped) and one page of issues.

export interface ReportIssue {
  readonly row: number;
  readonly unit: string | null;
  readonly column: string | null;
  readonly code: string;
  readonly severity: "error" | "warning";
  readonly message: string;
}

export interface ReportRowView {
  readonly row: number;
  readonly unit: string;
  readonly period: string | null;
  readonly outcome: "accepted" | "needs_explanation" | "rejected";
}

export interface ReportPage {
  readonly status: "accepted" | "partial" | "rejected";
  readonly summary: { rows: number; accepted: number; needs_explanation: number; rejected: number };
  readonly rows: readonly ReportRowView[];
  readonly issues: { offset: number; limit: number; total: number; items: readonly ReportIssue[] };
  readonly truncated: boolean;
  readonly issuesKept: number;
  readonly issuesTotal: number;
}

interface AnyReportAnswer {
  report: null | {
    status: ReportPage["status"];
    summary: ReportPage["summary"];
    rows: ReportRowView[];
    issues?: ReportIssue[];
    issues_total?: number;
    issues_kept?: number;
    truncated?: boolean;
  };
  issues?: ReportPage["issues"];
}

/**
 * GET /v1/uploads/{id} in either shape: the bounded one (report without issues, `issues` paged
 * beside it) or the older one (every issue inside the report), paged here the same way.
 */
export function reportPageOf(answer: unknown, offset: number, limit: number): ReportPage | null {
  const a = answer as AnyReportAnswer;
  const report = a.report;
  if (!report) return null;
  const rows = report.rows.filter((r) => r.outcome !== "accepted");
  if (a.issues) {
    return {
      status: report.status,
      summary: report.summary,
      rows,
      issues: a.issues,
      truncated: report.truncated ?? false,
      issuesKept: report.issues_kept ?? a.issues.total,
      issuesTotal: report.issues_total ?? a.issues.total,
    };
  }
  const all = report.issues ?? [];
  return {
    status: report.status,
    summary: report.summary,
    rows,
    issues: { offset, limit, total: all.length, items: all.slice(offset, offset + limit) },
    truncated: false,
    issuesKept: all.length,
    issuesTotal: all.length,
  };
}
