/**
 * The report as the unit's own sheet (reports/{uploadId}.xlsx): the rows exactly where they were in
 * the file sent (same row numbers, title rows and all), plus a 审核意见 column with every issue of the
 * row in Chinese and a 状态 column (已接收/待说明/未通过), a comment (批注) on each offending cell, and a
 * 问题清单 sheet listing every issue of the report. Made for CSV and workbook uploads alike, from the
 * same records ingest read. Bounded like the report: the rows it lists (the first REPORT_LIMITS.rows)
 * and every row with an issue it carries; reading stops after the last of them. A corrected copy can be uploaded as it is: 审核意见 and 状态 are ignored
 * columns and 问题清单 is never read as data.
 */
import { UPLOAD_CONTENT_TYPES } from "../objects.ts";
import { StreamDecoder } from "./decode.ts";
import { type ColumnMap, columnIndexByLabel, HEADER_SEARCH_RECORDS, resolveHeader } from "./header.ts";
import { DEFAULT_LIMITS, type IngestLimits } from "./ingest.ts";
import { OUTCOME_NAMES, type ValidationIssue } from "./issues.ts";
import type { ValidationReport } from "./report.ts";
import type { WaitingRows } from "./resubmit.ts";
import { isBlankRecord } from "./returns.ts";
import { ISSUES_SHEET, RETURN_SHEET } from "./sheet.ts";
import { readRecords, WORKBOOK_LIMITS } from "./source.ts";
import { type OutCell, type OutSheet, writeWorkbook } from "./workbook.ts";

export const XLSX_CONTENT_TYPE = UPLOAD_CONTENT_TYPES.xlsx;

/** Reads the records again (only those needed), bounded like ingest; undefined when they cannot be read. */
async function readBack(
  source: AsyncIterable<Uint8Array>,
  limits: IngestLimits,
  keep: (index: number) => boolean,
  last: number,
): Promise<Map<number, string[]> | undefined> {
  const records = new Map<number, string[]>();
  let total = 0;
  let over = false;
  async function* bounded(): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      total += chunk.byteLength;
      if (total > limits.maxBytes) {
        over = true;
        return;
      }
      yield chunk;
    }
  }
  const reader = readRecords(
    bounded(),
    new StreamDecoder(),
    {
      maxUnpackedBytes: limits.maxUnpackedBytes ?? WORKBOOK_LIMITS.maxUnpackedBytes,
      maxCells: limits.maxCells ?? WORKBOOK_LIMITS.maxCells,
    },
    (chunk, first) => {
      chunk.forEach((record, i) => {
        if (keep(first + i) && !isBlankRecord(record)) records.set(first + i, record);
      });
      if (first + chunk.length > last) reader.stop();
    },
  );
  try {
    await reader.done;
  } catch {
    return undefined;
  }
  return over ? undefined : records;
}

/** Finds the header as ingest does: the first non-blank record resolveHeader accepts, titles above it. */
function findHeader(
  records: ReadonlyMap<number, string[]>,
): { index: number; columns: ColumnMap } | undefined {
  let failed = false;
  for (const index of [...records.keys()].sort((a, b) => a - b)) {
    if (failed && index >= HEADER_SEARCH_RECORDS) return undefined;
    const header = resolveHeader(records.get(index) as string[]);
    if (header.ok) return { index, columns: header.columns };
    failed = true;
  }
  return undefined;
}

/** "第5行 党员总数:…" → "党员总数:…" (the row is the cell's own). */
function withoutRow(issue: ValidationIssue): string {
  return issue.message.replace(/^第\d+行\s?/, "");
}

const PLAIN_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

function width(text: string): number {
  let w = 0;
  for (const ch of text) w += (ch.codePointAt(0) as number) > 0xff ? 2 : 1;
  return w;
}

/** The annotated workbook for one upload: the file's bytes again and its report. */
export async function annotatedReport(
  source: AsyncIterable<Uint8Array>,
  report: ValidationReport,
  limits: IngestLimits = DEFAULT_LIMITS,
): Promise<Uint8Array<ArrayBuffer>> {
  return (await annotate(source, report, limits)).workbook;
}

export interface Annotation {
  readonly workbook: Uint8Array<ArrayBuffer>;
  /** The header and the rows that wait for a 说明, as read (for 提交说明); absent without a header. */
  readonly waiting: WaitingRows | undefined;
}

