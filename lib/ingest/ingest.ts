/**
 * The ingestion pipeline as named stages, DHIS2-style: decode → parse → header → normalise →
 * check, each stage's problems collected as issues rather than thrown. Streaming: rows are handed
 * to a sink as they are checked; nothing here grows with the file unless the caller keeps rows.
 */

import { type Month, monthIndex, monthLabel, monthOf } from "../domain/periods.ts";
import type { Registry } from "../domain/registry.ts";
import { EncodingProblem } from "../errors.ts";
import { parseCsv } from "./csv.ts";
import { decodeStream, type Encoding, StreamDecoder } from "./decode.ts";
import { type ColumnMap, resolveHeader } from "./header.ts";
import { excerpt, issue, type ValidationIssue } from "./issues.ts";
import { IssueCollector, REPORT_LIMITS, type ReportRow } from "./report.ts";
import { type CheckedRow, isBlankRecord, normaliseRecord, type Outcome } from "./returns.ts";
import { checkConsistency, checkHistory, type PriorReturn } from "./row-rules.ts";
import { checkUnitAndPeriod, outcomeOf } from "./rules.ts";

export interface IngestLimits {
  readonly maxBytes: number;
  readonly maxRows: number;
  /** Rows after which a file mostly rejected is stopped (EARLY_STOP.afterRows unless set). */
  readonly earlyStopRows?: number;
}

export const DEFAULT_LIMITS: IngestLimits = { maxBytes: 20 * 1024 * 1024, maxRows: 100_000 };

/** How many leading records may be titles above the header (报表标题, 填报说明). */
const HEADER_SEARCH_RECORDS = 5;

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
   * and tools that inspect rejected rows), or "none" (the bench).
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
  readonly encoding: Encoding | null;
  /** File-level errors (any one rejects the whole file) and notices such as W_UNKNOWN_COLUMN. */
  readonly fileIssues: readonly ValidationIssue[];
  readonly rows: readonly CheckedRow[];
  readonly dropped: DroppedRows;
  readonly counts: RowCounts;
  readonly bytes: number;
}

export function hasFileError(fileIssues: readonly ValidationIssue[]): boolean {
  return fileIssues.some((i) => i.severity === "error");
}

/** Remembers which (unit, month) pairs a file already had, in memory bounded by units × months. */
class SeenReturns {
  readonly #byMonth = new Map<number, Uint32Array>();
  readonly #monthIndex = new Map<Month, number>();
  constructor(private readonly registry: Registry) {}
  /** Returns the earlier row for the same unit and month, or 0 (and records this one). */
  firstRow(unit: string, period: Month, row: number): number {
    const leaf = this.registry.leafIndex(unit);
    if (leaf < 0) return 0;
    let m = this.#monthIndex.get(period);
    if (m === undefined) {
      m = monthIndex(period);
      this.#monthIndex.set(period, m);
    }
    let rows = this.#byMonth.get(m);
    if (!rows) {
      rows = new Uint32Array(this.registry.leafCount);
      this.#byMonth.set(m, rows);
    }
    const earlier = rows[leaf] as number;
    if (earlier === 0) rows[leaf] = row;
    return earlier;
  }
}

async function* limitBytes(
  source: AsyncIterable<Uint8Array>,
  maxBytes: number,
  onExceeded: () => void,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      onExceeded();
      return;
    }
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

  const bytes = limitBytes(source, limits.maxBytes, () => {
    tooLarge = "bytes";
    // Stop now: the text already read ends mid-row, and checking that fragment gave spurious issues.
    parser.stop();
  });
  const parser = parseCsv(decodeStream(bytes, decoder), (records, first) => {
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
      const checked = checkRecord(record, columns, rowNumber, ctx, seen, options.history);
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
  try {
    const result = await parser.done;
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
    if (!(err instanceof EncodingProblem)) throw err;
    encodingFailed = true;
    fileIssues.push(issue("E_ENCODING", 0, null, null, err.message));
  }

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
    if (decoder.bytesRead === 0 || !sawAnyRecord) {
      fileIssues.push(issue("E_EMPTY", 0, null, null, "文件是空的,没有表头和数据。"));
    } else if (!columns) {
      fileIssues.push(...(headerFailure ?? []));
    } else if (counts.rows === 0) {
      fileIssues.push(issue("E_NO_ROWS", 0, null, null, "文件只有表头,没有数据行。"));
    }
  }
  return {
    // A file that could not be decoded has no encoding to report (not "ascii" for a PNG).
    encoding: decoder.bytesRead > 0 && !encodingFailed ? decoder.encoding : null,
    fileIssues,
    rows,
    dropped: { rows: droppedRows, issues: droppedIssues },
    counts,
    bytes: decoder.bytesRead,
  };
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
): CheckedRow {
  const issues: ValidationIssue[] = [];
  const normalised = normaliseRecord(record, columns, rowNumber, issues);
  checkUnitAndPeriod(normalised, ctx, issues);
  if (normalised.unit && normalised.period) {
    const earlier = seen.firstRow(normalised.unit, normalised.period, rowNumber);
    if (earlier) {
      issues.push(
        issue(
          "E_DUPLICATE_ROW",
          rowNumber,
          normalised.unit,
          "单位代码",
          `与第${earlier}行重复:同一单位同一期间(${monthLabel(normalised.period)})只能填报一行。`,
        ),
      );
    }
  }
  checkConsistency(normalised, issues);
  // As in applyHistory: a rejected row's figures (a blank 党员总数 read as 0) are no basis for history warnings.
  if (history && !hasError(issues)) {
    const prior = history(normalised.unit);
    if (prior?.length) checkHistory(normalised, prior, issues);
  }
  return Object.assign(normalised, { issues, outcome: outcomeOf(issues, normalised.text.explanation) });
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
