/**
 * Bytes → text for files saved from Excel and WPS. Detection is ours (BOMs, magic numbers, UTF-8
 * validity at the first non-ASCII byte); decoding is iconv-lite's (GB18030, UTF-16) or the
 * platform's strict UTF-8 decoder. Works chunk by chunk so memory does not grow with file size.
 */

import iconv from "iconv-lite";
import { EncodingProblem } from "../errors.ts";

export type Encoding = "utf-8" | "utf-8-bom" | "gb18030" | "utf-16le" | "utf-16be" | "ascii";

const MAGIC: readonly { bytes: readonly number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: "Excel/WPS工作簿(.xlsx/.et)或压缩包" },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: "Excel 97-2003工作簿(.xls)" },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: "PDF文件" },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: "PNG图片" },
  { bytes: [0xff, 0xd8, 0xff], what: "JPEG图片" },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: "GIF图片" },
  { bytes: [0x1f, 0x8b], what: "gzip压缩包" },
  { bytes: [0x52, 0x61, 0x72, 0x21], what: "RAR压缩包" },
];

const SAVE_AS_CSV = "请在Excel或WPS中“另存为”CSV(逗号分隔)格式后重新上传";

/** Bytes looked at together before anything is decoded (BOM, magic number, UTF-16 NULs). */
const SNIFF_BYTES = 512;

/** How many bytes after the first non-ASCII byte decide between UTF-8 and GB18030. */
const DECIDE_WINDOW = 4096;

interface TextDecoderLike {
  write(chunk: Uint8Array): string;
  end(): string;
}

function strictUtf8(): TextDecoderLike {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  return {
    write(chunk) {
      try {
        return decoder.decode(chunk, { stream: true });
      } catch {
        throw new EncodingProblem(
          `文件中混有不是UTF-8编码的内容(常见的是混入了GBK/GB18030编码的行),无法识别。${SAVE_AS_CSV}`,
        );
      }
    },
    end() {
      try {
        return decoder.decode();
      } catch {
        throw new EncodingProblem(`文件末尾的字符不完整(UTF-8编码被截断)。${SAVE_AS_CSV}`);
      }
    },
  };
}

function iconvDecoder(encoding: string): TextDecoderLike {
  const decoder = iconv.getDecoder(encoding, { stripBOM: true });
  return {
    write: (chunk) => decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)),
    end: () => decoder.end() ?? "",
  };
}

/** True when `bytes` is valid UTF-8, allowing a sequence cut off at the end of the window. */
export function looksLikeUtf8(bytes: Uint8Array, isWholeFile: boolean): boolean {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return false;
    // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF, as the
    // strict decoder does: GB18030 text such as E0 80 B0 40 would otherwise pass here and fail there.
    if (i + 1 < n) {
      const second = bytes[i + 1] as number;
      const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
      const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
      if (second < lo || second > hi) return false;
    }
    // A sequence cut off by the end of the window is fine unless the window is the whole file.
    if (i + need >= n) return !isWholeFile;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k] as number;
      if ((c & 0xc0) !== 0x80) return false;
    }
    i += need + 1;
  }
  return true;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  return prefix.every((b, i) => bytes[i] === b);
}

/**
 * A streaming decoder. Pure ASCII is passed through until the first non-ASCII byte, where the
 * encoding is decided from the following bytes: ASCII is the same in every encoding we accept,
 * so an ASCII-only header never forces an early guess.
 */
export class StreamDecoder {
  #encoding: Encoding | undefined;
  #inner: TextDecoderLike | undefined;
  #pending: Uint8Array = new Uint8Array(0);
  #started = false;
  #bytes = 0;
  /** Lines passed through before the encoding was decided (to say where a mix starts). */
  #lines = 0;

  get encoding(): Encoding {
    return this.#encoding ?? "ascii";
  }

  get bytesRead(): number {
    return this.#bytes;
  }

