/**
 * Validation issues: stable codes (the API, tests and reports use them) with Chinese messages a
 * 党务干部 understands. Like 统计联网直报: errors (强制性审核) reject a row; warnings (核实性审核)
 * need a 说明 before the row is accepted.
 */

export const FILE_ERRORS = [
  "E_ENCODING",
  "E_EMPTY",
  "E_NO_ROWS",
  "E_HEADER_MISSING",
  "E_HEADER_DUPLICATE",
  "E_FILE_TOO_LARGE",
  "E_MALFORMED",
  "E_WORKBOOK",
] as const;

export const ROW_ERRORS = [
  "E_UNIT_MISSING",
  "E_UNIT_UNKNOWN",
  "E_UNIT_FORBIDDEN",
  "E_PERIOD_INVALID",
  "E_PERIOD_FUTURE",
  "E_NOT_NUMBER",
  "E_NEGATIVE",
  "E_NOT_INTEGER",
  "E_OUT_OF_RANGE",
  "E_REQUIRED_MISSING",
  "E_DUPLICATE_ROW",
  "E_REPORTED_GT_MEMBERS",
  "E_TEXT_TOO_LONG",
  "E_MERGED_CELLS",
] as const;

export const WARNINGS = [
  "W_UNKNOWN_COLUMN",
  "W_OTHER_SHEETS",
  "W_SOLVED_GT_COLLECTED",
  "W_HOURS_PER_PERSON",
  "W_ALL_ZERO",
  "W_OUTLIER",
  "W_STOCK_DROP",
] as const;

export type IssueCode =
  | (typeof FILE_ERRORS)[number]
  | (typeof ROW_ERRORS)[number]
  | (typeof WARNINGS)[number];
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

const WARNING_SET: ReadonlySet<string> = new Set(WARNINGS);

export function severityOf(code: IssueCode): Severity {
  return WARNING_SET.has(code) ? "warning" : "error";
}

export function issue(
  code: IssueCode,
  row: number,
  unit: string | null,
  column: string | null,
  detail: string,
): ValidationIssue {
  const where = row > 0 ? `第${row}行${column ? ` ${column}` : ""}:` : "";
  return { row, unit, column, code, severity: severityOf(code), message: where + detail };
}

/**
 * Thrown by a record source for a file it cannot read at all (an encrypted or corrupt workbook, a zip
 * bomb); the ingest stage turns it into one file issue with this code and message.
 */
export class FileProblem extends Error {
  constructor(
    readonly code: (typeof FILE_ERRORS)[number],
    message: string,
  ) {
    super(message);
    this.name = "FileProblem";
  }
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
