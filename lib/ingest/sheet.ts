/**
 * A workbook → the records the CSV path would have produced. Which sheet (月报表, else the first
 * visible sheet with a recognisable header), and each cell as the text Excel's “另存为CSV” writes
 * for it — except where the workbook knows better than the CSV would: a number keeps its full value
 * (not the rounded display), a date in any format becomes YYYY-MM-DD. Everything after this is the
 * CSV path: the same normalisation, rules and report.
 */
import { normaliseHeader } from "../domain/text.ts";
import { FileProblem } from "../errors.ts";
import { HEADER_SEARCH_RECORDS, resolveHeader } from "./header.ts";
import { issue, type ValidationIssue } from "./issues.ts";
import { isBlankRecord } from "./returns.ts";
import { type Cell, type CellRange, cellAddress, type Sheet, type Workbook } from "./workbook.ts";

/** The sheet a return is looked for first. */
export const RETURN_SHEET = "月报表";
/** The template's instructions sheet: never a candidate, never “other data”. */
export const INSTRUCTIONS_SHEET = "填报说明";
/** The annotated report's list of issues: the same (its corrected copy may be uploaded as it is). */
export const ISSUES_SHEET = "问题清单";
/** A problem of one record the reader found (merged cells), reported on that row if it is a data row. */
export interface RecordNote {
  readonly code: "E_MERGED_CELLS";
  /** Zero-based column the problem starts in. */
  readonly column: number;
  readonly detail: string;
}

const MS_PER_DAY = 86_400_000;
/** 1899-12-30: Excel's day 0 once its 1900 leap-year bug (day 60 = 29 Feb 1900) is past. */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** An Excel date serial as text, by UTC arithmetic only (no time zone can move it a day). */
export function serialToText(serial: number, date1904: boolean): string {
  let day = Math.floor(serial);
  const fraction = serial - day;
  let epoch = date1904 ? EPOCH_1904 : EPOCH_1900;
  if (!date1904 && day < 61) {
    if (day === 60) return "1900-02-29";
    epoch += MS_PER_DAY; // before the phantom 29 February, day 1 is 1900-01-01
  }
  const at = new Date(epoch + day * MS_PER_DAY);
  day = at.getUTCDate();
  const text = `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(day)}`;
  const seconds = Math.round(fraction * 86_400);
  if (seconds === 0 || seconds === 86_400) return text;
  return `${text} ${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}`;
}

/** A number as Excel shows it with the General format: 15 significant digits, no float noise. */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) return "#NUM!";
  // Integers and short decimals are already what Excel shows (the common cell: no rounding needed).
  if (Number.isSafeInteger(value)) return Object.is(value, -0) ? "0" : String(value);
  const plain = String(value);
  if (plain.length <= 16 && !plain.includes("e")) return plain;
  const rounded = Number(value.toPrecision(15));
  return Object.is(rounded, -0) ? "0" : String(rounded);
}

/** The parts of a number format outside quotes and escapes (where % and 0 mean what they say). */
function formatCode(format: string): string {
  return format.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, "");
}

/** One cell → the text the CSV path would read. */
export function cellText(cell: Cell | undefined, date1904: boolean): string {
  if (cell === undefined) return "";
  if (typeof cell === "string") return cell;
  if (typeof cell === "number") return numberText(cell);
  switch (cell.kind) {
    case "text":
      return cell.text;
    case "boolean":
      return cell.value ? "TRUE" : "FALSE";
    case "error":
      return cell.text;
    case "formula":
      // Not evaluated: the normaliser words “=…” as a formula without a saved result.
      return `=${cell.formula}`;
    case "number": {
      if (cell.date) return serialToText(cell.value, date1904);
      const code = formatCode(cell.format);
      if (code.includes("%")) return `${numberText(cell.value * 100)}%`;
      // "000000": a code stored as a number but shown with its zeros, as the CSV would have it.
      const zeros = /^0+$/.exec(code);
      if (zeros && Number.isInteger(cell.value) && cell.value >= 0) {
        return String(cell.value).padStart(zeros[0].length, "0");
      }
      return numberText(cell.value);
    }
  }
}

function rowText(sheet: Sheet, r: number, date1904: boolean): string[] {
  const cells = sheet.row(r);
  if (!cells) return [];
  const out = new Array<string>(cells.length);
  for (let c = 0; c < cells.length; c++) out[c] = cellText(cells[c], date1904);
  return out;
}

