/**
 * Planning the writes for an accepted return against what is stored, so that S3's at-least-once,
 * unordered events converge: a duplicate changes nothing, an older upload never overwrites a newer
 * one, and every write is conditional on the stored item's revision (`rev`).
 */

import { type IndicatorKey, STOCK_KEYS, type Values } from "../domain/catalogue.ts";
import { addMonths, isOnTime, type Month, monthIndex } from "../domain/periods.ts";
import type { TextKey } from "../ingest/header.ts";
import type { ValidationIssue } from "../ingest/issues.ts";
import { MAX_TRANSACTION_ITEMS } from "../ports.ts";
import type { Counters, RollupSource, StockValues } from "./aggregate.ts";
import { clampRunStart, DeltaAccumulator } from "./aggregate.ts";

/** A RETURN item: the accepted figures of one unit for one month. */
export interface StoredReturn extends RollupSource {
  readonly unit: string;
  readonly blanks: readonly IndicatorKey[];
  readonly text: Readonly<Record<TextKey, string>>;
  /** Warnings accepted with a 说明, kept on record. */
  readonly warnings: readonly ValidationIssue[];
  readonly uploadId: string;
  /** Orders uploads: `${submittedAt}#${uploadId}`; the greatest version wins. */
  readonly version: string;
  readonly submittedAt: string;
  /** The earliest accepted submission for this unit and month (decides 及时). */
  readonly firstSubmittedAt: string;
  /** Incremented on every write; each write is conditional on the revision it read. */
  readonly rev: number;
  /** Start of the unit's run of consecutive on-time months ending here (null when late); kept by mendChain. */
  readonly onTimeSince: Month | null;
}

/** An accepted row of an upload, ready to be stored. */
export interface IncomingReturn {
  readonly unit: string;
  readonly period: Month;
  readonly scopes: readonly string[];
  readonly values: Values;
  readonly blanks: readonly IndicatorKey[];
  readonly text: Readonly<Record<TextKey, string>>;
  readonly warnings: readonly ValidationIssue[];
  readonly uploadId: string;
  readonly submittedAt: string;
}

export function versionOf(submittedAt: string, uploadId: string): string {
  return `${submittedAt}#${uploadId}`;
}

/** The two halves of a version (what a review record names), or undefined for other text. */
export function versionParts(version: string): { submittedAt: string; uploadId: string } | undefined {
  const at = version.indexOf("#");
  if (at <= 0 || at === version.length - 1) return undefined;
  return { submittedAt: version.slice(0, at), uploadId: version.slice(at + 1) };
}

/** One conditional item write: `before` is what was read (null = must not exist yet). */
export interface ReturnWrite {
  readonly before: StoredReturn | null;
  readonly after: StoredReturn;
}

export type PlanOutcome = "inserted" | "replaced" | "duplicate" | "stale" | "stale_earlier";

export interface Plan {
  readonly outcome: PlanOutcome;
  readonly writes: readonly ReturnWrite[];
}

function stocksOf(values: Values): StockValues {
  const out: StockValues = {};
  for (const key of STOCK_KEYS) out[key] = values[key];
  return out;
}

function sameStocks(a: StockValues | null, b: StockValues | null): boolean {
  if (a === null || b === null) return a === b;
  return STOCK_KEYS.every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}

/** The run start an item should record, given its (already mended) predecessor. */
function runStart(item: StoredReturn, previous: StoredReturn | null): Month | null {
  if (!item.onTime) return null;
  const continues =
    previous !== null && previous.onTimeSince !== null && previous.period === addMonths(item.period, -1);
  return clampRunStart(item.period, continues ? (previous.onTimeSince as Month) : item.period);
}

/**
 * Recomputes every item's link to its predecessor (prev, prevStocks) and its on-time run start
 * (onTimeSince) from the chain of months and returns the writes that mend the ones that are wrong. `pending` items are already being written;
 * their fields are corrected in place instead of getting a second write.
 */
function mendChain(items: StoredReturn[], pending: Map<Month, ReturnWrite>): ReturnWrite[] {
  const sorted = [...items].sort((a, b) => monthIndex(a.period) - monthIndex(b.period));
  const repairs: ReturnWrite[] = [];
  let previous: StoredReturn | null = null;
  for (let i = 0; i < sorted.length; i++) {
    let item = sorted[i] as StoredReturn;
    const prev = previous ? previous.period : null;
    const prevStocks = previous ? stocksOf(previous.values) : null;
    const onTimeSince = runStart(item, previous);
    if (item.prev !== prev || !sameStocks(item.prevStocks, prevStocks) || item.onTimeSince !== onTimeSince) {
      const write = pending.get(item.period);
      if (write) {
        item = { ...write.after, prev, prevStocks, onTimeSince };
        pending.set(item.period, { before: write.before, after: item });
      } else {
        const fixed: StoredReturn = { ...item, prev, prevStocks, onTimeSince, rev: item.rev + 1 };
        repairs.push({ before: item, after: fixed });
        item = fixed;
      }
    }
    sorted[i] = item;
    previous = item;
  }
  return repairs;
}

/** Writes that mend a unit's chain (after a race between two uploads of the same unit). */
export function planRepairs(stored: readonly StoredReturn[]): ReturnWrite[] {
  return mendChain([...stored], new Map());
}

/**
 * Decides what an incoming return does to the unit's stored returns (all of them, any order)
 * and plans the conditional writes, including mending the successor's link when the incoming
 * month lands before an existing one.
 */
