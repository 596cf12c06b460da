/**
 * Applying planned returns to the store: write conditionally, and on a conflict re-read just the
 * units involved and plan again; then mend the chains a concurrent upload for another month of
 * the same unit may have broken. Every step is safe to repeat.
 */

import { WriteConflict } from "../errors.ts";
import { type LockKey, MAX_TRANSACTION_ITEMS, type ReturnStore } from "../ports.ts";
import { hashString, mapLimit } from "../support/concurrency.ts";
import {
  deltasOf,
  type IncomingReturn,
  mergeView,
  packTransactions,
  planRepairs,
  planUnit,
  type ReturnWrite,
  type StoredReturn,
  type UnitPlan,
} from "./plan.ts";

export interface ApplyOptions {
  readonly deadlineDay: number;
  readonly shards: number;
  /** Spreads this upload's rollup writes over the shards (stable per upload and chunk). */
  readonly uploadId: string;
  /** Called after each transaction (the pipeline counts its writes). */
  readonly onWrite?: () => void;
  /**
   * With 逐级审核 on: the 片区 whose month locks a unit's returns. Every transaction then checks
   * that those 片区-months are still unlocked when it commits.
   */
  readonly lockScopeOf?: ((unit: string) => string | undefined) | undefined;
}

/** The 片区-months a set of writes must find unlocked (one check each, whatever the rows). */
function guardsOf(writes: readonly ReturnWrite[], lockScopeOf: ApplyOptions["lockScopeOf"]): LockKey[] {
  if (!lockScopeOf) return [];
  const out = new Map<string, LockKey>();
  for (const w of writes) {
    const scope = lockScopeOf(w.after.unit);
    if (scope) out.set(`${scope}|${w.after.period}`, { scope, month: w.after.period });
  }
  return [...out.values()];
}

const MAX_ATTEMPTS = 12;
const READ_CONCURRENCY = 16;
const REPAIR_ROUNDS = 5;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Reads each unit's stored returns into `stored`. */
export async function readUnits(
  store: Pick<ReturnStore, "unitReturns">,
  units: readonly string[],
  stored: Map<string, StoredReturn[]>,
): Promise<void> {
  await mapLimit(units, READ_CONCURRENCY, async (u) => {
    stored.set(u, await store.unitReturns(u));
  });
}

/** Applies a set of units' returns and tells how each incoming return ended (inserted, stale …). */
export async function applyReturns(
  incoming: ReadonlyMap<string, IncomingReturn[]>,
  stored: Map<string, StoredReturn[]>,
  store: Pick<ReturnStore, "unitReturns" | "applyTransaction">,
  options: ApplyOptions,
): Promise<Record<string, number>> {
  const tally: Record<string, number> = {};
  const count = (outcome: string, n = 1): void => {
    tally[outcome] = (tally[outcome] ?? 0) + n;
  };
  const plans = [...incoming.entries()].map(([unit, rets]) =>
    planUnit(unit, stored.get(unit) ?? [], rets, options.deadlineDay),
  );
  for (const p of plans) if (!p.writes.length) for (const o of p.outcomes) count(o);
  let chunkNo = 0;
  const applyChunk = async (units: readonly string[], repair: boolean): Promise<void> => {
    const shard = hashString(`${options.uploadId}#${chunkNo++}`) % options.shards;
    for (let attempt = 1; ; attempt++) {
      const current: UnitPlan[] = units.map((u) =>
        repair
          ? { unit: u, writes: planRepairs(stored.get(u) ?? []), outcomes: [], rollupKeys: new Set<string>() }
          : planUnit(u, stored.get(u) ?? [], incoming.get(u) ?? [], options.deadlineDay),
      );
      const all = current.flatMap((p) => p.writes);
      const deltas = deltasOf(all);
      const guards = guardsOf(all, options.lockScopeOf);
      if (all.length + deltas.length + guards.length > MAX_TRANSACTION_ITEMS && units.length > 1) {
        const half = Math.ceil(units.length / 2);
        await applyChunk(units.slice(0, half), repair);
        await applyChunk(units.slice(half), repair);
        return;
      }
      try {
        if (all.length) {
          await store.applyTransaction(
            all,
            deltas.map((d) => ({ ...d, shard })),
            guards,
          );
          options.onWrite?.();
        }
        for (const p of current) {
          for (const o of p.outcomes) count(o);
          if (repair) count("repaired", p.writes.length);
          stored.set(p.unit, mergeView(stored.get(p.unit) ?? [], p.writes));
        }
        return;
      } catch (err) {
        if (!(err instanceof WriteConflict) || attempt >= MAX_ATTEMPTS) throw err;
        // Someone else wrote these units meanwhile: read them again and re-plan.
        await sleep(Math.min(2000, 20 * 2 ** attempt) * (0.5 + Math.random()));
        await readUnits(store, units, stored);
      }
    }
  };
  const checksOf = (plan: UnitPlan) =>
    guardsOf(plan.writes, options.lockScopeOf).map((g) => `lock|${g.scope}|${g.month}`);
  for (const chunk of packTransactions(plans, checksOf)) {
    await applyChunk(
      chunk.map((p) => p.unit),
      false,
    );
  }
  // Mend chains broken by a concurrent upload for another month of the same unit: read each
  // unit back and fix any return whose link to its predecessor is stale.
  const touched = [...incoming.keys()];
  for (let round = 0; round < REPAIR_ROUNDS; round++) {
    await readUnits(store, touched, stored);
    const broken = touched.filter((u) => planRepairs(stored.get(u) ?? []).length > 0);
    if (!broken.length) break;
    for (const u of broken) await applyChunk([u], true);
  }
  return tally;
}
