/**
 * Property tests for normalisation: every spelling the rules allow reads back to the same value,
 * every encoding we accept decodes back to the same text however the bytes are chunked, and CSV
 * written by formatCsv parses back to the same records however the text is chunked.
 */
import fc from "fast-check";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { INDICATORS } from "../../lib/domain/catalogue.ts";
import { parseMonth } from "../../lib/domain/periods.ts";
import { formatCsv, parseCsv } from "../../lib/ingest/csv.ts";
import { decodeStream, type Encoding, StreamDecoder } from "../../lib/ingest/decode.ts";
import { parseFigure } from "../../lib/ingest/numbers.ts";

const FULLWIDTH: Record<string, string> = {
  ",": "，",
  ".": "．",
  "+": "＋",
  "-": "－",
};
const toFullWidth = (c: string): string =>
  /[0-9]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : (FULLWIDTH[c] ?? c);

/** Each character of `text` in 半角 or 全角, as a Chinese input method mixes them. */
function mixedWidth(text: string): fc.Arbitrary<string> {
  return fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((wide) => [...text].map((c, i) => (wide[i] ? toFullWidth(c) : c)).join(""));
}

const blanks = fc
  .array(fc.constantFrom(" ", "\u3000", "\t", "\u00a0"), { maxLength: 3 })
  .map((b) => b.join(""));

function grouped(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

describe("parseFigure", () => {
  const spelledFigure = fc
    .record({
      def: fc.constantFrom(...INDICATORS),
      // Up to 10^11 so every value is exact in a double at any of the 0–2 decimals.
      scaled: fc.integer({ min: 0, max: 100_000_000_000 }),
      thousands: fc.boolean(),
      trailingZeros: fc.integer({ min: 0, max: 2 }),
      measureWord: fc.boolean(),
      before: blanks,
      between: blanks,
      after: blanks,
    })
    .chain((p) => {
      const d = p.def.decimals;
      const intPart = String(Math.floor(p.scaled / 10 ** d));
      const fracDigits = d ? String(p.scaled % 10 ** d).padStart(d, "0") : "";
      const significant = fracDigits.replace(/0+$/, "");
      const fraction = significant || p.trailingZeros ? `.${significant}${"0".repeat(p.trailingZeros)}` : "";
      const figure = (p.thousands ? grouped(intPart) : intPart) + fraction;
      return mixedWidth(figure).map((spelled) => ({
        def: p.def,
        value: p.scaled / 10 ** d,
        cell: `${p.before}${spelled}${p.measureWord ? p.between + p.def.unit : ""}${p.after}`,
      }));
    });

  it("reads back every allowed spelling: 全角 digits, thousands separators, trailing .0, blanks, measure word", () => {
    fc.assert(
      fc.property(spelledFigure, ({ def, value, cell }) => {
        expect(parseFigure(cell, def.decimals, def.unit)).toEqual({
          ok: true,
          blank: false,
          value,
        });
      }),
      { numRuns: 2000 },
    );
  });

  it("reads any negative figure as negative, never as its absolute value", () => {
    fc.assert(
      fc.property(spelledFigure, fc.constantFrom("-", "－", "−"), ({ def, value, cell }, minus) => {
        fc.pre(value > 0);
        const negative = cell.replace(/^([ \u3000\t\u00a0]*)/, `$1${minus}`);
        expect(parseFigure(negative, def.decimals, def.unit)).toEqual({
          ok: false,
          problem: "negative",
        });
      }),
    );
  });

  it("refuses a fraction in a count, and more decimals than the indicator keeps", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...INDICATORS),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 9 }),
        (def, whole, lastDigit) => {
          const cell = `${whole}.${"0".repeat(def.decimals)}${lastDigit}`;
          const problem = def.decimals === 0 ? "not_integer" : "too_many_decimals";
          expect(parseFigure(cell, def.decimals, def.unit)).toEqual({
            ok: false,
            problem,
          });
        },
      ),
    );
  });

  it("never reads NaN, Infinity, scientific notation or words as a figure", () => {
    const notFigures = fc.oneof(
      fc.constantFrom("NaN", "Infinity", "-Infinity", "1e309", "#VALUE!", "#DIV/0!", "/", "-", "无", "十二"),
      fc
        .tuple(
          fc.integer({ min: 1, max: 9 }),
          fc.integer({ min: 0, max: 400 }),
          fc.constantFrom("e", "E", "E+"),
        )
        .map(([m, e, sep]) => `${m}${sep}${e}`),
    );
    fc.assert(
      fc.property(notFigures, fc.constantFrom(...INDICATORS), (cell, def) => {
        expect(parseFigure(cell, def.decimals, def.unit)).toEqual({
          ok: false,
          problem: "not_number",
        });
      }),
    );
  });

  it("reads a cell of blanks as blank, never as a figure", () => {
    fc.assert(
      fc.property(blanks, fc.constantFrom(...INDICATORS), (cell, def) => {
        expect(parseFigure(cell, def.decimals, def.unit)).toEqual({
          ok: true,
          blank: true,
          value: 0,
        });
      }),
    );
  });
});

