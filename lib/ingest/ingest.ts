/**
 * The ingestion pipeline as named stages, DHIS2-style: decode → parse → header → normalise →
 * check, each stage's problems collected as issues rather than thrown. Streaming: rows are handed
 * to a sink as they are checked; nothing here grows with the file unless the caller keeps rows.
 */

import { type Month, monthLabel, monthOf } from "../domain/periods.ts";
import type { Registry } from "../domain/registry.ts";
import { EncodingProblem, FileProblem } from "../errors.ts";
import { type Encoding, StreamDecoder } from "./decode.ts";
import { type Duplicate, SeenReturns } from "./duplicates.ts";
import { type ColumnMap, columnLabel, HEADER_SEARCH_RECORDS, resolveHeader } from "./header.ts";
import { excerpt, issue, type ValidationIssue } from "./issues.ts";
import { IssueCollector, REPORT_LIMITS, type ReportRow } from "./report.ts";
import { type CheckedRow, isBlankRecord, normaliseRecord, type Outcome } from "./returns.ts";
import { checkConsistency, checkHistory, type PriorReturn } from "./row-rules.ts";
import { checkUnitAndPeriod, outcomeOf } from "./rules.ts";
import type { RecordNote } from "./sheet.ts";
import { type FileFormat, readRecords, WORKBOOK_LIMITS } from "./source.ts";

export interface IngestLimits {
  readonly maxBytes: number;
  readonly maxRows: number;
  /** Rows after which a file mostly rejected is stopped (EARLY_STOP.afterRows unless set). */
  readonly earlyStopRows?: number;
  /** Workbooks: what the zip may unpack to, and how many cells its sheets may hold (WORKBOOK_LIMITS). */
  readonly maxUnpackedBytes?: number;
  readonly maxCells?: number;
}

export const DEFAULT_LIMITS: IngestLimits = { maxBytes: 20 * 1024 * 1024, maxRows: 100_000 };

export interface IngestOptions {
  readonly registry: Registry;
  /** "Now" for the future-period check (the upload time, or --as-of). */
  readonly now: Date;
  readonly limits?: IngestLimits;
  readonly uploaderScope?: string | undefined;
  /** The unit's stored returns; omit to leave history rules to applyHistory(). */
  readonly history?: ((unit: string) => readonly PriorReturn[] | undefined) | undefined;
  /**
   * Which checked rows the result keeps: "usable" (default: accepted and needs_explanation — what
   * the pipeline can store; rejected rows are only counted and listed compactly), "all" (tests
   * and tools that inspect rejected rows), or "none" (the bench). `onRow` sees each row as it is
   * checked; a row that a later, different copy of the same unit and month rejects after the fact
   * is listed in `revoked` (and moved from `rows` to `dropped` when kept).
   */
  readonly keepRows?: "usable" | "all" | "none";
  /** The earliest reporting month (FIRST_REPORTING_MONTH); earlier periods are rejected. */
  readonly firstMonth?: Month | undefined;
  /** The month the upload was made for (from its key): rows for another month get a notice. */
  readonly uploadPeriod?: Month | undefined;
}

/**
 * Early stop: after this many data rows, a file where more than half the rows are rejected is not
 * a return with some mistakes but the wrong file (or the wrong columns): stop and say so.
 */
export const EARLY_STOP = { afterRows: 1000, rejectedShare: 0.5 } as const;

/** What ingest did not keep of the rejected rows: a compact line each and their issues, both bounded. */
export interface DroppedRows {
  readonly rows: readonly ReportRow[];
  readonly issues: IssueCollector;
}

export interface RowCounts {
  rows: number;
  accepted: number;
  needs_explanation: number;
  rejected: number;
}

export interface IngestResult {
  /** What the content turned out to be (never the file name's say). */
  readonly format: FileFormat;
  readonly encoding: Encoding | null;
  /** File-level errors (any one rejects the whole file) and notices such as W_UNKNOWN_COLUMN. */
  readonly fileIssues: readonly ValidationIssue[];
  readonly rows: readonly CheckedRow[];
  readonly dropped: DroppedRows;
  readonly counts: RowCounts;
  readonly bytes: number;
  /** Rows rejected after onRow saw them (an earlier copy of a conflicting duplicate). */
  readonly revoked: readonly number[];
}

