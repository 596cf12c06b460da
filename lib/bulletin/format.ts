/**
 * How figures are written in the 简报 (shared/style/BULLETIN.md): plain digits under 10,000 with the
 * measure word, 万 with one decimal above that, money to the fen, rates with one decimal and %.
 * Rounding is done on integers (value / 1000, then round) so 3.75万 never becomes 3.7 through binary
 * fractions the way (3.75).toFixed(1) on a computed quotient can.
 */

const WAN = 10_000;

export interface FigureStyle {
  /** Measure word written after the figure (次, 人次, 元 …). */
  readonly unit: string;
  /** 0 for counts, 1 for hours, 2 for money (元, always to the fen). */
  readonly decimals: 0 | 1 | 2;
}

/** One decimal, "3.0" written as "3": seeds write 2万人次, not 2.0万人次. */
function oneDecimal(tenths: number): string {
  const whole = Math.trunc(tenths / 10);
  const rest = Math.abs(tenths % 10);
  return rest === 0 ? String(whole) : `${whole}.${rest}`;
}

/** "527次", "3.7万人次", "352.5小时", "872915.72元". */
export function formatFigure(value: number, style: FigureStyle): string {
  if (style.decimals === 2) return `${(Math.round(value * 100) / 100).toFixed(2)}${style.unit}`;
  if (Math.abs(value) >= WAN) return `${oneDecimal(Math.round(value / 1000))}万${style.unit}`;
  if (style.decimals === 1) return `${oneDecimal(Math.round(value * 10))}${style.unit}`;
  return `${Math.round(value)}${style.unit}`;
}

/** A percentage already on the 0–100 scale, one decimal: "81.8%". */
export function formatPercent(percent: number): string {
  return `${(Math.round(percent * 10) / 10).toFixed(1)}%`;
}

/** part / whole as a percentage with one decimal; null when there is nothing to divide by. */
export function percentOf(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part * 1000) / whole) / 10 : null;
}

/** A ratio such as 人均志愿服务时长, one decimal with its unit: "2.3小时". */
export function formatRatio(value: number, unit: string): string {
  return `${(Math.round(value * 10) / 10).toFixed(1)}${unit}`;
}

export type Direction = "up" | "down" | "flat";

export interface Change {
  readonly direction: Direction;
  /** Size of the change, rounded to one decimal (percent, or percentage points). */
  readonly amount: number;
}

function changeOf(delta: number): Change {
  const amount = Math.round(Math.abs(delta) * 10) / 10;
  if (amount === 0) return { direction: "flat", amount: 0 };
  return { direction: delta > 0 ? "up" : "down", amount };
}

/**
 * 同比/环比 as a relative change. Null when the earlier figure is 0 or missing: "增长∞%" means
 * nothing, so the sentence leaves the indicator out. A change that rounds to 0.0% is 持平.
 */
export function relativeChange(current: number, previous: number | null | undefined): Change | null {
  if (previous === null || previous === undefined || !(previous > 0)) return null;
  return changeOf(((current - previous) / previous) * 100);
}

/** Change of a rate in percentage points (个百分点); null unless both rates exist. */
export function pointChange(current: number | null, previous: number | null | undefined): Change | null {
  if (current === null || previous === null || previous === undefined) return null;
  return changeOf(current - previous);
}

/** "12.3%" for a relative change. */
export function formatChange(change: Change): string {
  return formatPercent(change.amount);
}

const DIGITS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"] as const;

/** 1–99 as Chinese numerals for "一、" headings: 1 → 一, 10 → 十, 12 → 十二, 20 → 二十. */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new RangeError(`chineseNumeral: ${n} out of 1–99`);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  const head = tens === 0 ? "" : tens === 1 ? "十" : `${DIGITS[tens]}十`;
  return head + (ones === 0 ? "" : DIGITS[ones]);
}

/** "2026-11-06" → "2026年11月6日". */
export function chineseDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new RangeError(`chineseDate: not a YYYY-MM-DD date: ${isoDate}`);
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}
