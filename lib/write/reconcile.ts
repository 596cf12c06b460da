/**
 * Recomputes rollups from the stored returns alone and compares them with the rollup items:
 * any difference is drift (a bug, a manual edit, a registry change). With `fix`, the exact
 * figures replace the stored ones.
 */

import type { Month } from "../domain/periods.ts";
import type { Stores } from "../ports.ts";
import { type Counters, DeltaAccumulator, nonZero } from "./aggregate.ts";

export interface Drift {
  readonly scope: string;
  readonly month: Month;
  /** counter → [stored, expected] */
  readonly counters: Readonly<Record<string, readonly [number, number]>>;
}

export interface ReconcileResult {
  readonly returns: number;
  readonly rollupsChecked: number;
  readonly drift: readonly Drift[];
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

export async function reconcile(
  stores: Pick<Stores, "returns" | "rollups">,
  options: { month?: Month | undefined; fix?: boolean; shards: number },
): Promise<ReconcileResult> {
  const returns = options.month
    ? await stores.returns.periodReturns(options.month)
    : await stores.returns.allReturns();
  const acc = new DeltaAccumulator();
  for (const r of returns) acc.add(r);
  const expected = new Map<string, { scope: string; month: Month; counters: Counters }>();
  for (const e of acc.entries()) {
    expected.set(`${e.key.scope}|${e.key.month}`, {
      scope: e.key.scope,
      month: e.key.month,
      counters: e.counters,
    });
  }
  // Also look at every stored rollup, so one whose returns all vanished shows up as drift.
  const scopes = new Set([
    ...(await stores.rollups.rollupScopes()),
    ...[...expected.values()].map((e) => e.scope),
  ]);
  const drift: Drift[] = [];
  let checked = 0;
  for (const scope of scopes) {
    const stored = await stores.rollups.rollupCounters(
      scope,
      options.month ?? "2000-01",
      options.month ?? "2099-12",
    );
    const months = new Set<Month>([
      ...stored.keys(),
      ...[...expected.values()].filter((e) => e.scope === scope).map((e) => e.month),
    ]);
    for (const month of months) {
      checked++;
      const want = expected.get(`${scope}|${month}`)?.counters ?? {};
      const d = diff(stored.get(month) ?? {}, want);
      if (Object.keys(d).length) drift.push({ scope, month, counters: d });
    }
  }
  let fixed = 0;
  if (options.fix) {
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
  return { returns: returns.length, rollupsChecked: checked, drift, fixed };
}
