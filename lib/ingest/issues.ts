/**
 * Validation issues: stable codes (the API, tests and reports use them) with Chinese messages a
 * 党务干部 understands. Like 统计联网直报: errors (强制性审核, E_…) reject a row; warnings
 * (核实性审核, W_…) need a 说明 before the row is accepted. The codes of the row rules live with
 * their rules (row-rules.ts, RowRuleCode); the lists here are the checks that are not row rules.
 */
import type { RowRuleCode } from "./row-rules.ts";

/** Every code says its severity in its prefix. */
export type RuleCode = `E_${string}` | `W_${string}`;

export const FILE_ERRORS = [
  "E_ENCODING",
  "E_EMPTY",
  "E_NO_ROWS",
  "E_HEADER_MISSING",
  "E_HEADER_DUPLICATE",
  "E_FILE_TOO_LARGE",
  "E_MALFORMED",
  "E_TOO_MANY_ERRORS",
  "E_WORKBOOK",
] as const satisfies readonly `E_${string}`[];

/**
 * Why the pipeline refused a whole upload before reading it: the upload record the API created is
 * the authority on whose file it is, not the object key's text.
 */
export const UPLOAD_ERRORS = [
  "E_UPLOAD_UNKNOWN",
  "E_SCOPE_UNKNOWN",
  "E_AUTH_REVOKED",
  "E_PERIOD_LOCKED",
] as const satisfies readonly `E_${string}`[];

export const ROW_ERRORS = [
  "E_UNIT_MISSING",
  "E_UNIT_UNKNOWN",
  "E_UNIT_FORBIDDEN",
  "E_PERIOD_INVALID",
  "E_PERIOD_FUTURE",
  "E_PERIOD_TOO_EARLY",
  "E_NOT_NUMBER",
  "E_NEGATIVE",
  "E_NOT_INTEGER",
  "E_OUT_OF_RANGE",
  "E_REQUIRED_MISSING",
  "E_DUPLICATE_ROW",
  "E_TEXT_TOO_LONG",
  "E_MERGED_CELLS",
] as const satisfies readonly `E_${string}`[];

export const WARNINGS = [
  "W_UNKNOWN_COLUMN",
  "W_PERIOD_MISMATCH",
  "W_OTHER_SHEETS",
] as const satisfies readonly `W_${string}`[];

export type IssueCode =
  | (typeof FILE_ERRORS)[number]
  | (typeof UPLOAD_ERRORS)[number]
  | (typeof ROW_ERRORS)[number]
  | (typeof WARNINGS)[number]
  | RowRuleCode;
export type Severity = "error" | "warning";

export interface ValidationIssue {
  /** Spreadsheet row (header = 1); 0 for the file as a whole. */
  readonly row: number;
  readonly unit: string | null;
  /** The column as the user named it (中文名), or null. */
  readonly column: string | null;
  readonly code: IssueCode;
  readonly severity: Severity;
  readonly message: string;
}

export function severityOf(code: IssueCode): Severity {
  return code.startsWith("W_") ? "warning" : "error";
}

/** Longest cell text echoed in a message or an issue's fields: a garbage cell must not grow the report. */
export const MAX_ECHO_CHARS = 40;

/** A cell's text as a message quotes it: at most MAX_ECHO_CHARS characters, then "…". */
export function excerpt(text: string, max = MAX_ECHO_CHARS): string {
  if (text.length <= max) return text;
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join("")}…`;
}

export function issue(
  code: IssueCode,
  row: number,
  unit: string | null,
  column: string | null,
  detail: string,
): ValidationIssue {
  const col = column === null ? null : excerpt(column);
  const where = row > 0 ? `第${row}行${col ? ` ${col}` : ""}:` : "";
  return {
    row,
    unit: unit === null ? null : excerpt(unit),
    column: col,
    code,
    severity: severityOf(code),
    message: where + detail,
  };
}

/** Human-readable names for the report. */
export const OUTCOME_NAMES = {
  accepted: "已接收",
  needs_explanation: "待说明",
  rejected: "未通过",
} as const;

export const STATUS_NAMES = {
  accepted: "全部通过",
  partial: "部分通过",
  rejected: "未通过",
} as const;