/** The annotated workbook, and from the same reading the rows a 说明 can be given for. */
export async function annotate(
  source: AsyncIterable<Uint8Array>,
  report: ValidationReport,
  limits: IngestLimits = DEFAULT_LIMITS,
): Promise<Annotation> {
  const byRow = new Map<number, ValidationIssue[]>();
  for (const i of report.issues) {
    if (i.row <= 0) continue;
    const list = byRow.get(i.row) ?? [];
    list.push(i);
    byRow.set(i.row, list);
  }
  const outcomeOf = new Map(report.rows.map((r) => [r.row, r.outcome]));
  // The report lists fewer rows than the file has: only its rows and the rows with issues are written.
  const onlyIssues = report.summary.rows > report.rows.length;
  const keep = (index: number): boolean =>
    index < HEADER_SEARCH_RECORDS * 4 || outcomeOf.has(index + 1) || byRow.has(index + 1);
  let last = HEADER_SEARCH_RECORDS * 4;
  for (const row of [...outcomeOf.keys(), ...byRow.keys()]) last = Math.max(last, row);
  const records = await readBack(source, limits, keep, last);

  const rows: OutCell[][] = [];
  const header = records ? findHeader(records) : undefined;
  const labels = header ? columnIndexByLabel(header.columns) : new Map<string, number>();
  const headerRecord = header ? (records?.get(header.index) ?? []) : [];
  const indicatorColumns = new Set(header?.columns.indicators.map((c) => c.index) ?? []);
  let widthInCells = headerRecord.length;
  for (const record of records?.values() ?? []) widthInCells = Math.max(widthInCells, record.length);
  const opinionColumn = widthInCells;

  // Where 审核意见/状态 are labelled: the header, or the record that failed as one.
  const labelIndex =
    header?.index ?? (report.issues.find((i) => i.row > 0 && i.code.startsWith("E_HEADER"))?.row ?? 0) - 1;
  for (const [index, record] of records ?? []) {
    const row = index + 1;
    const isData = header !== undefined && index > header.index;
    const issues = byRow.get(row) ?? [];
    // Kept for the header search only.
    if (isData && !issues.length && !outcomeOf.has(row)) continue;
    rows[index] = record.map((text, c): OutCell => {
      if (isData && c === header?.columns.unit) return { value: text, asText: true };
      if (isData && indicatorColumns.has(c) && PLAIN_NUMBER.test(text)) return { value: Number(text) };
      return { value: text };
    });
    const cells = rows[index] as OutCell[];
    if (index === labelIndex) {
      cells[opinionColumn] = {
        value: onlyIssues ? "审核意见(本文件行数多,只列出审核报告中的行)" : "审核意见",
        ...(issues.length ? { comment: issues.map(withoutRow).join("\n") } : {}),
      };
      cells[opinionColumn + 1] = { value: "状态" };
      // Header notices (an unknown column) as comments on the header cells they name.
      for (const i of issues) {
        const c = headerRecord.findIndex((h) => h.trim() === (i.column ?? "").trim());
        if (c >= 0) cells[c] = { ...(cells[c] as OutCell), comment: withoutRow(i) };
      }
      continue;
    }
    if (!issues.length && !isData) continue;
    if (issues.length) cells[opinionColumn] = { value: issues.map(withoutRow).join("\n") };
    const outcome = outcomeOf.get(row);
    if (outcome) cells[opinionColumn + 1] = { value: OUTCOME_NAMES[outcome] };
    // One comment per offending cell, with every issue of that cell.
    const perCell = new Map<number, string[]>();
    for (const i of issues) {
      const c = i.column ? labels.get(i.column) : undefined;
      if (c === undefined) continue;
      const list = perCell.get(c) ?? [];
      list.push(withoutRow(i));
      perCell.set(c, list);
    }
    for (const [c, messages] of perCell) {
      cells[c] = { ...(cells[c] ?? { value: "" }), comment: messages.join("\n") };
    }
  }
  // A file the records could not be read from: its issues sit in 问题清单 alone.
  if (!records?.size) rows[0] = [{ value: "文件无法读取或没有内容,审核意见见“问题清单”工作表。" }];

  const widths = Array.from({ length: opinionColumn + 2 }, (_, c) =>
    c === opinionColumn ? 60 : Math.min(40, Math.max(8, width(headerRecord[c] ?? "") + 2)),
  );
  const returnSheet: OutSheet = { name: RETURN_SHEET, rows, widths };
  const list: OutSheet = {
    name: ISSUES_SHEET,
    rows: [
      ["行号", "单位代码", "列", "问题代码", "类别", "说明"],
      ...report.issues.map((i) => [
        i.row > 0 ? i.row : "全文件",
        { value: i.unit ?? "", asText: true },
        i.column ?? "",
        i.code,
        i.severity === "error" ? "错误" : "提示",
        i.message,
      ]),
    ],
    widths: [8, 12, 16, 22, 6, 100],
  };
  const waiting: WaitingRows | undefined = header
    ? {
        header: headerRecord,
        rows: report.rows.flatMap((r) => {
          const cells = r.outcome === "needs_explanation" ? records?.get(r.row - 1) : undefined;
          return cells ? [{ row: r.row, cells }] : [];
        }),
      }
    : undefined;
  return { workbook: writeWorkbook([returnSheet, list]), waiting };
}
