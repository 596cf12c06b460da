/**
 * Rollup maths. Each stored return contributes counters to the monthly rollup of every scope above
 * its unit; writes apply the difference between a return's new and old contribution, so rollups are
 * always the sum of the stored returns' own contributions (which `reconcile` can recompute).
 *
 * Stocks over several months need each unit's latest value in the period. A return records the
 * stock values of the unit's previous return (`prev`, `prevStocks`); rollups keep those as
 * "superseded" counters keyed by the previous month, and a period [from, to] subtracts the
 * superseded values whose previous month lies inside it:
 *   LAST(from, to) = Σ_{m∈[from,to]} R(m) − Σ_{m∈[from,to]} Σ_{p ≥ from} X(m, p).
 * The same formula on the counts gives the number of distinct units that reported in the period.
 *
 * Units on time in every month of a period need each unit's run of on-time months. An on-time
 * return records where its unbroken run of consecutive on-time returns starts (`onTimeSince`,
 * clamped to the last ON_TIME_WINDOW months); rollups count those starts per month, so
 *   ON_TIME(from, to) = Σ_{s ≤ from} T(to, s)
 * for any span of at most ON_TIME_WINDOW months, read from the rollup of `to` alone.
 */
import {
  type DerivedValues,
  derive,
  FLOW_KEYS,
  figuresToArray,
  INDICATOR_KEYS,
  type IndicatorKey,
  roundTo,
  STOCK_KEYS,
  type Values,
  zeroValues,
} from "../domain/catalogue.ts";
import { addMonths, type Month, monthIndex } from "../domain/periods.ts";

/** Flat counter name → amount: the shape rollup items store and deltas add. */
export type Counters = Record<string, number>;
export type StockValues = Partial<Record<IndicatorKey, number>>;

/** Counters are rounded to this many decimals so sums of 元 and 小时 stay exact. */
const COUNTER_DECIMALS = 2;
const REPORTED = "n_reported";
const ON_TIME = "n_on_time";
const VALUE_PREFIX = "v_";
const SUPERSEDED_PREFIX = "x_";
const RUN_PREFIX = "t_";
const COUNT_SUFFIX = "_n";

/**
 * The longest period whose on-time units the rollups can count (the API's periods are at most
 * 12 months: a year to date, LAST_12_MONTHS). Runs are clamped to it so a backfill mends at most
 * ON_TIME_WINDOW − 1 later returns.
 */
export const ON_TIME_WINDOW = 12;

/** Where an on-time run that reaches `month` starts, as stored: never more than the window back. */
export function clampRunStart(month: Month, start: Month): Month {
  const earliest = addMonths(month, -(ON_TIME_WINDOW - 1));
  return monthIndex(start) < monthIndex(earliest) ? earliest : start;
}

/** What one stored return contributes to rollups. */
export interface RollupSource {
  /** The scopes (ancestors) the return rolls up into, as recorded when it was written. */
  readonly scopes: readonly string[];
  readonly period: Month;
  readonly values: Values;
  readonly onTime: boolean;
  /** The unit's previous return month and its stock values, or null for its first return. */
  readonly prev: Month | null;
  readonly prevStocks: StockValues | null;
  /**
   * For an on-time return: the first month of the unit's unbroken run of consecutive on-time
   * returns ending here (clamped by clampRunStart); null for a late return. Absent on sources
   * that do not track runs (benchmarks of the ingest path).
   */
  readonly onTimeSince?: Month | null;
}

/** Whether an attribute of a rollup item is one of its counters (and not a key or a label). */
export function isCounterName(name: string): boolean {
  return (
    name === REPORTED ||
    name === ON_TIME ||
    name.startsWith(VALUE_PREFIX) ||
    name.startsWith(SUPERSEDED_PREFIX) ||
    name.startsWith(RUN_PREFIX)
  );
}

