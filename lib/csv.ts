/**
 * Text → records with papaparse over a stream: quoted fields with commas, quotes and newlines;
 * CRLF, LF or CR line ends; comma, tab (Excel's "Unicode 文本") or semicolon delimiters.
 * Records are handed over chunk by chunk so memory stays flat whatever the file size.
 */
import { Readable } from "node:stream";
import Papa from "papaparse";

export interface CsvProblem {
  /** Record index (0 = header) where papaparse found the problem. */
  readonly record: number;
  readonly message: string;
}

/** Receives each chunk of records; `first` is the index of the first one (0 = header). */
export type RecordSink = (records: string[][], first: number) => void;

export interface CsvResult {
  readonly records: number;
  readonly problems: readonly CsvProblem[];
}

/**
 * Parses decoded text chunks. The sink runs synchronously inside papaparse's chunk callback;
 * `stop()` on the returned controller ends parsing early (file limits).
 */
export function parseCsv(
  text: AsyncIterable<string>,
  sink: RecordSink,
): { done: Promise<CsvResult>; stop: () => void } {
  let parser: Papa.Parser | undefined;
  let stopped = false;
  const input = Readable.from(withLongFirstChunk(text), { objectMode: true });
  const done = new Promise<CsvResult>((resolve, reject) => {
    let count = 0;
    const problems: CsvProblem[] = [];
    Papa.parse<string[]>(input as unknown as NodeJS.ReadableStream, {
      delimitersToGuess: [",", "\t", ";"],
      skipEmptyLines: false,
      chunk(results, handle) {
        parser = handle;
        const rows = results.data;
        for (const e of results.errors) {
          // Only quoting problems matter to us; field-count checks are ours (we run without header mode).
          if (e.type === "Quotes") {
            problems.push({ record: count + (typeof e.row === "number" ? e.row : 0), message: e.message });
          }
        }
        if (!stopped && rows.length) sink(rows, count);
        count += rows.length;
        if (stopped) handle.abort();
      },
      complete() {
        input.destroy();
        resolve({ records: count, problems });
      },
      error(err: Error) {
        input.destroy();
        reject(err);
      },
    });
  });
  return {
    done,
    stop() {
      stopped = true;
      parser?.abort();
    },
  };
}

/**
 * papaparse guesses the delimiter and the line ending from the first chunk alone and keeps the guess:
 * a first chunk such as "2026" (the ASCII before the decoder's first decision) made it parse a CR or
 * TAB file as one long comma-separated line. Joining the first chunks up to GUESS_CHARS fixes that.
 */
const GUESS_CHARS = 64 * 1024;

async function* withLongFirstChunk(text: AsyncIterable<string>): AsyncGenerator<string> {
  let head = "";
  let passing = false;
  for await (const chunk of text) {
    if (passing) {
      yield chunk;
      continue;
    }
    head += chunk;
    if (head.length >= GUESS_CHARS) {
      passing = true;
      yield head;
      head = "";
    }
  }
  if (head) yield head;
}

/** Parses a whole text synchronously (registries and other small files). */
export function parseCsvText(text: string): string[][] {
  const result = Papa.parse<string[]>(text, { delimitersToGuess: [",", "\t", ";"], skipEmptyLines: false });
  return result.data;
}

export interface CsvWriteOptions {
  /** Prefix the UTF-8 BOM so Excel opens Chinese text correctly (default true). */
  readonly bom?: boolean;
  /**
   * Neutralise cells that Excel would run as formulas (= + - @, tab, CR) by prefixing an apostrophe.
   * Numbers are left alone so negative figures stay numbers.
   */
  readonly neutraliseFormulas?: boolean;
}

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined, neutralise = false): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let text = value;
  if (neutralise && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows → CSV text with CRLF line ends (what Excel writes and expects). */
export function formatCsv(
  rows: readonly (readonly (string | number | null | undefined)[])[],
  options: CsvWriteOptions = {},
): string {
  const neutralise = options.neutraliseFormulas ?? false;
  const body = rows.map((r) => r.map((c) => csvCell(c, neutralise)).join(",")).join("\r\n");
  return `${options.bom === false ? "" : "\ufeff"}${body}\r\n`;
}
