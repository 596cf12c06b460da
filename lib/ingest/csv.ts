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
  const run = async (): Promise<CsvResult> => {
    const { head, rest } = await readHead(text);
    const input = Readable.from(prepend(head, rest), { objectMode: true });
    return new Promise<CsvResult>((resolve, reject) => {
      let count = 0;
      const problems: CsvProblem[] = [];
      Papa.parse<string[]>(input as unknown as NodeJS.ReadableStream, {
        delimiter: guessDelimiter(head),
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
  };
  return {
    done: run(),
    stop() {
      stopped = true;
      parser?.abort();
    },
  };
}

/**
 * papaparse guesses the line ending from its first chunk alone and keeps the guess: a first chunk such
 * as "2026" (the ASCII before the decoder's first decision) made it parse a CR file as one long line.
 * So the first chunks are joined up to GUESS_CHARS before parsing starts.
 */
const GUESS_CHARS = 64 * 1024;

async function readHead(
  text: AsyncIterable<string>,
): Promise<{ head: string; rest: AsyncIterator<string> | undefined }> {
  const source = text[Symbol.asyncIterator]();
  let head = "";
  while (head.length < GUESS_CHARS) {
    const next = await source.next();
    if (next.done) return { head, rest: undefined };
    head += next.value;
  }
  return { head, rest: source };
}

/**
 * The head, then the rest of the text. A chunk never ends in "\r": papaparse took a closing quote
 * followed by a lone "\r" at the end of a chunk (the "\n" still to come) for a malformed field and
 * reported it even after re-reading the row, so a valid file with a quoted last column was refused
 * with E_MALFORMED whenever a read boundary fell inside that row's CRLF.
 */
async function* prepend(head: string, rest: AsyncIterator<string> | undefined): AsyncGenerator<string> {
  let carry = "";
  const take = (chunk: string): string => {
    const text = carry + chunk;
    carry = text.endsWith("\r") ? "\r" : "";
    return carry ? text.slice(0, -1) : text;
  };
  const first = take(head);
  if (first) yield first;
  // for await closes the source when parsing stops early (row limit), releasing the file.
  if (rest) {
    for await (const chunk of { [Symbol.asyncIterator]: () => rest }) {
      const text = take(chunk);
      if (text) yield text;
    }
  }
  if (carry) yield carry;
}

const DELIMITERS = [",", "\t", ";"] as const;

/**
 * The delimiter that gives the most records of one width (≥ 2 fields) among the first ten, the wider
 * width breaking ties: a return is a table whose header and rows share one width, while ASCII
 * semicolons typed in a 亮点工作 give varying counts. papaparse's own guess wants every record of the
 * preview to agree, so the trailing blank line of a short file tipped it to ";" when two rows each
 * had "一是…;二是…;三是…", and the whole file was read as one column.
 */
function guessDelimiter(head: string): string {
  let best: string = DELIMITERS[0];
  let bestCount = 0;
  let bestWidth = 0;
  for (const delimiter of DELIMITERS) {
    const { data } = Papa.parse<string[]>(head, { delimiter, preview: 10 });
    const byWidth = new Map<number, number>();
    for (const record of data) {
      if (record.length >= 2) byWidth.set(record.length, (byWidth.get(record.length) ?? 0) + 1);
    }
    for (const [width, count] of byWidth) {
      if (count > bestCount || (count === bestCount && width > bestWidth)) {
        best = delimiter;
        bestCount = count;
        bestWidth = width;
      }
    }
  }
  return best;
}

/** Parses a whole text synchronously (registries and other small files). */
export function parseCsvText(text: string): string[][] {
  const result = Papa.parse<string[]>(text, { delimiter: guessDelimiter(text), skipEmptyLines: false });
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
