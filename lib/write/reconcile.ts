/**
 * Recomputes rollups from the stored returns alone and compares them with the rollup items:
 * any difference is drift (a bug, a manual edit, data written by an older version). The
 * returns' own chain fields — the link to the previous return (prev, prevStocks) and the start
 * of the on-time run (onTimeSince) that the reporting counters are built from — are recomputed
 * from each unit's months too, and return items whose index keys predate the current layout are
 * found. With `fix`: stale chains are mended through the ordinary conditional transactions (their
 * rollup deltas with them), index keys rewritten, then drifting rollups replaced by the exact figures.
 */

import { STOCK_KEYS } from "../domain/catalogue.ts";
import type { Month } from "../domain/periods.ts";
import { MAX_TRANSACTION_ITEMS, type Stores } from "../ports.ts";
import { mapLimit } from "../support/concurrency.ts";
import { type Counters, DeltaAccumulator, nonZero } from "./aggregate.ts";
import { deltasOf, mergeView, planRepairs, type ReturnWrite, type StoredReturn } from "./plan.ts";

export interface Drift {
  readonly scope: string;
  readonly month: Month;
  /** counter → [stored, expected] */
  readonly counters: Readonly<Record<string, readonly [number, number]>>;
}

/** A stored return whose chain fields disagree with the unit's months. */
export interface ChainDrift {
  readonly unit: string;
  readonly period: Month;
  /** The fields that are stale: prev, prevStocks, onTimeSince. */
  readonly fields: readonly string[];
}

export interface ReconcileResult {
  readonly returns: number;
  readonly rollupsChecked: number;
  readonly drift: readonly Drift[];
  readonly chains: readonly ChainDrift[];
  /** Return items whose index key is not the current layout's (full runs only). */
  readonly misindexed: number;
  /** Rollups replaced, chain links mended and index keys rewritten (with fix). */
  readonly fixed: number;
}

function diff(stored: Counters, expected: Counters): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  const s = nonZero(stored);
  for (const name of new Set([...Object.keys(s), ...Object.keys(expected)])) {
    const a = s[name] ?? 0;
    const b = expected[name] ?? 0;
    if (Math.abs(a - b) > 1e-9) out[name] = [a, b];
  }
  return out;
}

function staleFields(w: ReturnWrite): string[] {
  const before = w.before as StoredReturn;
  const fields: string[] = [];
  if (before.prev !== w.after.prev) fields.push("prev");
  const a = before.prevStocks;
  const b = w.after.prevStocks;
  if ((a === null) !== (b === null) || STOCK_KEYS.some((k) => (a?.[k] ?? 0) !== (b?.[k] ?? 0))) {
    fields.push("prevStocks");
  }
  if (before.onTimeSince !== w.after.onTimeSince) fields.push("onTimeSince");
  return fields;
}

/** Mends chains in transactions of at most MAX_TRANSACTION_ITEMS items, each write with its own deltas. */
async function mend(stores: Pick<Stores, "returns">, writes: readonly ReturnWrite[]): Promise<void> {
  let chunk: ReturnWrite[] = [];
  const flush = async (): Promise<void> => {
    if (!chunk.length) return;
    const deltas = deltasOf(chunk);
    await stores.returns.applyTransaction(
      chunk,
      deltas.map((d) => ({ ...d, shard: 0 })),
    );
    chunk = [];
  };
  for (const w of writes) {
    const next = [...chunk, w];
    if (chunk.length && next.length + deltasOf(next).length > MAX_TRANSACTION_ITEMS) await flush();
    chunk.push(w);
  }
  await flush();
}

export async function reconcile(
  stores: Pick<Stores, "returns" | "rollups">,
  options: { month?: Month | undefined; fix?: boolean; shards: number },
): Promise<ReconcileResult> {
  const fix = options.fix ?? false;
  const month = options.month;
  let fixed = 0;
  const misindexed = month ? 0 : await stores.returns.reindex(fix);
  if (fix) fixed += misindexed;
  const storedScopes = await stores.rollups.rollupScopes();

  // Each unit's history: every return (full run), or the histories of the month's units.
  let histories: Map<string, StoredReturn[]>;
  if (month) {
    // Every return of the month lies under a parent that has rollups (its first recorded scope).
    const parts = await mapLimit(storedScopes, 8, (scope) => stores.returns.childReturns(scope, month));
    const units = [...new Set(parts.flat().map((r) => r.unit))];
    const lists = await mapLimit(units, 16, (u) => stores.returns.unitReturns(u));
    histories = new Map(units.map((u, i) => [u, lists[i] as StoredReturn[]]));
  } else {
    histories = new Map();
    for (const r of await stores.returns.allReturns()) {
      const list = histories.get(r.unit);
      if (list) list.push(r);
      else histories.set(r.unit, [r]);
    }
  }

  const chains: ChainDrift[] = [];
  const repairs: ReturnWrite[] = [];
  for (const [unit, history] of histories) {
    const writes = planRepairs(history);
    for (const w of writes) chains.push({ unit, period: w.after.period, fields: staleFields(w) });
    repairs.push(...writes);
    // What the returns should say: the expected rollups are counted from the mended chain.
    histories.set(unit, mergeView(history, writes));
  }
  if (fix && repairs.length) {
    await mend(stores, repairs);
    fixed += repairs.length;
  }

  const counted = [...histories.values()].flat().filter((r) => !month || r.period === month);
  const acc = new DeltaAccumulator();
  for (const r of counted) acc.add(r);
  const expected = new Map<string, { scope: string; month: Month; counters: Counters }>();
  for (const e of acc.entries()) {
    expected.set(`${e.key.scope}|${e.key.month}`, {
      scope: e.key.scope,
      month: e.key.month,
      counters: e.counters,
    });
  }
  // Also look at every stored rollup, so one whose returns all vanished shows up as drift.
  const scopes = new Set([...storedScopes, ...[...expected.values()].map((e) => e.scope)]);
  const drift: Drift[] = [];
  let checked = 0;
  for (const scope of scopes) {
    const stored = await stores.rollups.rollupCounters(scope, month ?? "2000-01", month ?? "2099-12");
    const months = new Set<Month>([
      ...stored.keys(),
      ...[...expected.values()].filter((e) => e.scope === scope).map((e) => e.month),
    ]);
    for (const m of months) {
      checked++;
      const want = expected.get(`${scope}|${m}`)?.counters ?? {};
      const d = diff(stored.get(m) ?? {}, want);
      if (Object.keys(d).length) drift.push({ scope, month: m, counters: d });
    }
  }
  if (fix) {
    for (const d of drift) {
      await stores.rollups.overwriteRollup(
        d.scope,
        d.month,
        expected.get(`${d.scope}|${d.month}`)?.counters ?? {},
        options.shards,
      );
      fixed++;
    }
  }
  return { returns: counted.length, rollupsChecked: checked, drift, chains, misindexed, fixed };
}
