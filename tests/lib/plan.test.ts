import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { INDICATOR_KEYS, STOCK_KEYS, type Values, zeroValues } from "../../lib/domain/catalogue.ts";
import { addMonths, type Month, monthIndex, monthsBetween } from "../../lib/domain/periods.ts";
import { aggregateMonths, DeltaAccumulator } from "../../lib/write/aggregate.ts";
import { type IncomingReturn, planRepairs, type StoredReturn } from "../../lib/write/plan.ts";
import { incomingReturn, Ledger } from "../support/ledger.ts";

const SCOPES = ["001001", "001"];
const START: Month = "2026-01";

function values(seed: number): Values {
  const v = zeroValues();
  INDICATOR_KEYS.forEach((k, i) => {
    v[k] = (seed * (i + 3)) % 97;
  });
  v.volunteer_hours = ((seed * 7) % 50) + 0.5;
  v.donations_yuan = ((seed * 13) % 1000) + 0.25;
  return v;
}

function incoming(
  unit: string,
  period: Month,
  seed: number,
  submittedAt: string,
  uploadId: string,
): IncomingReturn {
  return incomingReturn(unit, period, values(seed), submittedAt, uploadId, SCOPES);
}

/** Brute force: each unit's latest value in [from, to] for stocks, sums for flows. */
function expected(items: readonly StoredReturn[], from: Month, to: Month): Values {
  const out = zeroValues();
  const byUnit = new Map<string, StoredReturn[]>();
  for (const i of items) {
    if (monthIndex(i.period) < monthIndex(from) || monthIndex(i.period) > monthIndex(to)) continue;
    byUnit.set(i.unit, [...(byUnit.get(i.unit) ?? []), i]);
  }
  for (const list of byUnit.values()) {
    list.sort((a, b) => monthIndex(a.period) - monthIndex(b.period));
    for (const i of list) {
      for (const k of INDICATOR_KEYS)
        if (!STOCK_KEYS.includes(k)) out[k] = Math.round((out[k] + i.values[k]) * 100) / 100;
    }
    const last = list[list.length - 1] as StoredReturn;
    for (const k of STOCK_KEYS) out[k] += last.values[k];
  }
  return out;
}

describe("planIncoming", () => {
  it("inserts a first return, then ignores the same upload delivered again", () => {
    const ledger = new Ledger();
    const ret = incoming("u1", "2026-03", 1, "2026-04-02T01:00:00.000Z", "up-a");
    expect(ledger.submit(ret)).toBe("inserted");
    const before = JSON.stringify([...ledger.rollups]);
    expect(ledger.submit(ret)).toBe("duplicate");
    expect(JSON.stringify([...ledger.rollups])).toBe(before);
  });

  it("lets a correction replace the return and moves rollups by the difference", () => {
    const ledger = new Ledger();
    ledger.submit(incoming("u1", "2026-03", 1, "2026-04-02T01:00:00.000Z", "up-a"));
    expect(ledger.submit(incoming("u1", "2026-03", 2, "2026-04-03T01:00:00.000Z", "up-b"))).toBe("replaced");
    const [rollup] = ledger.monthRollups("001");
    expect(rollup?.values).toEqual(values(2));
    expect(rollup?.reported).toBe(1);
  });

  it("ignores an older upload that arrives after a newer one", () => {
    const ledger = new Ledger();
    ledger.submit(incoming("u1", "2026-03", 2, "2026-04-03T01:00:00.000Z", "up-b"));
    expect(ledger.submit(incoming("u1", "2026-03", 1, "2026-04-02T01:00:00.000Z", "up-a"))).toBe(
      "stale_earlier",
    );
    const item = ledger.items.get("u1|2026-03");
    expect(item?.values).toEqual(values(2));
    // The older upload still proves the unit first reported on 2 April.
    expect(item?.firstSubmittedAt).toBe("2026-04-02T01:00:00.000Z");
  });

  it("keeps 及时 from the first submission when a correction comes after the deadline", () => {
    const ledger = new Ledger();
    ledger.submit(incoming("u1", "2026-03", 1, "2026-04-02T01:00:00.000Z", "up-a"));
    ledger.submit(incoming("u1", "2026-03", 2, "2026-04-20T01:00:00.000Z", "up-b"));
    expect(ledger.items.get("u1|2026-03")?.onTime).toBe(true);
    expect(ledger.monthRollups("001")[0]?.onTime).toBe(1);
  });

  it("links a return inserted before an existing month and mends the successor in the same plan", () => {
    const ledger = new Ledger();
    ledger.submit(incoming("u1", "2026-05", 5, "2026-06-02T01:00:00.000Z", "up-may"));
    ledger.submit(incoming("u1", "2026-03", 3, "2026-06-03T01:00:00.000Z", "up-mar"));
    expect(ledger.items.get("u1|2026-05")?.prev).toBe("2026-03");
    expect(planRepairs(ledger.unitItems("u1"))).toEqual([]);
  });
});

