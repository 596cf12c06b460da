/**
 * Months, reporting periods and deadlines. A month is canonical "YYYY-MM"; arithmetic uses a month
 * index (year × 12 + month − 1). Nothing here reads the clock: callers pass `now`.
 */
import { toHalfWidth } from "./text.ts";

/** Canonical month, "2026-10". */
export type Month = string;

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2099;
/** Beijing time is UTC+8 all year (no DST): deadlines and "this month" are Beijing dates. */
const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

const YEAR_MONTH = /^(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:月份?)?$/;
const COMPACT = /^(\d{4})(\d{2})$/;
const DATE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+0{1,2}:0{2}(?::0{2})?)?$/;

function month(year: number, m: number): Month | undefined {
  if (year < MIN_YEAR || year > MAX_YEAR || m < 1 || m > 12) return undefined;
  return `${year}-${String(m).padStart(2, "0")}`;
}

/**
 * Parses the spellings units actually type: 2026-10, 2026/10, 2026.10, 202610, 2026年10月,
 * one-digit months, and the dates Excel turns them into (2026/10/1).
 */
const parsedMonths = new Map<string, Month | undefined>();

export function parseMonth(text: string): Month | undefined {
  // A batch file repeats a handful of spellings on every row: remember them (bounded).
  if (parsedMonths.has(text)) return parsedMonths.get(text);
  const month = parseMonthUncached(text);
  if (parsedMonths.size > 4096) parsedMonths.clear();
  parsedMonths.set(text, month);
  return month;
}

function parseMonthUncached(text: string): Month | undefined {
  const t = toHalfWidth(text).trim();
  const ym = YEAR_MONTH.exec(t) ?? COMPACT.exec(t);
  if (ym) return month(Number(ym[1]), Number(ym[2]));
  const date = DATE.exec(t);
  if (date) {
    const day = Number(date[3]);
    if (day < 1 || day > 31) return undefined;
    return month(Number(date[1]), Number(date[2]));
  }
  return undefined;
}

export function monthIndex(m: Month): number {
  return Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
}

export function monthFromIndex(index: number): Month {
  const year = Math.floor(index / 12);
  return `${year}-${String((index % 12) + 1).padStart(2, "0")}`;
}

export function addMonths(m: Month, n: number): Month {
  return monthFromIndex(monthIndex(m) + n);
}

export function yearOf(m: Month): number {
  return Number(m.slice(0, 4));
}

export function monthNumber(m: Month): number {
  return Number(m.slice(5, 7));
}

/** Months from `from` to `to` inclusive. */
export function monthsBetween(from: Month, to: Month): Month[] {
  const out: Month[] = [];
  for (let i = monthIndex(from); i <= monthIndex(to); i++) out.push(monthFromIndex(i));
  return out;
}

/** The Beijing calendar month containing the instant `now`. */
export function monthOf(now: Date): Month {
  const local = new Date(now.getTime() + BEIJING_OFFSET_MS);
  return `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** "2026年10月" */
export function monthLabel(m: Month): string {
  return `${yearOf(m)}年${monthNumber(m)}月`;
}

/**
 * The reporting deadline for a month: the end of day `deadlineDay` (Beijing time) of the following
 * month; by default the 5th, as in most 机关党建 monthly reporting rules.
 */
export function deadlineOf(m: Month, deadlineDay = 5): Date {
  const next = addMonths(m, 1);
  const endOfDayUtc = Date.UTC(yearOf(next), monthNumber(next) - 1, deadlineDay + 1) - BEIJING_OFFSET_MS;
  return new Date(endOfDayUtc - 1);
}

export function isOnTime(m: Month, submittedAt: Date, deadlineDay = 5): boolean {
  return submittedAt.getTime() <= deadlineOf(m, deadlineDay).getTime();
}

/** Beijing calendar date of an instant, "2026-11-05". */
export function beijingDate(instant: Date): string {
  return new Date(instant.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** A span of whole months, as the API and bulletin use it. */
export interface PeriodRange {
  readonly kind: "month" | "quarter" | "year" | "rolling";
  /** The canonical spelling of the period (2026-10, 2026-Q3, 2026, LAST_12_MONTHS …). */
  readonly spec: string;
  readonly label: string;
  readonly from: Month;
  readonly to: Month;
}

const QUARTER_NAMES = ["一", "二", "三", "四"] as const;

export function monthRange(m: Month, spec: string = m): PeriodRange {
  return { kind: "month", spec, label: monthLabel(m), from: m, to: m };
}

export function quarterRange(year: number, q: number, spec = `${year}-Q${q}`): PeriodRange {
  const from = month(year, (q - 1) * 3 + 1) as Month;
  return {
    kind: "quarter",
    spec,
    label: `${year}年第${QUARTER_NAMES[q - 1]}季度`,
    from,
    to: addMonths(from, 2),
  };
}

/** Year to date: January through the latest month with data in that year (or December). */
export function yearToDate(year: number, latest: Month | undefined, spec = String(year)): PeriodRange {
  const from = `${year}-01`;
  const last = latest && yearOf(latest) === year ? latest : `${year}-12`;
  const to = latest && yearOf(latest) < year ? from : last;
  const label = monthNumber(to) === 1 ? `${year}年1月` : `${year}年1—${monthNumber(to)}月`;
  return { kind: "year", spec, label, from, to };
}

export type PeriodResolution = { ok: true; range: PeriodRange } | { ok: false; message: string };

/**
 * Resolves an API period: 2026-10, 2026-Q3, 2026 (year to date), THIS_MONTH, LAST_MONTH,
 * THIS_YEAR, LAST_12_MONTHS. `latest` is the latest month with data (for year to date).
 */
export function resolvePeriod(spec: string, now: Date, latest?: Month): PeriodResolution {
  const s = spec.trim().toUpperCase();
  const current = monthOf(now);
  switch (s) {
    case "THIS_MONTH":
      return { ok: true, range: monthRange(current, s) };
    case "LAST_MONTH":
      return { ok: true, range: monthRange(addMonths(current, -1), s) };
    case "THIS_YEAR":
      return { ok: true, range: yearToDate(yearOf(current), latest ?? current, s) };
    case "LAST_12_MONTHS": {
      const to = addMonths(current, -1);
      const from = addMonths(to, -11);
      return {
        ok: true,
        range: {
          kind: "rolling",
          spec: s,
          label: `近12个月(${monthLabel(from)}—${monthLabel(to)})`,
          from,
          to,
        },
      };
    }
  }
  const q = /^(\d{4})-?Q([1-4])$/.exec(s);
  if (q) {
    const year = Number(q[1]);
    if (year >= MIN_YEAR && year <= MAX_YEAR) return { ok: true, range: quarterRange(year, Number(q[2])) };
  }
  if (/^\d{4}$/.test(s)) {
    const year = Number(s);
    if (year >= MIN_YEAR && year <= MAX_YEAR) return { ok: true, range: yearToDate(year, latest) };
  }
  const m = parseMonth(s);
  if (m) return { ok: true, range: monthRange(m) };
  return {
    ok: false,
    message: `无法识别的期间“${spec}”。可用:2026-10、2026-Q3、2026、THIS_MONTH、LAST_MONTH、THIS_YEAR、LAST_12_MONTHS`,
  };
}
