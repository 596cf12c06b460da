/**
 * The one module that knows the spreadsheet library (@e965/xlsx, SheetJS). Everything else sees
 * the neutral model below: sheets of cells that say what Excel stored (text, a number with its number
 * format, a boolean, an error, a formula without a cached value), merged ranges, visibility. Swapping
 * the library means rewriting this file only.
 *
 * Reading: an .xlsx is unpacked by zip.ts (limits checked, bounded inflate) and only the unpacked
 * entries are handed to the library; an .xls is checked record by record (cell count, FILEPASS) first.
 * Formulas are never evaluated: a formula cell is its cached value, or "formula without value".
 */
import * as XLSX from "@e965/xlsx";
import { FileProblem } from "../errors.ts";
import { ENCRYPTED, packZip, tooLarge, unpackZip, type ZipLimits } from "./zip.ts";

export type WorkbookFormat = "xlsx" | "xls";

/**
 * A cell. The two common kinds are plain values (no allocation per cell on a 10,000-row sheet): a
 * string is a text cell, a number a number in the General format.
 */
export type Cell =
  | string
  | number
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "number"; readonly value: number; readonly format: string; readonly date: boolean }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "error"; readonly text: string }
  /** A formula whose result the file does not carry (never computed here). */
  | { readonly kind: "formula"; readonly formula: string };

/** Zero-based, inclusive. */
export interface CellRange {
  readonly r1: number;
  readonly c1: number;
  readonly r2: number;
  readonly c2: number;
}

export interface Sheet {
  readonly name: string;
  readonly hidden: boolean;
  /** A chart sheet (no cells at all). */
  readonly chart: boolean;
  /** Rows 0 … rowCount-1 may have cells. */
  readonly rowCount: number;
  readonly merges: readonly CellRange[];
  /** Row r's cells by column (sparse; undefined for a blank row). */
  row(r: number): readonly (Cell | undefined)[] | undefined;
  /** Lets the library's copy of row r go (rows are read once, top to bottom). */
  release(r: number): void;
}

export interface Workbook {
  readonly format: WorkbookFormat;
  /** Dates count from 1904-01-01 (old Mac Excel) rather than 1899-12-30. */
  readonly date1904: boolean;
  readonly sheets: readonly Sheet[];
}

export type WorkbookLimits = ZipLimits;

const READ_OPTIONS: XLSX.ParsingOptions = {
  dense: true,
  cellFormula: true,
  cellNF: true,
  cellText: false,
  cellHTML: false,
  cellDates: false,
  cellStyles: false,
  // Stubs carry the formulas that have no cached value (the library drops them otherwise).
  sheetStubs: true,
  bookVBA: false,
  bookDeps: false,
  WTF: false,
};

/** Excel's error values by the code SheetJS stores. */
const ERRORS: Record<number, string> = {
  0: "#NULL!",
  7: "#DIV/0!",
  15: "#VALUE!",
  23: "#REF!",
  29: "#NAME?",
  36: "#NUM!",
  42: "#N/A",
  43: "#GETTING_DATA",
};

const NOT_A_WORKBOOK =
  "文件不是Excel工作簿(.xlsx/.xls),无法读取。请用Excel或WPS打开后“另存为”Excel工作簿(.xlsx)或CSV再上传。";

type ZipContainer = object;
type ParseZip = (zip: ZipContainer, options: XLSX.ParsingOptions) => XLSX.WorkBook;
interface CfbApi {
  read(data: Uint8Array, options: { type: "buffer" }): ZipContainer;
  find(container: ZipContainer, path: string): { content?: Uint8Array } | null;
  utils: {
    cfb_new(): ZipContainer;
    cfb_add(container: ZipContainer, name: string, data: Uint8Array, options: { unsafe: true }): void;
  };
}
/** SheetJS's container API and its zip-container parser (exported by the module, not typed). */
const CFB = XLSX.CFB as CfbApi;
const parseZip = (XLSX as unknown as { parse_zip: ParseZip }).parse_zip;

/** Number formats repeat across a sheet: ask the library once per format. */
const dateFormats = new Map<string, boolean>();
function isDate(format: string): boolean {
  let date = dateFormats.get(format);
  if (date === undefined) {
    date = Boolean(XLSX.SSF.is_date(format));
    if (dateFormats.size < 1000) dateFormats.set(format, date);
  }
  return date;
}

