/**
 * A short per-container read cache for the API. Rollups change only when an upload is aggregated,
 * and a monthly report tolerates figures a few seconds old; a dashboard refreshing the same
 * aggregates should not cost a DynamoDB query each time. Concurrent misses for one key share one
 * read (no stampede when 50 requests arrive together). TTL 0 turns it off (tests).
 */

import type { Month } from "../domain/periods.ts";
import type { CodeSpan, ReporterContact, MonthSpan, ReturnReads, RollupReads } from "../ports.ts";
import type { MonthRollup } from "../write/aggregate.ts";
import type { StoredReturn } from "../write/plan.ts";

export class TtlCache {
  readonly #entries = new Map<string, { value: Promise<unknown>; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 2000,
    private readonly clock: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.enabled) return load();
    const now = this.clock();
    const hit = this.#entries.get(key);
    if (hit && hit.expires > now) return hit.value as Promise<T>;
    const value = load();
    // A failed read is not remembered: the next request tries again.
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
    });
    this.#entries.delete(key);
    this.#entries.set(key, { value, expires: now + this.ttlMs });
    // Maps iterate in insertion order: the first entry is the oldest.
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return value;
  }

  clear(): void {
    this.#entries.clear();
  }
}

/**
 * The reads the read side (lib/read/) makes, through the cache. Callers must not mutate what a
 * cached read returns.
 */
export function cachedReads(
  returns: ReturnReads,
  rollups: RollupReads,
  cache: TtlCache,
): { returns: ReturnReads; rollups: RollupReads } {
  if (!cache.enabled) return { returns, rollups };
  return {
    returns: {
      unitReturns: (unit: string, span?: MonthSpan): Promise<StoredReturn[]> =>
        cache.get(`unit\u0000${unit}\u0000${span?.from ?? ""}\u0000${span?.to ?? ""}`, () =>
          returns.unitReturns(unit, span),
        ),
      childReturns: (parent: string, month: Month, units?: CodeSpan): Promise<StoredReturn[]> =>
        cache.get(
          `children\u0000${parent}\u0000${month}\u0000${units?.first ?? ""}\u0000${units?.last ?? ""}`,
          () => returns.childReturns(parent, month, units),
        ),
      lastContact: (unit: string, before: Month): Promise<ReporterContact | undefined> =>
        cache.get(`contact\u0000${unit}\u0000${before}`, () => returns.lastContact(unit, before)),
    },
    rollups: {
      rollups: (scope: string, from: Month, to: Month): Promise<MonthRollup[]> =>
        cache.get(`rollups\u0000${scope}\u0000${from}\u0000${to}`, () => rollups.rollups(scope, from, to)),
      latestMonth: (scope: string): Promise<Month | undefined> =>
        cache.get(`latest\u0000${scope}`, () => rollups.latestMonth(scope)),
    },
  };
}