/** The counter that says a scope-month has data (latestMonth reads only this one). */
export const REPORTED_COUNTER = REPORTED;

export function valueCounter(key: IndicatorKey): string {
  return VALUE_PREFIX + key;
}

export function supersededCounter(prev: Month, key: IndicatorKey | "count"): string {
  return `${SUPERSEDED_PREFIX}${prev}${key === "count" ? COUNT_SUFFIX : `_${key}`}`;
}

/** T(m, start): on-time returns of month m whose run starts at `start`. */
export function runCounter(start: Month): string {
  return RUN_PREFIX + start;
}

/** The counters one return adds to each of its scopes' rollup for its month. */
export function contribution(src: RollupSource): Counters {
  const c: Counters = { [REPORTED]: 1 };
  if (src.onTime) c[ON_TIME] = 1;
  if (src.onTime && src.onTimeSince) c[runCounter(src.onTimeSince)] = 1;
  for (const key of INDICATOR_KEYS) {
    const v = src.values[key];
    if (v !== 0) c[VALUE_PREFIX + key] = v;
  }
  if (src.prev !== null) {
    c[supersededCounter(src.prev, "count")] = 1;
    for (const key of STOCK_KEYS) {
      const v = src.prevStocks?.[key] ?? 0;
      if (v !== 0) c[supersededCounter(src.prev, key)] = v;
    }
  }
  return c;
}

export function addCounters(into: Counters, add: Counters, sign: 1 | -1 = 1): void {
  for (const [name, amount] of Object.entries(add)) {
    into[name] = roundTo((into[name] ?? 0) + sign * amount, COUNTER_DECIMALS);
  }
}

/** Drops zero counters (a correction that changes nothing adds nothing). */
export function nonZero(counters: Counters): Counters {
  const out: Counters = {};
  for (const [name, amount] of Object.entries(counters)) if (amount !== 0) out[name] = amount;
  return out;
}

export interface RollupKey {
  readonly scope: string;
  readonly month: Month;
}

const K = INDICATOR_KEYS.length;

const SLOT_REPORTED = K;
const SLOT_ON_TIME = K + 1;

/** One (scope, month) being summed: fixed slots for values and counts, a map for superseded stocks. */
interface DeltaEntry {
  readonly key: RollupKey;
  readonly slots: Float64Array;
  /** prev month → [count, ...stock values in STOCK_KEYS order] */
  readonly superseded: Map<Month, Float64Array>;
  /** on-time run start → count */
  readonly runs: Map<Month, number>;
}

/**
 * Pre-sums the deltas of many returns per (scope, month): a batch file's writes then grow with
 * units, not rows × indicators × scopes. Sums run in fixed-layout arrays (the hot path of a
 * million-row file) and are rounded once, when counters are read out.
 */
export class DeltaAccumulator {
  readonly #byScope = new Map<string, Map<Month, DeltaEntry>>();
  readonly #row = new Float64Array(K);
  #size = 0;

  /** Adds a return's contribution (sign 1) or takes back an old one (sign −1). */
  add(src: RollupSource, sign: 1 | -1 = 1): void {
    // Read the figures once per return, not once per scope: keyed reads are the cost here.
    const row = this.#row;
    const values = src.values;
    figuresToArray(values, row, sign);
    const onTime = src.onTime ? sign : 0;
    for (const scope of src.scopes) {
      let months = this.#byScope.get(scope);
      if (!months) {
        months = new Map();
        this.#byScope.set(scope, months);
      }
      let entry = months.get(src.period);
      if (!entry) {
        entry = {
          key: { scope, month: src.period },
          slots: new Float64Array(K + 2),
          superseded: new Map(),
          runs: new Map(),
        };
        months.set(src.period, entry);
        this.#size++;
      }
      const slots = entry.slots;
      for (let i = 0; i < K; i++) slots[i] = (slots[i] as number) + (row[i] as number);
      slots[SLOT_REPORTED] = (slots[SLOT_REPORTED] as number) + sign;
      slots[SLOT_ON_TIME] = (slots[SLOT_ON_TIME] as number) + onTime;
      if (onTime !== 0 && src.onTimeSince) {
        entry.runs.set(src.onTimeSince, (entry.runs.get(src.onTimeSince) ?? 0) + onTime);
      }
      if (src.prev !== null) {
        let x = entry.superseded.get(src.prev);
        if (!x) {
          x = new Float64Array(1 + STOCK_KEYS.length);
          entry.superseded.set(src.prev, x);
        }
        x[0] = (x[0] as number) + sign;
        for (let j = 0; j < STOCK_KEYS.length; j++) {
          x[j + 1] = (x[j + 1] as number) + sign * (src.prevStocks?.[STOCK_KEYS[j] as IndicatorKey] ?? 0);
        }
      }
    }
  }