describe("parseMonth", () => {
  const spelledMonth = fc
    .record({
      year: fc.integer({ min: 2000, max: 2099 }),
      month: fc.integer({ min: 1, max: 12 }),
      form: fc.constantFrom("-", "/", ".", "年", "年月", "compact"),
      pad: fc.boolean(),
      before: blanks,
      after: blanks,
    })
    .chain((p) => {
      const mm = p.pad || p.form === "compact" ? String(p.month).padStart(2, "0") : String(p.month);
      const text =
        p.form === "compact"
          ? `${p.year}${mm}`
          : p.form === "年月"
            ? `${p.year}年${mm}月`
            : `${p.year}${p.form}${mm}`;
      return mixedWidth(text).map((spelled) => ({
        canonical: `${p.year}-${String(p.month).padStart(2, "0")}`,
        cell: `${p.before}${spelled}${p.after}`,
      }));
    });

  it("reads back every allowed spelling to the canonical month", () => {
    fc.assert(
      fc.property(spelledMonth, ({ canonical, cell }) => {
        expect(parseMonth(cell)).toBe(canonical);
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses months outside 1–12 in every spelling", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2099 }),
        fc.oneof(fc.constant(0), fc.integer({ min: 13, max: 99 })),
        fc.constantFrom("-", "/", ".", "年"),
        (year, month, sep) => {
          expect(parseMonth(`${year}${sep}${month}`)).toBeUndefined();
          expect(parseMonth(`${year}${String(month).padStart(2, "0")}`)).toBeUndefined();
        },
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Decoding.

/** Files that start like these are refused by design (zip, PDF, images, gzip, RAR, BOMs). */
const MAGIC = [
  [0x50, 0x4b, 0x03, 0x04],
  [0xd0, 0xcf, 0x11, 0xe0],
  [0x25, 0x50, 0x44, 0x46],
  [0x89, 0x50, 0x4e, 0x47],
  [0xff, 0xd8, 0xff],
  [0x47, 0x49, 0x46, 0x38],
  [0x1f, 0x8b],
  [0x52, 0x61, 0x72, 0x21],
  [0xef, 0xbb, 0xbf],
  [0xff, 0xfe],
  [0xfe, 0xff],
];
const startsLikeMagic = (bytes: Uint8Array): boolean => MAGIC.some((m) => m.every((b, i) => bytes[i] === b));

/** Text as it appears in returns: Chinese, ASCII, 全角 forms, CJK extension B, emoji, line ends. */
const textChar = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c)),
  },
  {
    weight: 3,
    arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCodePoint(c)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom("\r\n", "\n", "\r", "\t", ",", '"', "，", "。", "“", "”", "　", "€", "·"),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0xff01, max: 0xff5e }).map((c) => String.fromCodePoint(c)),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0x20000, max: 0x2a6df }).map((c) => String.fromCodePoint(c)),
  },
  { weight: 1, arbitrary: fc.constantFrom("👍", "🇨🇳", "㎡", "①", "䶮", "〇") },
  {
    weight: 1,
    arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  },
);
const text = fc.array(textChar, { maxLength: 400 }).map((cs) => cs.join(""));