describe("stocks over several months", () => {
  it("sums each unit's latest value in the period, counting a unit that skipped the last month", () => {
    const ledger = new Ledger();
    ledger.submit(incoming("u1", "2026-01", 1, "2026-02-02T01:00:00.000Z", "a1"));
    ledger.submit(incoming("u1", "2026-02", 2, "2026-03-02T01:00:00.000Z", "a2"));
    ledger.submit(incoming("u2", "2026-01", 3, "2026-02-02T01:00:00.000Z", "b1"));
    const figures = aggregateMonths(ledger.monthRollups("001"), "2026-01", "2026-03");
    expect(figures.values.members_total).toBe(values(2).members_total + values(3).members_total);
    expect(figures.reportedUnits).toBe(2);
    expect(figures.returns).toBe(3);
  });

  it("matches a brute-force computation for any uploads in any order", () => {
    const upload = fc.record({
      unit: fc.constantFrom("u1", "u2", "u3"),
      month: fc.integer({ min: 0, max: 7 }),
      seed: fc.integer({ min: 1, max: 500 }),
      day: fc.integer({ min: 1, max: 60 }),
    });
    fc.assert(
      fc.property(
        fc.array(upload, { minLength: 1, maxLength: 25 }),
        fc.infiniteStream(fc.nat()),
        (uploads, rand) => {
          const rets = uploads.map((u, i) =>
            incoming(
              u.unit,
              addMonths(START, u.month),
              u.seed,
              new Date(Date.UTC(2026, u.month + 1, u.day)).toISOString(),
              `up-${String(i).padStart(3, "0")}`,
            ),
          );
          const inOrder = new Ledger();
          for (const r of [...rets].sort((a, b) => (a.submittedAt < b.submittedAt ? -1 : 1)))
            inOrder.submit(r);
          // Shuffle and deliver some twice.
          const it = rand[Symbol.iterator]();
          const shuffled = [...rets, ...rets.filter((_, i) => i % 3 === 0)]
            .map((r) => ({ r, k: it.next().value as number }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.r);
          const replay = new Ledger();
          for (const r of shuffled) replay.submit(r);
          const items = [...replay.items.values()];
          expect(items.map((i) => [i.unit, i.period, i.values]).sort()).toEqual(
            [...inOrder.items.values()].map((i) => [i.unit, i.period, i.values]).sort(),
          );
          for (const from of monthsBetween(START, addMonths(START, 7))) {
            for (const to of monthsBetween(from, addMonths(START, 7))) {
              const got = aggregateMonths(replay.monthRollups("001"), from, to);
              expect(got.values).toEqual(expected(items, from, to));
              const again = aggregateMonths(inOrder.monthRollups("001"), from, to);
              expect(again.values).toEqual(got.values);
              expect(again.onTimeReturns).toBe(got.onTimeReturns);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("rebuilds the same rollups from the stored returns alone (what reconcile does)", () => {
    const ledger = new Ledger();
    ledger.submit(incoming("u1", "2026-02", 2, "2026-03-02T01:00:00.000Z", "a2"));
    ledger.submit(incoming("u1", "2026-01", 1, "2026-03-03T01:00:00.000Z", "a1"));
    ledger.submit(incoming("u2", "2026-02", 3, "2026-03-02T01:00:00.000Z", "b2"));
    const acc = new DeltaAccumulator();
    for (const item of ledger.items.values()) acc.add(item);
    const rebuilt = new Map(acc.entries().map((e) => [`${e.key.scope}|${e.key.month}`, e.counters]));
    for (const [id, counters] of ledger.rollups) {
      const nonZero = Object.fromEntries(Object.entries(counters).filter(([, v]) => v !== 0));
      expect(rebuilt.get(id) ?? {}).toEqual(nonZero);
    }
  });
});