export function planIncoming(
  stored: readonly StoredReturn[],
  incoming: IncomingReturn,
  deadlineDay: number,
): Plan {
  const existing = stored.find((s) => s.period === incoming.period) ?? null;
  const version = versionOf(incoming.submittedAt, incoming.uploadId);
  let after: StoredReturn;
  let outcome: PlanOutcome;
  if (existing && existing.version === version) return { outcome: "duplicate", writes: [] };
  if (existing && existing.version > version) {
    // An older upload arriving late loses, but it may still prove an earlier first submission.
    if (incoming.submittedAt >= existing.firstSubmittedAt) return { outcome: "stale", writes: [] };
    outcome = "stale_earlier";
    after = {
      ...existing,
      firstSubmittedAt: incoming.submittedAt,
      onTime: isOnTime(existing.period, new Date(incoming.submittedAt), deadlineDay),
      rev: existing.rev + 1,
    };
  } else {
    outcome = existing ? "replaced" : "inserted";
    const firstSubmittedAt =
      existing && existing.firstSubmittedAt < incoming.submittedAt
        ? existing.firstSubmittedAt
        : incoming.submittedAt;
    after = {
      unit: incoming.unit,
      period: incoming.period,
      scopes: incoming.scopes,
      values: incoming.values,
      blanks: incoming.blanks,
      text: incoming.text,
      warnings: incoming.warnings,
      uploadId: incoming.uploadId,
      version,
      submittedAt: incoming.submittedAt,
      firstSubmittedAt,
      onTime: isOnTime(incoming.period, new Date(firstSubmittedAt), deadlineDay),
      prev: existing?.prev ?? null,
      prevStocks: existing?.prevStocks ?? null,
      onTimeSince: existing?.onTimeSince ?? null,
      rev: (existing?.rev ?? 0) + 1,
    };
  }
  const pending = new Map<Month, ReturnWrite>([[after.period, { before: existing, after }]]);
  const others = stored.filter((s) => s.period !== incoming.period);
  const repairs = mendChain([...others, after], pending);
  return { outcome, writes: [pending.get(after.period) as ReturnWrite, ...repairs] };
}

/** The rollup deltas of a set of writes, pre-summed per (scope, month). */
export function deltasOf(
  writes: readonly ReturnWrite[],
): { scope: string; month: Month; counters: Counters }[] {
  const acc = new DeltaAccumulator();
  for (const w of writes) {
    if (w.before) acc.add(w.before, -1);
    acc.add(w.after, 1);
  }
  return acc.entries().map((e) => ({ scope: e.key.scope, month: e.key.month, counters: e.counters }));
}

/**
 * Folds several writes to the same item into one (a transaction may touch an item only once);
 * the delta of before → after is the same as the sum of the steps.
 */
export function mergeWrites(writes: readonly ReturnWrite[]): ReturnWrite[] {
  const byItem = new Map<string, ReturnWrite>();
  for (const w of writes) {
    const id = `${w.after.unit}\u0000${w.after.period}`;
    const earlier = byItem.get(id);
    byItem.set(id, earlier ? { before: earlier.before, after: w.after } : w);
  }
  return [...byItem.values()];
}

/** One unit's incoming returns planned against its stored ones. */
export interface UnitPlan {
  readonly unit: string;
  readonly writes: ReturnWrite[];
  readonly outcomes: PlanOutcome[];
  /** Rollup items the writes touch (scope|month), for sizing transactions. */
  readonly rollupKeys: ReadonlySet<string>;
}

/** Plans a unit's incoming returns in order, each against the state the previous ones leave. */
export function planUnit(
  unit: string,
  stored: readonly StoredReturn[],
  incoming: readonly IncomingReturn[],
  deadlineDay: number,
): UnitPlan {
  let view = [...stored];
  const writes: ReturnWrite[] = [];
  const outcomes: PlanOutcome[] = [];
  for (const ret of incoming) {
    const plan = planIncoming(view, ret, deadlineDay);
    outcomes.push(plan.outcome);
    for (const w of plan.writes) {
      writes.push(w);
      view = [...view.filter((s) => s.period !== w.after.period), w.after];
    }
  }
  const merged = mergeWrites(writes);
  const rollupKeys = new Set(deltasOf(merged).map((d) => `${d.scope}|${d.month}`));
  return { unit, writes: merged, outcomes, rollupKeys };
}

/** Packs unit plans into transactions of at most MAX_TRANSACTION_ITEMS items (return writes + rollup updates). */
export function packTransactions(
  plans: readonly UnitPlan[],
  /** Other items a plan needs once per transaction however many plans share them (lock checks). */
  checksOf: (plan: UnitPlan) => Iterable<string> = () => [],
): UnitPlan[][] {
  const chunks: UnitPlan[][] = [];
  let current: UnitPlan[] = [];
  let writes = 0;
  let keys = new Set<string>();
  for (const plan of plans) {
    if (!plan.writes.length) continue;
    const own = [...plan.rollupKeys, ...checksOf(plan)];
    const merged = new Set([...keys, ...own]);
    if (current.length && writes + plan.writes.length + merged.size > MAX_TRANSACTION_ITEMS) {
      chunks.push(current);
      current = [];
      writes = 0;
      keys = new Set(own);
    } else {
      keys = merged;
    }
    current.push(plan);
    writes += plan.writes.length;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/** The stored view after some writes: each written item replaces the one of its month. */
export function mergeView(view: readonly StoredReturn[], writes: readonly ReturnWrite[]): StoredReturn[] {
  const byPeriod = new Map<Month, StoredReturn>(view.map((s) => [s.period, s]));
  for (const w of writes) byPeriod.set(w.after.period, w.after);
  return [...byPeriod.values()];
}
