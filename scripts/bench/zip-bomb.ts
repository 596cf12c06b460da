/**
 * Zip bombs shaped like .xlsx files, built without ever holding the inflated content: a segment
 * deflated with a full flush is independent of what precedes it, so one deflated segment repeated N
 * times is a valid deflate stream of the segment's text N times (deflate's best ratio is ~1000:1).
 * Also the small zip writer the workbook fixtures are made with (tests/fixtures/make-workbooks.ts):
 * deliberately not lib/ingest/zip.ts, so the reader is not only tested against its own writer.
 */
import { constants, crc32, deflateRawSync } from "node:zlib";

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG = "http://schemas.openxmlformats.org/package/2006/relationships";
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

export interface BombOptions {
  /** What the worksheet really inflates to: this many copies of `unit` repeated to at least 1 MiB. */
  readonly unpackedMb: number;
  /** Text repeated inside <sheetData> (default: blanks; cells make a cell-count bomb). */
  readonly unit?: string;
  /** The size written into the directory and local header, when it should lie. */
  readonly declaredBytes?: number;
  /** Compute the real CRC-32 (skipped for huge bombs: the directory check refuses them first). */
  readonly crc?: boolean;
}

export interface ZipEntry {
  readonly name: string;
  readonly deflated: Buffer;
  /** May exceed 4 GiB: then written as zip64 (0xFFFFFFFF and the extra field 0x0001). */
  readonly size: number;
  readonly crc: number;
}

/** General-purpose flag bit 11: the names are UTF-8. */
const UTF8_NAMES = 0x0800;

function zip64Extra(values: readonly number[]): Buffer {
  const extra = Buffer.alloc(4 + 8 * values.length);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(8 * values.length, 2);
  values.forEach((v, i) => {
    extra.writeBigUInt64LE(BigInt(v), 4 + 8 * i);
  });
  return extra;
}

/** One deflated part, its name as given (UTF-8). */
export function zipEntry(name: string, content: Buffer | string): ZipEntry {
  const data = typeof content === "string" ? Buffer.from(content) : content;
  return { name, deflated: deflateRawSync(data), size: data.length, crc: crc32(data) };
}

/** A zip of the parts in order: deflate, UTF-8 names, zip64 fields for a part over 4 GiB. */
export function writeZip(parts: readonly ZipEntry[]): Buffer {
  const out: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, "utf8");
    const big = p.size > 0xffffffff;
    const localExtra = big ? zip64Extra([p.size, p.deflated.length]) : Buffer.alloc(0);
    const centralExtra = big ? zip64Extra([p.size]) : Buffer.alloc(0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(big ? 45 : 20, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.crc >>> 0, 14);
    local.writeUInt32LE(big ? 0xffffffff : p.deflated.length, 18);
    local.writeUInt32LE(big ? 0xffffffff : p.size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(localExtra.length, 28);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(big ? 45 : 20, 4);
    entry.writeUInt16LE(big ? 45 : 20, 6);
    entry.writeUInt16LE(UTF8_NAMES, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(p.crc >>> 0, 16);
    entry.writeUInt32LE(p.deflated.length, 20);
    entry.writeUInt32LE(big ? 0xffffffff : p.size, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt16LE(centralExtra.length, 30);
    entry.writeUInt32LE(offset, 42);
    out.push(local, name, localExtra, p.deflated);
    central.push(entry, name, centralExtra);
    offset += 30 + name.length + localExtra.length + p.deflated.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...out, directory, end]);
}

/** An .xlsx whose one worksheet inflates to `unpackedMb` MiB. */
export function zipBomb(options: BombOptions): Buffer {
  const unitText = options.unit ?? " ".repeat(64);
  // Whole copies of the text (a cell is never cut in two), at least 1 MiB.
  const unit = Buffer.from(unitText.repeat(Math.ceil((1 << 20) / unitText.length)));
  const head = Buffer.from(`${HEAD}<worksheet xmlns="${MAIN}"><sheetData>`);
  const tail = Buffer.from("</sheetData></worksheet>");
  const flushed = (b: Buffer): Buffer => deflateRawSync(b, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const segment = flushed(unit);
  let crc = 0;
  if (options.crc ?? true) {
    crc = crc32(head);
    for (let i = 0; i < options.unpackedMb; i++) crc = crc32(unit, crc);
    crc = crc32(tail, crc);
  }
  const sheet: ZipEntry = {
    name: "xl/worksheets/sheet1.xml",
    deflated: Buffer.concat([
      flushed(head),
      ...Array<Buffer>(options.unpackedMb).fill(segment),
      deflateRawSync(tail),
    ]),
    size: options.declaredBytes ?? head.length + unit.length * options.unpackedMb + tail.length,
    crc,
  };
  return writeZip([
    zipEntry(
      "[Content_Types].xml",
      `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    ),
    zipEntry(
      "_rels/.rels",
      `${HEAD}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    zipEntry(
      "xl/workbook.xml",
      `${HEAD}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="月报表" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    zipEntry(
      "xl/_rels/workbook.xml.rels",
      `${HEAD}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ),
    sheet,
  ]);
}
