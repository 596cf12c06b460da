/**
 * The zip container of an .xlsx, opened by us before any spreadsheet library sees it: the central
 * directory's sizes are checked against the limits first (a zip bomb is refused before a byte is
 * inflated), then every entry is inflated with node:zlib bounded by the size it declares, its CRC
 * checked, and the cells of every worksheet counted. Only then do the entries go to the reader.
 */
import { crc32, deflateRawSync, inflateRawSync } from "node:zlib";
import { FileProblem } from "../errors.ts";

export interface ZipLimits {
  /** Sum of the entries' uncompressed sizes. */
  readonly maxUnpackedBytes: number;
  /** Cells in all worksheets together (counted in the XML before it is parsed). */
  readonly maxCells: number;
}

export interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
}

export interface UnpackedZip {
  readonly entries: readonly ZipEntry[];
  readonly unpackedBytes: number;
  readonly cells: number;
  /** Some worksheet has a formula element (the reader then asks for formulas). */
  readonly formulas: boolean;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** More entries than any workbook has (Excel writes 10–30; one per sheet, drawing, comment …). */
const MAX_ENTRIES = 10_000;

const CORRUPT =
  "工作簿文件已损坏或不完整(压缩包结构有误),无法读取。请用Excel或WPS打开确认能正常显示后,重新“另存为”Excel工作簿(.xlsx)再上传。";

function corrupt(detail?: string): FileProblem {
  return new FileProblem("E_WORKBOOK", detail ? `${CORRUPT.slice(0, -1)}(${detail})。` : CORRUPT);
}

function mb(bytes: number): string {
  return `${Number((bytes / 1024 / 1024).toFixed(1))}MB`;
}

export function tooLarge(what: string): FileProblem {
  return new FileProblem(
    "E_FILE_TOO_LARGE",
    `工作簿过大:${what}。请删除多余的工作表和空行后重新上传,或拆分成几个文件分批上传。`,
  );
}

interface Central {
  readonly name: string;
  readonly flags: number;
  readonly method: number;
  readonly crc: number;
  readonly compressed: number;
  readonly size: number;
  readonly offset: number;
}

/** Reads the zip64 extended sizes (extra field 0x0001) for the fields that were saturated. */
function zip64(
  view: DataView,
  start: number,
  length: number,
  want: { size: boolean; compressed: boolean; offset: boolean },
): { size?: number; compressed?: number; offset?: number } {
  const out: { size?: number; compressed?: number; offset?: number } = {};
  let p = start;
  const end = start + length;
  while (p + 4 <= end) {
    const id = view.getUint16(p, true);
    const len = view.getUint16(p + 2, true);
    if (id === 0x0001) {
      let q = p + 4;
      const next = (): number => {
        if (q + 8 > p + 4 + len) throw corrupt();
        const v = Number(view.getBigUint64(q, true));
        q += 8;
        return v;
      };
      if (want.size) out.size = next();
      if (want.compressed) out.compressed = next();
      if (want.offset) out.offset = next();
      return out;
    }
    p += 4 + len;
  }
  return out;
}

function findEnd(view: DataView): number {
  const n = view.byteLength;
  const stop = Math.max(0, n - 22 - 0xffff);
  for (let i = n - 22; i >= stop; i--) if (view.getUint32(i, true) === EOCD) return i;
  throw corrupt("找不到压缩包目录,文件可能只上传了一部分");
}

function readDirectory(bytes: Uint8Array, limits: ZipLimits): Central[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEnd(view);
  let count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  if (
    (count === 0xffff || offset === 0xffffffff) &&
    end >= 20 &&
    view.getUint32(end - 20, true) === EOCD64_LOCATOR
  ) {
    const at = Number(view.getBigUint64(end - 12, true));
    if (at + 56 > bytes.length || view.getUint32(at, true) !== EOCD64) throw corrupt();
    count = Number(view.getBigUint64(at + 32, true));
    offset = Number(view.getBigUint64(at + 48, true));
  }
  if (count > MAX_ENTRIES) throw tooLarge(`压缩包中有${count}个文件`);
  const entries: Central[] = [];
  let total = 0;
  let p = offset;
  const decoder = new TextDecoder("utf-8");
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CENTRAL) throw corrupt();
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    let compressed = view.getUint32(p + 20, true);
    let size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    let local = view.getUint32(p + 42, true);
    if (p + 46 + nameLength + extraLength > bytes.length) throw corrupt();
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLength));
    if (size === 0xffffffff || compressed === 0xffffffff || local === 0xffffffff) {
      const big = zip64(view, p + 46 + nameLength, extraLength, {
        size: size === 0xffffffff,
        compressed: compressed === 0xffffffff,
        offset: local === 0xffffffff,
      });
      size = big.size ?? size;
      compressed = big.compressed ?? compressed;
      local = big.offset ?? local;
    }
    // Sizes first, before anything is inflated: the whole point of reading the directory.
    total += size;
    if (size > limits.maxUnpackedBytes || total > limits.maxUnpackedBytes) {
      throw tooLarge(`解压后超过${mb(limits.maxUnpackedBytes)}`);
    }
    if (flags & 0x0001) {
      throw new FileProblem("E_WORKBOOK", ENCRYPTED);
    }
    entries.push({ name, flags, method, crc, compressed, size, offset: local });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