export function hasFileError(fileIssues: readonly ValidationIssue[]): boolean {
  return fileIssues.some((i) => i.severity === "error");
}

async function* limitBytes(
  source: AsyncIterable<Uint8Array>,
  maxBytes: number,
  onExceeded: () => void,
  onChunk: (bytes: number) => void,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      onExceeded();
      return;
    }
    onChunk(chunk.byteLength);
    yield chunk;
  }
}

/** Runs the whole pipeline over a byte stream. `onRow` sees every checked data row in order. */
export async function ingest(
  source: AsyncIterable<Uint8Array>,
  options: IngestOptions,
  onRow?: (row: CheckedRow) => void,
): Promise<IngestResult> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const keepRows = options.keepRows ?? "usable";
  const ctx = {
    registry: options.registry,
    latestMonth: monthOf(options.now),
    uploaderScope: options.uploaderScope,
    firstMonth: options.firstMonth,
    uploadPeriod: options.uploadPeriod,
  };
  const earlyStopRows = limits.earlyStopRows ?? EARLY_STOP.afterRows;
  const droppedRows: ReportRow[] = [];
  const droppedIssues = new IssueCollector();
  let stoppedEarly = false;
  const decoder = new StreamDecoder();
  const fileIssues: ValidationIssue[] = [];
  const rows: CheckedRow[] = [];
  const counts: RowCounts = { rows: 0, accepted: 0, needs_explanation: 0, rejected: 0 };
  const seen = new SeenReturns(options.registry);
  let columns: ColumnMap | undefined;
  let headerFailure: ValidationIssue[] | undefined;
  let sawAnyRecord = false;
  let tooLarge: "bytes" | "rows" | undefined;
  let bytesRead = 0;
  const revoked = new Map<number, number>();

  const bytes = limitBytes(
    source,
    limits.maxBytes,
    () => {
      tooLarge = "bytes";
      // Stop now: the text already read ends mid-row, and checking that fragment gave spurious issues.
      parser.stop();
    },
    (n) => {
      bytesRead += n;
    },
  );
  const workbookLimits = {
    maxUnpackedBytes: limits.maxUnpackedBytes ?? WORKBOOK_LIMITS.maxUnpackedBytes,
    maxCells: limits.maxCells ?? WORKBOOK_LIMITS.maxCells,
  };
  // CSV text or a workbook's sheet: the same records into the same callback.
  const parser = readRecords(bytes, decoder, workbookLimits, (records, first) => {
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as string[];
      const index = first + i;
      const rowNumber = index + 1;
      if (isBlankRecord(record)) continue;
      sawAnyRecord = true;
      if (!columns) {
        if (headerFailure && index >= HEADER_SEARCH_RECORDS) {
          parser.stop();
          return;
        }
        const header = resolveHeader(record);
        if (header.ok) {
          columns = header.columns;
          headerFailure = undefined;
          fileIssues.push(...header.notices.map((n) => ({ ...n, row: rowNumber })));
        } else {
          headerFailure ??= header.issues.map((n) => ({ ...n, row: rowNumber }));
        }
        continue;
      }
      if (counts.rows >= limits.maxRows) {
        tooLarge = "rows";
        parser.stop();
        return;
      }
      const checked = checkRecord(
        record,
        columns,
        rowNumber,
        ctx,
        seen,
        options.history,
        parser.notes(index),
        (revoke) => {
          revoked.set(revoke.row, rowNumber);
          counts[revoke.outcome]--;
          counts.rejected++;
        },
      );
      counts.rows++;
      counts[checked.outcome]++;
      if (keepRows === "all" || (keepRows === "usable" && checked.outcome !== "rejected")) rows.push(checked);
      else if (checked.outcome === "rejected") {
        if (droppedRows.length < REPORT_LIMITS.rows) {
          droppedRows.push({
            row: rowNumber,
            unit: excerpt(checked.unit),
            period: checked.period,
            outcome: "rejected",
          });
        }
        droppedIssues.addAll(checked.issues);
      }
      onRow?.(checked);
      if (counts.rows >= earlyStopRows && counts.rejected > counts.rows * EARLY_STOP.rejectedShare) {
        stoppedEarly = true;
        parser.stop();
        return;
      }
    }
  });

  let encodingFailed = false;
  let format: FileFormat = "csv";
  try {
    const result = await parser.done;
    format = result.format;
    fileIssues.push(...result.notices);
    // papaparse reports one stray quote up to three times (invalid, then missing closing quote): once a record.
    const malformed = new Set<number>();
    for (const p of result.problems) {
      if (malformed.has(p.record)) continue;
      malformed.add(p.record);
      fileIssues.push(
        issue(
          "E_MALFORMED",
          p.record + 1,
          null,
          null,
          "引号不配对:某个单元格以英文双引号开头却没有结束,后面的内容都被并入了这个单元格。请检查该行附近的引号。",
        ),
      );
    }
  } catch (err) {
    encodingFailed = true;
    if (err instanceof EncodingProblem) fileIssues.push(issue("E_ENCODING", 0, null, null, err.message));
    else if (err instanceof FileProblem) {
      format = parser.format();
      fileIssues.push(issue(err.issueCode, 0, null, null, err.message));
    } else throw err;
  }
  if (revoked.size) reviseRevoked(rows, droppedRows, droppedIssues, revoked, keepRows);

  if (stoppedEarly) {
    fileIssues.push(
      issue(
        "E_TOO_MANY_ERRORS",
        0,
        null,
        null,
        `前${counts.rows}行数据中有${counts.rejected}行未通过审核,错误过多,已停止审核,整个文件未被接收。` +
          "请确认上传的是本系统的月报表(表头与模板一致),按问题清单改正后重新上传。",
      ),
    );
  } else if (tooLarge) {
    fileIssues.push(
      issue(
        "E_FILE_TOO_LARGE",
        0,
        null,
        null,
        tooLarge === "bytes"
          ? `文件过大:单个文件最多${sizeLabel(limits.maxBytes)},请拆分后分批上传。`
          : `数据行过多:单个文件最多${limits.maxRows}行数据,请拆分后分批上传。`,
      ),
    );
  } else if (!encodingFailed) {
    if (bytesRead === 0 || !sawAnyRecord) {
      fileIssues.push(issue("E_EMPTY", 0, null, null, "文件是空的,没有表头和数据。"));
    } else if (!columns) {
      fileIssues.push(...(headerFailure ?? []));
    } else if (counts.rows === 0) {
      fileIssues.push(issue("E_NO_ROWS", 0, null, null, "文件只有表头,没有数据行。"));
    }
  }
  return {
    format,
    // A file that could not be decoded has no encoding to report (not "ascii" for a PNG); nor has a workbook.
    encoding: format === "csv" && decoder.bytesRead > 0 && !encodingFailed ? decoder.encoding : null,
    fileIssues,
    rows,
    dropped: { rows: droppedRows, issues: droppedIssues },
    counts,
    bytes: bytesRead,
    revoked: [...revoked.keys()].sort((a, b) => a - b),
  };
}