  /** The pre-summed deltas as counters, zero counters and empty deltas removed. */
  entries(): { key: RollupKey; counters: Counters }[] {
    const out: { key: RollupKey; counters: Counters }[] = [];
    for (const months of this.#byScope.values()) {
      for (const entry of months.values()) {
        const c: Counters = {};
        const put = (name: string, amount: number): void => {
          const rounded = roundTo(amount, COUNTER_DECIMALS);
          if (rounded !== 0) c[name] = rounded;
        };
        INDICATOR_KEYS.forEach((key, i) => {
          put(VALUE_PREFIX + key, entry.slots[i] as number);
        });
        put(REPORTED, entry.slots[SLOT_REPORTED] as number);
        put(ON_TIME, entry.slots[SLOT_ON_TIME] as number);
        for (const [prev, x] of entry.superseded) {
          put(supersededCounter(prev, "count"), x[0] as number);
          STOCK_KEYS.forEach((key, j) => {
            put(supersededCounter(prev, key), x[j + 1] as number);
          });
        }
        for (const [start, count] of entry.runs) put(runCounter(start), count);
        if (Object.keys(c).length) out.push({ key: entry.key, counters: c });
      }
    }
    return out;
  }

  /** Distinct (scope, month) pairs seen. */
  get size(): number {
    return this.#size;
  }
}

/** One scope's month, read back from (possibly several shards of) its rollup counters. */
export interface MonthRollup {
  readonly month: Month;
  readonly values: Values;
  readonly reported: number;
  readonly onTime: number;
  /** X(m, p): for each previous month p, the units whose return this month superseded one in p. */
  readonly superseded: ReadonlyMap<Month, { readonly count: number; readonly stocks: StockValues }>;
  /** T(m, s): on-time returns of this month whose unbroken on-time run starts in month s. */
  readonly runs: ReadonlyMap<Month, number>;
}

export function readRollup(month: Month, counters: Counters): MonthRollup {
  const values = zeroValues();
  const superseded = new Map<Month, { count: number; stocks: StockValues }>();
  const runs = new Map<Month, number>();
  for (const [name, amount] of Object.entries(counters)) {
    if (name.startsWith(RUN_PREFIX)) {
      if (amount !== 0) runs.set(name.slice(RUN_PREFIX.length), amount);
      continue;
    }
    if (name.startsWith(VALUE_PREFIX)) {
      const key = name.slice(VALUE_PREFIX.length);
      if (key in values) values[key as IndicatorKey] = amount;
    } else if (name.startsWith(SUPERSEDED_PREFIX)) {
      const prev = name.slice(SUPERSEDED_PREFIX.length, SUPERSEDED_PREFIX.length + 7);
      const rest = name.slice(SUPERSEDED_PREFIX.length + 8);
      const entry = superseded.get(prev) ?? { count: 0, stocks: {} };
      if (`_${rest}` === COUNT_SUFFIX) entry.count = amount;
      else entry.stocks[rest as IndicatorKey] = amount;
      superseded.set(prev, entry);
    }
  }
  return {
    month,
    values,
    reported: counters[REPORTED] ?? 0,
    onTime: counters[ON_TIME] ?? 0,
    superseded,
    runs,
  };
}