function convert(raw: XLSX.CellObject | undefined): Cell | undefined {
  if (!raw) return undefined;
  const v = raw.v;
  // "z" is a stub: an empty cell, or a formula whose result the file does not carry.
  if (v === undefined || v === null || raw.t === "z") {
    return raw.f ? { kind: "formula", formula: raw.f } : undefined;
  }
  // "str" (a formula's text result) is not in the library's type but comes from its reader.
  switch (raw.t as XLSX.ExcelDataType | "str") {
    case "s":
    case "str":
      return typeof v === "string" ? v : String(v);
    case "n": {
      const format = typeof raw.z === "string" ? raw.z : "General";
      if (format === "General" && typeof v === "number") return v;
      return { kind: "number", value: Number(v), format, date: isDate(format) };
    }
    case "b":
      return { kind: "boolean", value: Boolean(v) };
    case "e":
      return { kind: "error", text: ERRORS[Number(v)] ?? "#VALUE!" };
    case "d":
      // Only with cellDates, which we do not ask for; kept as text rather than guessed at.
      return { kind: "text", text: v instanceof Date ? v.toISOString().slice(0, 10) : String(v) };
    default:
      return undefined;
  }
}

function toSheet(book: XLSX.WorkBook, name: string, index: number): Sheet {
  const ws = book.Sheets[name] as XLSX.WorkSheet | undefined;
  const data = ((ws?.["!data"] ?? []) as (XLSX.CellObject[] | undefined)[]).slice();
  const merges = (ws?.["!merges"] ?? []).map((m) => ({ r1: m.s.r, c1: m.s.c, r2: m.e.r, c2: m.e.c }));
  const hidden = Number(book.Workbook?.Sheets?.[index]?.Hidden ?? 0) !== 0;
  return {
    name,
    hidden,
    chart: ws?.["!type"] === "chart",
    rowCount: data.length,
    merges,
    row(r) {
      const cells = data[r];
      if (!cells) return undefined;
      const out: (Cell | undefined)[] = [];
      for (let c = 0; c < cells.length; c++) out[c] = convert(cells[c]);
      return out;
    },
    release(r) {
      data[r] = undefined;
    },
  };
}

function fromBook(book: XLSX.WorkBook, format: WorkbookFormat): Workbook {
  return {
    format,
    date1904: Boolean(book.Workbook?.WBProps?.date1904),
    sheets: book.SheetNames.map((name, i) => toSheet(book, name, i)),
  };
}

/** Reads an .xlsx/.xlsm from bytes that start with the zip signature. */
function readXlsx(bytes: Uint8Array, limits: WorkbookLimits): Workbook {
  const { entries, formulas } = unpackZip(bytes, limits);
  const names = new Set(entries.map((e) => e.name.toLowerCase()));
  if (names.has("meta-inf/manifest.xml") || names.has("mimetype")) {
    throw new FileProblem(
      "E_WORKBOOK",
      "上传的是OpenDocument表格(.ods,WPS或LibreOffice的格式),系统只接收Excel工作簿。请“另存为”Excel工作簿(.xlsx)后重新上传。",
    );
  }
  if (!names.has("[content_types].xml")) throw new FileProblem("E_WORKBOOK", NOT_A_WORKBOOK);
  if ([...names].some((n) => n.startsWith("xl/") && n.endsWith(".bin") && n.includes("workbook"))) {
    throw new FileProblem(
      "E_WORKBOOK",
      "上传的是Excel二进制工作簿(.xlsb),系统暂不支持。请在Excel中“另存为”Excel工作簿(.xlsx)后重新上传。",
    );
  }
  if (![...names].some((n) => /^xl\/workbook\d*\.xml$/.test(n) || n === "xl/workbook.xml")) {
    const word = names.has("word/document.xml")
      ? "Word文档"
      : names.has("ppt/presentation.xml")
        ? "PowerPoint演示文稿"
        : "";
    throw new FileProblem(
      "E_WORKBOOK",
      word ? `上传的是${word},不是Excel工作簿。请上传填好的月报表(.xlsx或CSV)。` : NOT_A_WORKBOOK,
    );
  }
  const container = CFB.utils.cfb_new();
  for (const entry of entries) {
    // Only the parts that hold cells and their meaning: no macros, images, document properties.
    if (!NEEDED_PART.test(entry.name) || UNNEEDED_PART.test(entry.name)) continue;
    CFB.utils.cfb_add(container, entry.name, entry.data, { unsafe: true });
  }
  let book: XLSX.WorkBook;
  try {
    // Formulas (and the stubs that carry those without a cached value) only when the sheets have any:
    // looking for them costs a search in every cell.
    book = parseZip(container, {
      ...READ_OPTIONS,
      cellFormula: formulas,
      sheetStubs: formulas,
      type: "buffer",
    });
  } catch {
    throw new FileProblem("E_WORKBOOK", NOT_A_WORKBOOK_CONTENT);
  }
  return fromBook(book, "xlsx");
}