/**
 * The first copies of conflicting duplicates, rejected after the fact: patched where kept (rows are
 * in row order), or moved to the dropped rows when only usable rows are kept.
 */
function reviseRevoked(
  rows: CheckedRow[],
  droppedRows: ReportRow[],
  droppedIssues: IssueCollector,
  revoked: ReadonlyMap<number, number>,
  keepRows: IngestOptions["keepRows"],
): void {
  for (const [row, by] of revoked) {
    let lo = 0;
    let hi = rows.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((rows[mid] as CheckedRow).row < row) lo = mid + 1;
      else hi = mid;
    }
    const found = rows[lo];
    if (!found || found.row !== row) continue;
    const revised: CheckedRow = {
      ...found,
      issues: [...found.issues, conflictIssue(found.row, found.unit, found.period, by)],
      outcome: "rejected",
    };
    if (keepRows === "all") {
      rows[lo] = revised;
      continue;
    }
    rows.splice(lo, 1);
    if (droppedRows.length < REPORT_LIMITS.rows) {
      droppedRows.push({ row, unit: excerpt(found.unit), period: found.period, outcome: "rejected" });
    }
    droppedIssues.addAll(revised.issues);
  }
  droppedRows.sort((a, b) => a.row - b.row);
}

function conflictIssue(row: number, unit: string, period: string | null, other: number): ValidationIssue {
  return issue(
    "E_DUPLICATE_ROW",
    row,
    unit,
    "单位代码",
    `与第${other}行是同一单位同一期间(${period ? monthLabel(period) : ""}),但数据不一致,无法判断以哪一行为准,这几行均未接收。请删除错误的行后重新上传。`,
  );
}

