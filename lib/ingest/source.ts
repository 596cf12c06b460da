/**
 * Where records come from, decided by content (never by the file's name): a zip (.xlsx/.xlsm) or an
 * OLE2 compound file (.xls) goes through the workbook reader, anything else through the decoder and
 * the CSV parser. Both feed the same record sink, so everything after this is one path.
 */

import { FileProblem } from "../errors.ts";
import { type CsvProblem, parseCsv, type RecordSink } from "./csv.ts";
import { decodeStream, type StreamDecoder } from "./decode.ts";
import type { ValidationIssue } from "./issues.ts";
import { chooseSheet, emitRecords, mergeNotes, type RecordNote } from "./sheet.ts";
import { readWorkbook, type WorkbookFormat, type WorkbookLimits, workbookFormatOf } from "./workbook.ts";

export type FileFormat = "csv" | WorkbookFormat;

/** Limits of what a workbook may unpack to (the upload's byte limit applies to the file itself). */
export const WORKBOOK_LIMITS: WorkbookLimits = { maxUnpackedBytes: 100 * 1024 * 1024, maxCells: 2_000_000 };

export interface SourceResult {
  readonly format: FileFormat;
  readonly records: number;
  readonly problems: readonly CsvProblem[];
  /** Notices about the file as a whole (other sheets holding data). */
  readonly notices: readonly ValidationIssue[];
  /** The sheet read, for workbooks. */
  readonly sheet?: string;
}

export interface RecordSource {
  readonly done: Promise<SourceResult>;
  stop(): void;
  /** Problems the reader found in record `index` (merged cells), to report if it is a data row. */
  notes(index: number): readonly RecordNote[] | undefined;
  /** The format the content showed (csv until the first bytes are in). */
  format(): FileFormat;
}

const SNIFF_BYTES = 8;

async function sniff(
  source: AsyncIterable<Uint8Array>,
): Promise<{ head: Uint8Array; rest: AsyncIterator<Uint8Array> }> {
  const it = source[Symbol.asyncIterator]();
  const parts: Uint8Array[] = [];
  let length = 0;
  while (length < SNIFF_BYTES) {
    const next = await it.next();
    if (next.done) break;
    parts.push(next.value);
    length += next.value.byteLength;
  }
  return { head: parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts), rest: it };
}

async function* resume(head: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (head.byteLength) yield head;
  for await (const chunk of { [Symbol.asyncIterator]: () => rest }) yield chunk;
}

const HTML = /^<(?:!doctype\s+html|html|head|body|table|meta|style)\b/i;
const XML = /^<\?xml\b/i;

/**
 * A “.xls” that some systems export is an HTML table, or Excel 2003 XML: text, but not a return.
 * Looked for in the first decoded characters; everything is passed through unchanged.
 */
async function* refuseMarkup(text: AsyncIterable<string>): AsyncGenerator<string> {
  let head = "";
  let decided = false;
  for await (const chunk of text) {
    if (!decided) {
      head += chunk;
      const start = head.trimStart();
      if (start.length < 16) continue;
      decided = true;
      if (HTML.test(start)) throw new FileProblem("E_WORKBOOK", MARKUP_HTML);
      if (XML.test(start)) throw new FileProblem("E_WORKBOOK", MARKUP_XML);
      yield head;
      continue;
    }
    yield chunk;
  }
  if (!decided) {
    const start = head.trimStart();
    if (HTML.test(start)) throw new FileProblem("E_WORKBOOK", MARKUP_HTML);
    if (XML.test(start)) throw new FileProblem("E_WORKBOOK", MARKUP_XML);
    if (head) yield head;
  }
}

const MARKUP_HTML =
  "文件内容是网页(HTML)格式的表格,不是真正的Excel工作簿(某些系统“导出Excel”生成的.xls就是这样)。请用Excel或WPS打开后“另存为”Excel工作簿(.xlsx)再上传。";
const MARKUP_XML =
  "文件内容是XML文本(如“XML表格2003”格式),不是Excel工作簿或CSV。请用Excel或WPS打开后“另存为”Excel工作簿(.xlsx)再上传。";

/** Reads records from a byte stream (already size-limited by the caller) into `sink`. */
export function readRecords(
  bytes: AsyncIterable<Uint8Array>,
  decoder: StreamDecoder,
  limits: WorkbookLimits,
  sink: RecordSink,
): RecordSource {
  let stopped = false;
  let stopCsv: (() => void) | undefined;
  let notes = new Map<number, RecordNote[]>();
  let detected: FileFormat = "csv";
  const run = async (): Promise<SourceResult> => {
    const { head, rest } = await sniff(bytes);
    const format = workbookFormatOf(head);
    detected = format ?? "csv";
    if (!format) {
      const csv = parseCsv(refuseMarkup(decodeStream(resume(head, rest), decoder)), sink);
      stopCsv = csv.stop;
      if (stopped) csv.stop();
      const result = await csv.done;
      return { format: "csv", records: result.records, problems: result.problems, notices: [] };
    }
    // A workbook is read whole: its directory is at the end.
    const parts: Uint8Array[] = [head];
    for await (const chunk of { [Symbol.asyncIterator]: () => rest }) parts.push(chunk);
    if (stopped) return { format, records: 0, problems: [], notices: [] };
    const book = readWorkbook(Buffer.concat(parts), limits);
    parts.length = 0;
    const { sheet, notices } = chooseSheet(book);
    notes = mergeNotes(sheet.merges);
    const records = emitRecords(sheet, book.date1904, sink, () => stopped);
    return { format, records, problems: [], notices, sheet: sheet.name };
  };
  return {
    done: run(),
    stop() {
      stopped = true;
      stopCsv?.();
    },
    notes: (index) => notes.get(index),
    format: () => detected,
  };
}