const NEEDED_PART = /^(?:\[Content_Types\]\.xml|_rels\/\.rels|xl\/)/i;
const UNNEEDED_PART =
  /^xl\/(?:media|printerSettings|embeddings|activeX|ctrlProps)\/|vbaProject|\.bin$|^xl\/calcChain\.xml$/i;

const NOT_A_WORKBOOK_CONTENT =
  "工作簿的内容结构有误,无法读取(可能已损坏,或由不兼容的软件生成)。请用Excel或WPS打开后重新“另存为”Excel工作簿(.xlsx)再上传。";

/** BIFF cell records (NUMBER, RK, LABELSST, LABEL, FORMULA, BOOLERR, RSTRING) and MULRK. */
const BIFF_CELLS = new Set([0x0203, 0x027e, 0x00fd, 0x0204, 0x0006, 0x0406, 0x0205, 0x00d6]);
const BIFF_MULRK = 0x00bd;
const BIFF_FILEPASS = 0x002f;

/** Reads an .xls (BIFF in an OLE2 compound file). */
function readXls(bytes: Uint8Array, limits: WorkbookLimits): Workbook {
  let container: ZipContainer;
  try {
    container = CFB.read(bytes, { type: "buffer" });
  } catch {
    throw new FileProblem("E_WORKBOOK", CORRUPT_XLS);
  }
  // An encrypted .xlsx is an OLE2 file holding the encrypted zip.
  if (CFB.find(container, "EncryptionInfo") || CFB.find(container, "EncryptedPackage")) {
    throw new FileProblem("E_WORKBOOK", ENCRYPTED);
  }
  const stream = CFB.find(container, "Workbook")?.content ?? CFB.find(container, "Book")?.content;
  if (!stream) {
    const word = CFB.find(container, "WordDocument") ? "Word文档(.doc)" : "";
    throw new FileProblem(
      "E_WORKBOOK",
      word ? `上传的是${word},不是Excel工作簿。请上传填好的月报表(.xlsx或CSV)。` : CORRUPT_XLS,
    );
  }
  // Walk the records once: encryption and the cell count, before the library builds any cell.
  let cells = 0;
  for (let p = 0; p + 4 <= stream.length; ) {
    const type = (stream[p] as number) | ((stream[p + 1] as number) << 8);
    const length = (stream[p + 2] as number) | ((stream[p + 3] as number) << 8);
    if (type === BIFF_FILEPASS) throw new FileProblem("E_WORKBOOK", ENCRYPTED);
    if (BIFF_CELLS.has(type)) cells++;
    else if (type === BIFF_MULRK && length >= 6) cells += Math.floor((length - 6) / 6);
    if (cells > limits.maxCells) throw tooLarge(`单元格超过${limits.maxCells}个`);
    p += 4 + length;
  }
  let book: XLSX.WorkBook;
  try {
    book = XLSX.read(bytes, { ...READ_OPTIONS, type: "buffer" });
  } catch (err) {
    if (err instanceof Error && /password|encrypt/i.test(err.message))
      throw new FileProblem("E_WORKBOOK", ENCRYPTED);
    throw new FileProblem("E_WORKBOOK", CORRUPT_XLS);
  }
  return fromBook(book, "xls");
}

