/**
 * Reading a figure typed in Excel/WPS: 全角 digits, "1,106", "1106.0", a trailing measure word
 * ("527次"). Scientific notation is refused because Excel writes it only after it has already
 * rounded away digits (1.23457E+11), and NaN/Infinity are not figures.
 */
import { toHalfWidth } from "../domain/text.ts";

export type NumberProblem = "not_number" | "negative" | "not_integer" | "too_many_decimals";

export type ParsedNumber =
  | { readonly ok: true; readonly blank: boolean; readonly value: number }
  | { readonly ok: false; readonly problem: NumberProblem };

const BLANK: ParsedNumber = { ok: true, blank: true, value: 0 };
const NOT_NUMBER: ParsedNumber = { ok: false, problem: "not_number" };
const PLAIN = /^-?(\d+)(?:\.(\d*))?$/;
const GROUPED = /^-?\d{1,3}(?:,\d{3})+(?:\.(\d*))?$/;

function isBlankChar(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x3000 || c === 0xa0 || c === 0xfeff || c === 0x200b;
}

/**
 * The common cell without allocating: plain ASCII digits, or a plain decimal within `decimals`
 * places not ending in 0. NaN means "take parseFigure's careful path".
 */
export function quickFigure(cell: string, decimals: number): number {
  const len = cell.length;
  if (len === 0 || len >= 16) return Number.NaN;
  let value = 0;
  let i = 0;
  for (; i < len; i++) {
    const c = cell.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    value = value * 10 + c;
  }
  if (i === len) return value;
  const places = len - i - 1;
  if (
    i === 0 ||
    cell.charCodeAt(i) !== 46 ||
    places < 1 ||
    places > decimals ||
    cell.charCodeAt(len - 1) === 48
  ) {
    return Number.NaN;
  }
  for (let j = i + 1; j < len; j++) {
    const c = cell.charCodeAt(j) - 48;
    if (c < 0 || c > 9) return Number.NaN;
  }
  return Number(cell);
}

/**
 * Parses one cell. `decimals` is how many decimal places the indicator allows;
 * `unit` is its measure word, accepted after the figure.
 */
export function parseFigure(cell: string, decimals: number, unit = ""): ParsedNumber {
  // Fast path: the common cell (plain digits, a plain decimal) without the careful path.
  const quick = quickFigure(cell, decimals);
  if (!Number.isNaN(quick)) return { ok: true, blank: false, value: quick };
  return parseSlow(cell, decimals, unit);
}

function parseSlow(cell: string, decimals: number, unit: string): ParsedNumber {
  let start = 0;
  let end = cell.length;
  while (start < end && isBlankChar(cell.charCodeAt(start))) start++;
  while (end > start && isBlankChar(cell.charCodeAt(end - 1))) end--;
  if (start === end) return BLANK;
  let text = toHalfWidth(cell.slice(start, end)).trim();
  if (unit && text.endsWith(unit)) text = text.slice(0, -unit.length).trim();
  if (text.startsWith("+")) text = text.slice(1);
  let fraction: string | undefined;
  const plain = PLAIN.exec(text);
  if (plain) {
    fraction = plain[2];
  } else {
    const grouped = GROUPED.exec(text);
    if (!grouped) return NOT_NUMBER;
    fraction = grouped[1];
    text = text.replaceAll(",", "");
  }
  const value = Number(text);
  if (!Number.isFinite(value)) return NOT_NUMBER;
  if (value < 0 || Object.is(value, -0)) return value === 0 ? { ok: true, blank: false, value: 0 } : neg();
  const significant = (fraction ?? "").replace(/0+$/, "").length;
  if (significant > decimals) {
    return { ok: false, problem: decimals === 0 ? "not_integer" : "too_many_decimals" };
  }
  return { ok: true, blank: false, value };
}

function neg(): ParsedNumber {
  return { ok: false, problem: "negative" };
}