/** True when the first rows hold a header resolveHeader accepts, searched as ingest searches. */
function hasHeader(sheet: Sheet, date1904: boolean): boolean {
  let failed = false;
  for (let r = 0; r < sheet.rowCount; r++) {
    const record = rowText(sheet, r, date1904);
    if (isBlankRecord(record)) continue;
    if (failed && r >= HEADER_SEARCH_RECORDS) return false;
    if (resolveHeader(record).ok) return true;
    failed = true;
  }
  return false;
}

function hasCells(sheet: Sheet, date1904: boolean): boolean {
  for (let r = 0; r < sheet.rowCount; r++) if (!isBlankRecord(rowText(sheet, r, date1904))) return true;
  return false;
}

const isNamed = (sheet: Sheet, name: string): boolean =>
  normaliseHeader(sheet.name) === normaliseHeader(name);

export interface ChosenSheet {
  readonly sheet: Sheet;
  readonly notices: readonly ValidationIssue[];
}

/**
 * The sheet to read: 月报表 if there is a visible one, else the first visible sheet with a
 * recognisable header, else the first visible sheet with any cells (which then fails on its header).
 * Throws E_EMPTY when no visible sheet has a cell (an empty workbook, only charts).
 */
export function chooseSheet(book: Workbook): ChosenSheet {
  const visible = book.sheets.filter((s) => !s.hidden && !s.chart);
  const candidates = visible.filter((s) => !isNamed(s, INSTRUCTIONS_SHEET) && !isNamed(s, ISSUES_SHEET));
  const withCells = candidates.filter((s) => hasCells(s, book.date1904));
  const chosen =
    candidates.find((s) => isNamed(s, RETURN_SHEET) && withCells.includes(s)) ??
    withCells.find((s) => hasHeader(s, book.date1904)) ??
    withCells[0];
  if (!chosen) {
    const charts = book.sheets.some((s) => s.chart && !s.hidden);
    throw new FileProblem(
      "E_EMPTY",
      charts
        ? "工作簿中只有图表,没有填写数据的工作表。请在“月报表”工作表中填写数据后重新上传。"
        : "工作簿是空的:各工作表都没有内容(可能只有格式、图片或图表)。请在“月报表”工作表中填写数据后重新上传。",
    );
  }
  const others = withCells.filter((s) => s !== chosen).map((s) => s.name);
  const notices = others.length
    ? [
        issue(
          "W_OTHER_SHEETS",
          0,
          null,
          null,
          `本次审核的是工作表“${chosen.name}”;工作表“${others.join("”“")}”中也有内容,未审核。如其中也有要报送的数据,请复制到“${chosen.name}”中,或另存为单独的文件上传。`,
        ),
      ]
    : [];
  return { sheet: chosen, notices };
}

/** Merged ranges of more than one cell → a note on every row they cover. */
export function mergeNotes(merges: readonly CellRange[]): Map<number, RecordNote[]> {
  const notes = new Map<number, RecordNote[]>();
  for (const m of merges) {
    if (m.r1 === m.r2 && m.c1 === m.c2) continue;
    const range = `${cellAddress(m.r1, m.c1)}:${cellAddress(m.r2, m.c2)}`;
    const detail =
      m.r1 === m.r2
        ? `单元格${range}是合并单元格,合并后只有${cellAddress(m.r1, m.c1)}有内容,其余各列读不到。请取消合并,每一列分别填写后重新上传。`
        : `单元格${range}是合并单元格(跨第${m.r1 + 1}至${m.r2 + 1}行),合并后只有${cellAddress(m.r1, m.c1)}有内容,其余各行读不到。请取消合并,在每一行分别填写后重新上传。`;
    for (let r = m.r1; r <= m.r2; r++) {
      const list = notes.get(r) ?? [];
      list.push({ code: "E_MERGED_CELLS", column: m.c1, detail });
      notes.set(r, list);
    }
  }
  return notes;
}

/** How many records go to the sink at once. */
const CHUNK = 512;

/**
 * Hands the sheet's rows to `sink` as records (row r = record index r, so spreadsheet row numbers
 * stay right), in chunks, releasing each row of the library's copy once converted.
 */
export function emitRecords(
  sheet: Sheet,
  date1904: boolean,
  sink: (records: string[][], first: number) => void,
  stopped: () => boolean,
): number {
  let first = 0;
  let chunk: string[][] = [];
  for (let r = 0; r < sheet.rowCount; r++) {
    chunk.push(rowText(sheet, r, date1904));
    sheet.release(r);
    if (chunk.length === CHUNK) {
      sink(chunk, first);
      if (stopped()) return r + 1;
      first = r + 1;
      chunk = [];
    }
  }
  if (chunk.length) sink(chunk, first);
  return sheet.rowCount;
}