function encode(s: string, encoding: "utf-8" | "utf-8-bom" | "gb18030" | "utf-16le"): Uint8Array {
  switch (encoding) {
    case "utf-8":
      return Buffer.from(s, "utf8");
    case "utf-8-bom":
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s, "utf8")]);
    case "gb18030":
      return iconv.encode(s, "gb18030");
    case "utf-16le":
      return Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(s, "utf-16le")]);
  }
}

/** Cuts bytes at the given offsets (sorted, deduplicated): every chunking the property explores. */
function cut(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.slice(from, p));
    from = p;
  }
  return chunks;
}

async function* asStream<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

const isAscii = (bytes: Uint8Array): boolean => bytes.every((b) => b < 0x80);
const isUtf8 = (bytes: Uint8Array): boolean => {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

describe("StreamDecoder and decodeStream", () => {
  const offsets = fc.array(fc.nat(), { maxLength: 40 });

  it("decode UTF-8 (with or without BOM), GB18030 and UTF-16LE+BOM back to the text, in any chunks", async () => {
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.constantFrom("utf-8", "utf-8-bom", "gb18030", "utf-16le" as const),
        offsets,
        async (s, encoding, cuts) => {
          const bytes = encode(s, encoding);
          fc.pre(!s.includes("\0") || encoding === "utf-16le");
          if (encoding === "utf-8" || encoding === "gb18030") fc.pre(!startsLikeMagic(bytes));
          let expected: Encoding = encoding;
          if (encoding === "gb18030") {
            // Only text GB18030 can carry, and whose bytes are not also valid UTF-8 (the rule that tells them apart).
            fc.pre(iconv.decode(Buffer.from(bytes), "gb18030") === s);
            fc.pre(isAscii(bytes) || !isUtf8(bytes));
          }
          if ((encoding === "utf-8" || encoding === "gb18030") && isAscii(bytes)) expected = "ascii";

          const chunks = cut(bytes, cuts);
          const decoder = new StreamDecoder();
          const byWrite = chunks.map((c) => decoder.write(c)).join("") + decoder.end();
          expect(byWrite).toBe(s);
          expect(decoder.encoding).toBe(expected);
          expect(decoder.bytesRead).toBe(bytes.length);

          let streamed = "";
          for await (const piece of decodeStream(asStream(chunks))) streamed += piece;
          expect(streamed).toBe(s);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("decodes GB18030 whose bytes look like UTF-8 only to a loose check (E0 80 B0 40 = 鄝癅)", () => {
    const s = "单位代码,亮点工作\r\n001001001,鄝癅\r\n";
    for (const bytes of [encode("鄝癅,鄝癅", "gb18030"), encode(s, "gb18030")]) {
      const decoder = new StreamDecoder();
      expect(decoder.write(bytes) + decoder.end()).toBe(iconv.decode(Buffer.from(bytes), "gb18030"));
      expect(decoder.encoding).toBe("gb18030");
    }
  });

  it("reports a file holding only a UTF-8 BOM as utf-8-bom with no text", () => {
    const decoder = new StreamDecoder();
    expect(decoder.write(new Uint8Array([0xef, 0xbb, 0xbf])) + decoder.end()).toBe("");
    expect(decoder.encoding).toBe("utf-8-bom");
  });
});

// ---------------------------------------------------------------------------------------------
// CSV.

describe("formatCsv → parseCsv", () => {
  const cellChar = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c)),
    },
    {
      weight: 3,
      arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCodePoint(c)),
    },
    {
      weight: 3,
      arbitrary: fc.constantFrom(",", '"', "\r\n", "\n", "\r", '""', "，", "\t", ";", "="),
    },
  );
  const cell = fc.array(cellChar, { maxLength: 12 }).map((cs) => cs.join(""));
  const table = fc.integer({ min: 2, max: 6 }).chain((width) =>
    fc.array(fc.array(cell, { minLength: width, maxLength: width }), {
      minLength: 1,
      maxLength: 12,
    }),
  );

  /** A header of plain words, as every return file has: it is what the delimiter is guessed from. */
  const header = (width: number): string[] => Array.from({ length: width }, (_, i) => `列${i + 1}`);

  async function roundTrip(rows: string[][], chunkSizes: readonly number[]) {
    const text = formatCsv(rows, { bom: false });
    const pieces: string[] = [];
    for (let i = 0, k = 0; i < text.length; k++) {
      const size = chunkSizes.length ? (chunkSizes[k % chunkSizes.length] as number) : text.length;
      pieces.push(text.slice(i, i + size));
      i += size;
    }
    const records: string[][] = [];
    const { done } = parseCsv(asStream(pieces), (chunk) => {
      records.push(...chunk);
    });
    const result = await done;
    return { records, result };
  }

  /** formatCsv ends the last record with CRLF; the parser reads that as one empty record. */
  const withoutFinalLineEnd = (records: string[][]): string[][] =>
    records.length && records.at(-1)?.length === 1 && records.at(-1)?.[0] === ""
      ? records.slice(0, -1)
      : records;

  it("gives back records with commas, quotes and line breaks in any chunks", async () => {
    await fc.assert(
      fc.asyncProperty(
        table,
        fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 8 }),
        async (rows, sizes) => {
          const all = [header((rows[0] as string[]).length), ...rows];
          const { records, result } = await roundTrip(all, sizes);
          expect(result.problems).toEqual([]);
          expect(withoutFinalLineEnd(records)).toEqual(all);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("finds no quote problem when a read ends between a quoted last cell's CR and LF", async () => {
    const filler = Array.from({ length: 2400 }, (_, i) => [
      `00100${i % 10}001`,
      "2026-10",
      String(i),
      "走访群众",
    ]);
    const all = [
      header(4),
      ...filler,
      ["001001001", "2026-10", "3", "一是学习，二是调研,三是整改"],
      ["a", "b", "c", "d"],
    ];
    const text = formatCsv(all, { bom: false });
    const split = text.indexOf('整改"\r\n') + 4;
    expect(text.length).toBeGreaterThan(split);
    const records: string[][] = [];
    const { done } = parseCsv(asStream([text.slice(0, split), text.slice(split)]), (chunk) => {
      records.push(...chunk);
    });
    expect((await done).problems).toEqual([]);
    expect(withoutFinalLineEnd(records)).toEqual(all);
  });

  it("reads a comma file as commas when its rows hold ASCII semicolons", async () => {
    // A header as wide as a return's would do; eight columns already tipped papaparse's own guess.
    const row = (text: string): string[] => ["001001001", "2026-10", "3", "45", "12", "", text, "王红"];
    const all = [header(8), row("一是学习;二是调研;三是整改"), row("甲;乙;丙")];
    const records: string[][] = [];
    const { done } = parseCsv(asStream([formatCsv(all, { bom: false })]), (chunk) => {
      records.push(...chunk);
    });
    await done;
    expect(withoutFinalLineEnd(records)).toEqual(all);
  });

  it("gives back records that come after the first 64K characters, cut at any point", async () => {
    const filler = Array.from({ length: 2300 }, (_, i) => [
      `00100${i % 10}001`,
      "2026-10",
      String(i),
      "走访群众",
    ]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 4, maxLength: 4 }), {
          minLength: 1,
          maxLength: 20,
        }),
        fc.array(fc.integer({ min: 1, max: 4096 }), {
          minLength: 1,
          maxLength: 8,
        }),
        async (rows, sizes) => {
          const all = [header(4), ...filler, ...rows];
          const { records, result } = await roundTrip(all, sizes);
          expect(result.problems).toEqual([]);
          expect(withoutFinalLineEnd(records)).toEqual(all);
        },
      ),
      { numRuns: 60 },
    );
  });
});