const CORRUPT_XLS =
  "Excel 97-2003工作簿(.xls)已损坏或不是Excel文件,无法读取。请用Excel或WPS打开确认能正常显示后,“另存为”Excel工作簿(.xlsx)再上传。";

export const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04] as const;
export const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] as const;

/** Which workbook container the bytes start with, if any. */
export function workbookFormatOf(head: Uint8Array): WorkbookFormat | undefined {
  const starts = (magic: readonly number[]) => magic.every((b, i) => head[i] === b);
  if (starts(ZIP_MAGIC)) return "xlsx";
  if (starts(OLE_MAGIC.slice(0, 4))) return "xls";
  return undefined;
}

/** Reads a workbook (format by content). Throws FileProblem for anything it cannot read. */
export function readWorkbook(bytes: Uint8Array, limits: WorkbookLimits): Workbook {
  const format = workbookFormatOf(bytes);
  if (format === "xlsx") return readXlsx(bytes, limits);
  if (format === "xls") return readXls(bytes, limits);
  throw new FileProblem("E_WORKBOOK", NOT_A_WORKBOOK);
}

// ---------------------------------------------------------------------------------------------
// Writing (templates, annotated reports).

export interface OutCell {
  readonly value: string | number;
  /** Store as text with the "@" (文本) number format, so Excel keeps leading zeros on edits. */
  readonly asText?: boolean;
  /** A number format for a figure, e.g. "0.0". */
  readonly format?: string;
  /** A cell comment (批注), shown on hover. */
  readonly comment?: string;
}

export interface OutSheet {
  readonly name: string;
  readonly rows: readonly (readonly (OutCell | string | number | null | undefined)[] | undefined)[];
  /** Column widths in characters (a Chinese character counts 2). */
  readonly widths?: readonly number[];
  readonly merges?: readonly CellRange[];
}

const COMMENT_AUTHOR = "审核意见";

/** Builds an .xlsx from sheets of plain cells. */
export function writeWorkbook(sheets: readonly OutSheet[]): Uint8Array<ArrayBuffer> {
  const book = XLSX.utils.book_new();
  for (const spec of sheets) {
    const ws: XLSX.WorkSheet = {};
    let maxCol = 0;
    spec.rows.forEach((row, r) => {
      row?.forEach((cell, c) => {
        if (cell === null || cell === undefined) return;
        const out: OutCell = typeof cell === "object" ? cell : { value: cell };
        const obj: XLSX.CellObject =
          typeof out.value === "number" && !out.asText
            ? { t: "n", v: out.value }
            : { t: "s", v: String(out.value) };
        if (out.asText) obj.z = "@";
        else if (out.format) obj.z = out.format;
        if (out.comment) {
          const comments = [{ a: COMMENT_AUTHOR, t: out.comment }] as XLSX.Comments;
          comments.hidden = true;
          obj.c = comments;
        }
        ws[XLSX.utils.encode_cell({ r, c })] = obj;
        if (c > maxCol) maxCol = c;
      });
    });
    ws["!ref"] = XLSX.utils.encode_range({
      s: { r: 0, c: 0 },
      e: { r: Math.max(0, spec.rows.length - 1), c: maxCol },
    });
    if (spec.widths) ws["!cols"] = spec.widths.map((wch) => ({ wch }));
    if (spec.merges?.length) {
      ws["!merges"] = spec.merges.map((m) => ({ s: { r: m.r1, c: m.c1 }, e: { r: m.r2, c: m.c2 } }));
    }
    XLSX.utils.book_append_sheet(book, ws, spec.name);
  }
  // Written stored by the library, deflated here by node:zlib (several times faster).
  const stored = XLSX.write(book, {
    type: "buffer",
    bookType: "xlsx",
    compression: false,
    bookSST: true,
  }) as Buffer;
  const { entries } = unpackZip(stored, {
    maxUnpackedBytes: Number.MAX_SAFE_INTEGER,
    maxCells: Number.MAX_SAFE_INTEGER,
  });
  return packZip(entries);
}

/** "A1"-style address of a zero-based cell. */
export function cellAddress(r: number, c: number): string {
  let col = "";
  for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26))
    col = String.fromCharCode(65 + ((n - 1) % 26)) + col;
  return `${col}${r + 1}`;
}
