/**
 * The reporting counts kept in rollups (报送 units, on-time units over a period) against a brute-force
 * recount from the uploads themselves, for any uploads delivered in any order, some twice: the
 * first accepted submission decides 按时, a correction or a late duplicate never counts a unit twice.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { INDICATOR_KEYS, type Values, zeroValues } from "../../lib/domain/catalogue.ts";
import { addMonths, isOnTime, type Month, monthsBetween } from "../../lib/domain/periods.ts";
import { aggregateMonths, DeltaAccumulator, ON_TIME_WINDOW } from "../../lib/write/aggregate.ts";
import { type IncomingReturn, planRepairs } from "../../lib/write/plan.ts";
import { incomingReturn, Ledger } from "../support/ledger.ts";

const SCOPES = ["001001", "001"];
const START: Month = "2025-01";
const MONTHS = 20;

function values(seed: number): Values {
  const v = zeroValues();
  INDICATOR_KEYS.forEach((k, i) => {
    v[k] = (seed * (i + 3)) % 97;
  });
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

/** Counters with the zeros dropped (a counter that went up and down again), empty rollups dropped. */
function nonZero(
  rollups: ReadonlyMap<string, Record<string, number>>,
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [id, c] of rollups) {
    const kept = Object.fromEntries(Object.entries(c).filter(([, v]) => v !== 0));
    if (Object.keys(kept).length) out[id] = kept;
  }
  return out;
}

/** Brute force from the uploads alone: unit-month → earliest submission. */
function firstSubmissions(rets: readonly IncomingReturn[]): Map<string, Date> {
  const first = new Map<string, Date>();
  for (const r of rets) {
    const id = `${r.unit}|${r.period}`;
    const at = new Date(r.submittedAt);
    const seen = first.get(id);
    if (!seen || at < seen) first.set(id, at);
  }
  return first;
}

function recount(
  first: ReadonlyMap<string, Date>,
  units: readonly string[],
  from: Month,
  to: Month,
): { reported: number; onTime: number } {
  const months = monthsBetween(from, to);
  let reported = 0;
  let onTime = 0;
  for (const u of units) {
    const got = months.map((m) => first.get(`${u}|${m}`));
    if (got.some(Boolean)) reported++;
    if (months.every((m, i) => got[i] !== undefined && isOnTime(m, got[i] as Date, 5))) onTime++;
  }
  return { reported, onTime };
}

const UNITS = ["u1", "u2", "u3", "u4"];

const upload = fc.record({
  unit: fc.constantFrom(...UNITS),
  month: fc.integer({ min: 0, max: MONTHS - 1 }),
  seed: fc.integer({ min: 1, max: 500 }),
  // Day of submission after the month ends: up to 4 days on time (deadline the 5th), later is late.
  day: fc.integer({ min: 1, max: 40 }),
});

function toIncoming(uploads: readonly { unit: string; month: number; seed: number; day: number }[]) {
  return uploads.map((u, i) => {
    const period = addMonths(START, u.month);
    const next = addMonths(period, 1);
    const at = new Date(Date.UTC(Number(next.slice(0, 4)), Number(next.slice(5)) - 1, u.day, 2));
    return incoming(u.unit, period, u.seed, at.toISOString(), `up-${String(i).padStart(3, "0")}`);
  });
}