export const ENCRYPTED =
  "工作簿设置了打开密码(已加密),系统无法读取。请在Excel中“文件→信息→保护工作簿→用密码进行加密”清除密码(WPS:“文件→文档加密”),保存后重新上传。";

function inflateEntry(bytes: Uint8Array, view: DataView, entry: Central): Buffer {
  const at = entry.offset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL) throw corrupt();
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + entry.compressed > bytes.length) throw corrupt("文件不完整");
  const raw = bytes.subarray(start, start + entry.compressed);
  let data: Buffer;
  if (entry.method === 0) {
    if (entry.compressed !== entry.size) throw corrupt();
    data = Buffer.from(raw);
  } else if (entry.method === 8) {
    try {
      // Never more than the directory declared (and the limits allowed): a lying size stops here.
      data = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) });
    } catch (err) {
      // More than the directory said: a bomb that lies about its size, stopped at the declared size.
      if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
        throw tooLarge("解压后的内容超过了文件目录中记录的大小(文件可能被篡改)");
      }
      throw corrupt("压缩数据无法解开");
    }
  } else {
    throw corrupt(`不支持的压缩方式${entry.method}`);
  }
  if (data.length !== entry.size) throw corrupt("压缩数据与目录记录不符");
  if (crc32(data) >>> 0 !== entry.crc >>> 0) throw corrupt("校验和不符");
  return data;
}

const WORKSHEET = /^xl\/(?:worksheets|macrosheets|dialogsheets)\/[^/]+\.xml$/i;

function prefixOf(xml: Buffer): string {
  const head = xml.subarray(0, 2048).toString("latin1");
  return /<([A-Za-z_][\w.-]*:)?(?:worksheet|macrosheet|dialogsheet)[\s>]/.exec(head)?.[1] ?? "";
}

/** True when the worksheet XML has a formula element ("<f>" or "<f …>"). */
export function hasFormulas(xml: Buffer): boolean {
  const needle = Buffer.from(`<${prefixOf(xml)}f`, "latin1");
  for (let i = xml.indexOf(needle); i !== -1; i = xml.indexOf(needle, i + needle.length)) {
    const next = xml[i + needle.length];
    if (next === 0x20 || next === 0x3e || next === 0x2f) return true;
  }
  return false;
}

/** Cell elements in one worksheet's XML ("<c …>", "<c>", "<c/>"), with the namespace prefix the file uses. */
export function countCells(xml: Buffer): number {
  const prefix = prefixOf(xml);
  // One native search for "<c", then the byte after it: a space, ">" or "/" makes it a cell element.
  const needle = Buffer.from(`<${prefix}c`, "latin1");
  let cells = 0;
  for (let i = xml.indexOf(needle); i !== -1; i = xml.indexOf(needle, i + needle.length)) {
    const next = xml[i + needle.length];
    if (next === 0x20 || next === 0x3e || next === 0x2f || next === 0x09 || next === 0x0a || next === 0x0d)
      cells++;
  }
  return cells;
}

/** Checks and inflates every entry of an .xlsx (or refuses it with a FileProblem). */
export function unpackZip(bytes: Uint8Array, limits: ZipLimits): UnpackedZip {
  const directory = readDirectory(bytes, limits);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: ZipEntry[] = [];
  let cells = 0;
  let unpackedBytes = 0;
  let formulas = false;
  for (const entry of directory) {
    if (entry.name.endsWith("/")) continue;
    const data = inflateEntry(bytes, view, entry);
    unpackedBytes += data.length;
    if (WORKSHEET.test(entry.name)) {
      cells += countCells(data);
      if (cells > limits.maxCells) throw tooLarge(`单元格超过${limits.maxCells}个`);
      formulas ||= hasFormulas(data);
    }
    entries.push({ name: entry.name, data });
  }
  return { entries, unpackedBytes, cells, formulas };
}

/** Writes entries as a zip, each deflated by node:zlib (the spreadsheet library's own deflate is slow). */
export function packZip(entries: readonly ZipEntry[]): Uint8Array<ArrayBuffer> {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const deflated = deflateRawSync(entry.data);
    const crc = crc32(entry.data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(CENTRAL, 0);
    record.writeUInt16LE(20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(0x0800, 8);
    record.writeUInt16LE(8, 10);
    record.writeUInt32LE(crc, 16);
    record.writeUInt32LE(deflated.length, 20);
    record.writeUInt32LE(entry.data.length, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt32LE(offset, 42);
    parts.push(local, name, deflated);
    central.push(record, name);
    offset += local.length + name.length + deflated.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, directory, end]));
}