  write(chunk: Uint8Array): string {
    this.#bytes += chunk.byteLength;
    if (this.#inner) return this.#checked(chunk, this.#inner.write(chunk));
    const data = this.#pending.length ? concat(this.#pending, chunk) : chunk;
    this.#pending = new Uint8Array(0);
    return this.#undecided(data, false);
  }

  end(): string {
    if (this.#inner) return this.#inner.end();
    const data = this.#pending;
    this.#pending = new Uint8Array(0);
    const text = this.#undecided(data, true);
    return text + (this.#inner ? (this.#inner as TextDecoderLike).end() : "");
  }

  #checked(chunk: Uint8Array, text: string): string {
    if (this.#encoding !== "utf-16le" && this.#encoding !== "utf-16be" && chunk.indexOf(0) !== -1) {
      throw new EncodingProblem(`文件中含有二进制内容(空字符),不是CSV文本。${SAVE_AS_CSV}`);
    }
    return text;
  }

  #undecided(data: Uint8Array, final: boolean): string {
    if (!this.#started) {
      // BOMs, magic numbers and the NUL pattern of UTF-16 need the first bytes together.
      if (data.length < SNIFF_BYTES && !final) {
        this.#pending = data;
        return "";
      }
      this.#started = true;
      const sniffed = this.#sniffStart(data);
      // "" is a decision too (a BOM with nothing after it yet): only undefined means "no BOM or magic".
      if (sniffed !== undefined) return sniffed;
    }
    let i = 0;
    const n = data.length;
    while (i < n && (data[i] as number) < 0x80) {
      if (data[i] === 0) {
        throw new EncodingProblem(`文件中含有二进制内容(空字符),不是CSV文本。${SAVE_AS_CSV}`);
      }
      i++;
    }
    if (i === n) {
      this.#lines += countLines(data);
      return asciiString(data);
    }
    // First non-ASCII byte: decide once enough bytes follow it.
    if (!final && n - i < DECIDE_WINDOW) {
      this.#pending = data.subarray(i).slice();
      return asciiString(data.subarray(0, i));
    }
    const window = data.subarray(i, Math.min(n, i + DECIDE_WINDOW));
    const isUtf8 = looksLikeUtf8(window, final && i + DECIDE_WINDOW >= n);
    if (!isUtf8 && utf8Prefix(window) >= MIXED_MIN_SEQUENCES) {
      const line = this.#lines + countLines(data.subarray(0, i + firstInvalid(window))) + 1;
      throw new EncodingProblem(
        `文件前面是UTF-8编码,约从第${line}行起混入了GBK/GB18030编码的内容(常见于把两个文件拼在一起,或从其他表格粘贴)。` +
          `请把全部内容复制到同一个表格中,${SAVE_AS_CSV}`,
      );
    }
    this.#encoding = isUtf8 ? "utf-8" : "gb18030";
    this.#inner = isUtf8 ? strictUtf8() : iconvDecoder("gb18030");
    const rest = data.subarray(i);
    return asciiString(data.subarray(0, i)) + this.#checked(rest, this.#inner.write(rest));
  }

  #sniffStart(data: Uint8Array): string | undefined {
    if (startsWith(data, [0xef, 0xbb, 0xbf])) {
      this.#encoding = "utf-8-bom";
      this.#inner = strictUtf8();
      const rest = data.subarray(3);
      return this.#checked(rest, this.#inner.write(rest));
    }
    if (startsWith(data, [0xff, 0xfe]) || startsWith(data, [0xfe, 0xff])) {
      const le = data[0] === 0xff;
      this.#encoding = le ? "utf-16le" : "utf-16be";
      this.#inner = iconvDecoder(le ? "utf-16le" : "utf-16be");
      return this.#inner.write(data);
    }
    for (const magic of MAGIC) {
      if (startsWith(data, magic.bytes)) {
        throw new EncodingProblem(`上传的是${magic.what},不是CSV文本文件。${SAVE_AS_CSV}`);
      }
    }
    const utf16 = utf16WithoutBom(data);
    if (utf16) {
      // Some systems export "Unicode text" without the BOM: its NULs give it away.
      this.#encoding = utf16;
      this.#inner = iconvDecoder(utf16);
      return this.#inner.write(data);
    }
    return undefined;
  }
}

/** UTF-8 multibyte sequences a prefix needs before a GB18030 tail counts as a mix, not chance. */
const MIXED_MIN_SEQUENCES = 4;

/** Complete multibyte UTF-8 sequences before the first byte that is not valid UTF-8. */
function utf8Prefix(bytes: Uint8Array): number {
  return scanUtf8(bytes).sequences;
}

function firstInvalid(bytes: Uint8Array): number {
  return scanUtf8(bytes).stop;
}

function scanUtf8(bytes: Uint8Array): { sequences: number; stop: number } {
  let i = 0;
  let sequences = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0 || i + need >= bytes.length || !looksLikeUtf8(bytes.subarray(i, i + need + 1), true)) break;
    sequences++;
    i += need + 1;
  }
  return { sequences, stop: i };
}

function countLines(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) n++;
  return n;
}

/**
 * UTF-16 without a BOM, told by where the NULs are: ASCII characters (digits, commas, line ends —
 * plenty in any CSV) have a NUL high byte, so one byte position of each pair is sometimes 0 and the
 * other almost never.
 */
function utf16WithoutBom(data: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  const n = Math.min(data.length, 1024) & ~1;
  if (n < 8) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (data[i] === 0) evenZeros++;
    if (data[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros >= pairs * 0.05 && evenZeros <= pairs * 0.01) return "utf-16le";
  if (evenZeros >= pairs * 0.05 && oddZeros <= pairs * 0.01) return "utf-16be";
  return undefined;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

const latin1 = new TextDecoder("latin1");
function asciiString(bytes: Uint8Array): string {
  // Every byte here is < 0x80, where latin1 and ASCII agree; the native decoder is fastest.
  return bytes.length ? latin1.decode(bytes) : "";
}

/** Decodes a byte stream into text chunks (one per input chunk), deciding the encoding as it goes. */
export async function* decodeStream(
  source: AsyncIterable<Uint8Array>,
  decoder: StreamDecoder = new StreamDecoder(),
): AsyncGenerator<string> {
  for await (const chunk of source) {
    const text = decoder.write(chunk);
    if (text) yield text;
  }
  const tail = decoder.end();
  if (tail) yield tail;
}

/** Decodes a whole buffer (registries, small files, tests). */
export function decodeBytes(bytes: Uint8Array): { text: string; encoding: Encoding } {
  const decoder = new StreamDecoder();
  const text = decoder.write(bytes) + decoder.end();
  return { text, encoding: decoder.encoding };
}