describe("reporting counts in rollups", () => {
  it("equal a recount from the uploads for every period of up to 12 months, delivered in any order, some twice", () => {
    fc.assert(
      fc.property(
        fc.array(upload, { minLength: 1, maxLength: 40 }),
        fc.infiniteStream(fc.nat()),
        (uploads, rand) => {
          const rets = toIncoming(uploads);
          const it = rand[Symbol.iterator]();
          const shuffled = [...rets, ...rets.filter((_, i) => i % 3 === 0)]
            .map((r) => ({ r, k: it.next().value as number }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.r);
          const replay = new Ledger();
          for (const r of shuffled) replay.submit(r);
          const inOrder = new Ledger();
          for (const r of [...rets].sort((a, b) => (a.submittedAt < b.submittedAt ? -1 : 1)))
            inOrder.submit(r);
          // The same counters whatever the order of delivery.
          expect(nonZero(replay.rollups)).toEqual(nonZero(inOrder.rollups));
          // Every unit's chain is consistent: nothing left to mend.
          for (const u of UNITS)
            expect(planRepairs([...replay.items.values()].filter((i) => i.unit === u))).toEqual([]);
          const first = firstSubmissions(rets);
          const rollups = replay.monthRollups("001");
          for (let lo = 0; lo < MONTHS; lo++) {
            for (let hi = lo; hi < Math.min(MONTHS, lo + ON_TIME_WINDOW); hi++) {
              const from = addMonths(START, lo);
              const to = addMonths(START, hi);
              const got = aggregateMonths(rollups, from, to);
              const want = recount(first, UNITS, from, to);
              expect({ reported: got.reportedUnits, onTime: got.onTimeUnits }, `${from}…${to}`).toEqual(want);
            }
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it("keeps the run of a unit that reports on time for years within the window, and breaks it at a late month", () => {
    const ledger = new Ledger();
    const rets: IncomingReturn[] = [];
    for (let m = 0; m < 30; m++) {
      const period = addMonths(START, m);
      const next = addMonths(period, 1);
      // Month 20 arrives on the 9th: late.
      const day = m === 20 ? 9 : 2;
      rets.push(
        incoming("u1", period, m + 1, `${next}-${String(day).padStart(2, "0")}T02:00:00.000Z`, `a${m}`),
      );
    }
    for (const r of rets) ledger.submit(r);
    const stored = (m: number) => ledger.items.get(`u1|${addMonths(START, m)}`);
    expect(stored(15)?.onTimeSince).toBe(addMonths(START, 15 - (ON_TIME_WINDOW - 1)));
    expect(stored(20)?.onTimeSince).toBeNull();
    expect(stored(21)?.onTimeSince).toBe(addMonths(START, 21));
    const rollups = ledger.monthRollups("001");
    const span = (lo: number, hi: number) =>
      aggregateMonths(rollups, addMonths(START, lo), addMonths(START, hi)).onTimeUnits;
    expect(span(4, 15)).toBe(1);
    expect(span(10, 21)).toBe(0);
    expect(span(21, 29)).toBe(1);
    // Longer than the window: not kept.
    expect(span(0, 12)).toBeNull();
  });

  it("mends the runs after a backfilled month and after an older on-time upload arriving late", () => {
    const ledger = new Ledger();
    ledger.submit(incoming("u1", "2025-01", 1, "2025-02-02T02:00:00.000Z", "jan"));
    ledger.submit(incoming("u1", "2025-03", 3, "2025-04-02T02:00:00.000Z", "mar"));
    ledger.submit(incoming("u1", "2025-04", 4, "2025-05-02T02:00:00.000Z", "apr"));
    // February late at first; its run starts nowhere and April's run starts in March.
    ledger.submit(incoming("u1", "2025-02", 2, "2025-03-20T02:00:00.000Z", "feb-late"));
    expect(ledger.items.get("u1|2025-04")?.onTimeSince).toBe("2025-03");
    let rollups = ledger.monthRollups("001");
    expect(aggregateMonths(rollups, "2025-01", "2025-04").onTimeUnits).toBe(0);
    // An upload made on 3 March for February, whose event arrives only now: February was on time.
    ledger.submit(incoming("u1", "2025-02", 9, "2025-03-03T02:00:00.000Z", "feb-early"));
    expect(ledger.items.get("u1|2025-02")?.onTime).toBe(true);
    expect(ledger.items.get("u1|2025-04")?.onTimeSince).toBe("2025-01");
    rollups = ledger.monthRollups("001");
    expect(aggregateMonths(rollups, "2025-01", "2025-04").onTimeUnits).toBe(1);
    expect(aggregateMonths(rollups, "2025-01", "2025-04").reportedUnits).toBe(1);
    // What reconcile recounts from the stored returns alone is what the transactions left.
    const acc = new DeltaAccumulator();
    for (const item of ledger.items.values()) acc.add(item);
    for (const e of acc.entries()) {
      const stored = ledger.rollups.get(`${e.key.scope}|${e.key.month}`) ?? {};
      expect(Object.fromEntries(Object.entries(stored).filter(([, v]) => v !== 0))).toEqual(e.counters);
    }
  });
});