/** A scope's figures over a span of months. */
export interface PeriodFigures {
  readonly from: Month;
  readonly to: Month;
  /** Flows summed over months; stocks as each unit's latest value in the span, summed. */
  readonly values: Values;
  readonly derived: DerivedValues;
  /** Distinct units with at least one return in the span. */
  readonly reportedUnits: number;
  /**
   * Distinct units with an on-time return in every month of the span; null for spans longer than
   * ON_TIME_WINDOW months (the runs are not kept that far back).
   */
  readonly onTimeUnits: number | null;
  /** Returns in the span (unit-months) and how many of them arrived by the deadline. */
  readonly returns: number;
  readonly onTimeReturns: number;
  /** Months in the span that have any data. */
  readonly monthsWithData: readonly Month[];
}

/** Combines monthly rollups (any order; months outside [from, to] are ignored). */
export function aggregateMonths(rollups: readonly MonthRollup[], from: Month, to: Month): PeriodFigures {
  const lo = monthIndex(from);
  const hi = monthIndex(to);
  const inSpan = rollups.filter((r) => monthIndex(r.month) >= lo && monthIndex(r.month) <= hi);
  const values = zeroValues();
  let reportedUnits = 0;
  let returns = 0;
  let onTimeReturns = 0;
  for (const r of inSpan) {
    for (const key of INDICATOR_KEYS) values[key] += r.values[key];
    reportedUnits += r.reported;
    returns += r.reported;
    onTimeReturns += r.onTime;
    for (const [prev, x] of r.superseded) {
      if (monthIndex(prev) < lo) continue;
      reportedUnits -= x.count;
      for (const key of STOCK_KEYS) values[key] -= x.stocks[key] ?? 0;
    }
  }
  for (const key of INDICATOR_KEYS) values[key] = roundTo(values[key], COUNTER_DECIMALS);
  let onTimeUnits: number | null = null;
  if (hi - lo < ON_TIME_WINDOW) {
    onTimeUnits = 0;
    const last = inSpan.find((r) => r.month === to);
    for (const [start, count] of last?.runs ?? []) if (monthIndex(start) <= lo) onTimeUnits += count;
  }
  return {
    from,
    to,
    values,
    derived: derive(values),
    reportedUnits,
    onTimeUnits,
    returns,
    onTimeReturns,
    monthsWithData: inSpan
      .filter((r) => r.reported > 0)
      .map((r) => r.month)
      .sort(),
  };
}

/** Figures for a single unit straight from its returns (a leaf has no rollup items). */
export function unitFigures(
  returns: readonly { period: Month; values: Values; onTime: boolean }[],
  from: Month,
  to: Month,
): PeriodFigures {
  const lo = monthIndex(from);
  const hi = monthIndex(to);
  const inSpan = returns
    .filter((r) => monthIndex(r.period) >= lo && monthIndex(r.period) <= hi)
    .sort((a, b) => monthIndex(a.period) - monthIndex(b.period));
  const values = zeroValues();
  for (const r of inSpan) for (const key of FLOW_KEYS) values[key] = roundTo(values[key] + r.values[key], 2);
  const last = inSpan[inSpan.length - 1];
  if (last) for (const key of STOCK_KEYS) values[key] = last.values[key];
  return {
    from,
    to,
    values,
    derived: derive(values),
    reportedUnits: inSpan.length ? 1 : 0,
    onTimeUnits: inSpan.length === hi - lo + 1 && inSpan.every((r) => r.onTime) ? 1 : 0,
    returns: inSpan.length,
    onTimeReturns: inSpan.filter((r) => r.onTime).length,
    monthsWithData: inSpan.map((r) => r.period),
  };
}