function sizeLabel(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))}MB`;
  return bytes >= 1024 ? `${Number((bytes / 1024).toFixed(1))}KB` : `${bytes}字节`;
}

function hasError(issues: readonly ValidationIssue[]): boolean {
  for (const i of issues) if (i.severity === "error") return true;
  return false;
}

function checkRecord(
  record: readonly string[],
  columns: ColumnMap,
  rowNumber: number,
  ctx: Parameters<typeof checkUnitAndPeriod>[1],
  seen: SeenReturns,
  history: IngestOptions["history"],
  notes: readonly RecordNote[] | undefined,
  onRevoke: (revoke: NonNullable<Duplicate["revoke"]>) => void,
): CheckedRow {
  const issues: ValidationIssue[] = [];
  const normalised = normaliseRecord(record, columns, rowNumber, issues);
  const unitRef = normalised.unit || null;
  for (const note of notes ?? []) {
    issues.push(issue(note.code, rowNumber, unitRef, columnLabel(columns, note.column), note.detail));
  }
  checkUnitAndPeriod(normalised, ctx, issues);
  const period = normalised.period;
  const duplicate = normalised.unit && period ? seen.check(normalised, period) : undefined;
  if (duplicate?.revoke) onRevoke(duplicate.revoke);
  if (duplicate && period) {
    issues.push(
      duplicate.same
        ? issue(
            "E_DUPLICATE_ROW",
            rowNumber,
            normalised.unit,
            "单位代码",
            `与第${duplicate.first}行重复:同一单位同一期间(${monthLabel(period)})只能填报一行;两行内容相同,已按第${duplicate.first}行接收。`,
          )
        : conflictIssue(rowNumber, normalised.unit, period, duplicate.first),
    );
  }
  checkConsistency(normalised, issues);
  // As in applyHistory: a rejected row's figures (a blank 党员总数 read as 0) are no basis for history warnings.
  if (history && !hasError(issues)) {
    const prior = history(normalised.unit);
    if (prior?.length) checkHistory(normalised, prior, issues);
  }
  const outcome = outcomeOf(issues, normalised.text.explanation);
  if (period && !duplicate) seen.settle(normalised, period, outcome);
  return Object.assign(normalised, { issues, outcome });
}

/** Adds history warnings to rows checked without history (the pipeline fetches history after parsing). */
export function applyHistory(
  rows: readonly CheckedRow[],
  history: (unit: string) => readonly PriorReturn[] | undefined,
): CheckedRow[] {
  return rows.map((row) => {
    if (row.outcome === "rejected") return row;
    const prior = history(row.unit);
    if (!prior?.length) return row;
    const extra: ValidationIssue[] = [];
    checkHistory(row, prior, extra);
    if (!extra.length) return row;
    const issues = [...row.issues, ...extra];
    return { ...row, issues, outcome: outcomeOf(issues, row.text.explanation) };
  });
}

/**
 * The counts after history checks changed some outcomes. Rows ingest did not keep were rejected
 * (history never looks at those), so they are whatever the kept rows do not account for.
 */
export function countsAfterHistory(
  result: Pick<IngestResult, "counts">,
  kept: readonly { outcome: Outcome }[],
): RowCounts {
  const counts = countOutcomes(kept);
  return {
    ...counts,
    rows: result.counts.rows,
    rejected: result.counts.rows - counts.accepted - counts.needs_explanation,
  };
}

export function countOutcomes(rows: readonly { outcome: Outcome }[]): RowCounts {
  const counts: RowCounts = { rows: rows.length, accepted: 0, needs_explanation: 0, rejected: 0 };
  for (const r of rows) counts[r.outcome]++;
  return counts;
}
