/**
 * A Lambda can die between any two writes. Crashing after the 1st, 2nd, … write of an upload and
 * then retrying it must end exactly where an uninterrupted run ends: nothing lost, nothing twice.
 */

import { describe, expect, it } from "vitest";
import { CrashInjected } from "../../lib/errors.ts";
import { crashAfterWrites } from "../../lib/write/faults.ts";
import { processUpload } from "../../lib/write/pipeline.ts";
import { reconcile } from "../../lib/write/reconcile.ts";
import type { LocalStack } from "../../scripts/local/stack.ts";
import { figures, returnCsv, type TestRow } from "../support/returns.ts";
import { loadRegistry, registryCsv, rollupSnapshot, useLocalStack } from "../support/stack.ts";

const stackOf = useLocalStack();
const REGISTRY = registryCsv(2, 60);
const UNITS = Array.from(
  { length: 120 },
  (_, i) => `00100${1 + Math.floor(i / 60)}${String((i % 60) + 1).padStart(3, "0")}`,
);

const september: TestRow[] = UNITS.map((unit, i) => ({ unit, period: "2026-09", values: figures(i, i) }));
// October for everyone, plus corrected September figures (members changed) for five units:
// their October returns must link to the corrected stocks.
const subject: TestRow[] = [
  ...UNITS.map((unit, i) => ({ unit, period: "2026-10", values: figures(i + 1, i) })),
  ...UNITS.slice(0, 5).map((unit, i) => ({
    unit,
    period: "2026-09",
    values: { ...figures(i + 50, i), members_total: figures(i, i).members_total + 1 },
  })),
];

async function returnsSnapshot(stack: LocalStack): Promise<unknown[]> {
  const all = await stack.services.stores.returns.allReturns();
  return all
    .map((r) => [r.unit, r.period, r.values, r.prev, r.prevStocks, r.version, r.onTime, r.onTimeSince])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1])));
}

async function freshState(stack: LocalStack): Promise<void> {
  await stack.resetTable();
  await loadRegistry(stack, REGISTRY);
  // The uploads as the API recorded them before their files arrived.
  await stack.issue("incoming/001/2026-09/crashpre01.csv");
  await stack.issue("incoming/001/2026-10/crashsub01.csv");
  const r = await processUpload(
    { key: "incoming/001/2026-09/crashpre01.csv", size: 0, eventTime: "2026-10-03T02:00:00.000Z" },
    stack.services.pipeline(),
  );
  expect(r.kind).toBe("processed");
}

describe("Pipeline: crash between any two writes, then retry", () => {
  it("converges on the uninterrupted result after a crash at every write", async () => {
    const stack = stackOf();
    stack.holdEvents(true);
    await stack.put("incoming/001/2026-09/crashpre01.csv", returnCsv(september));
    await stack.put("incoming/001/2026-10/crashsub01.csv", returnCsv(subject));
    const event = {
      key: "incoming/001/2026-10/crashsub01.csv",
      size: 0,
      eventTime: "2026-11-04T03:00:00.000Z",
    };

    await freshState(stack);
    const clean = await processUpload(event, stack.services.pipeline());
    expect(clean.kind === "processed" && clean.status).toBe("aggregated");
    const wantRollups = await rollupSnapshot(stack);
    const wantReturns = await returnsSnapshot(stack);
    expect(wantReturns).toHaveLength(240);

    let crashes = 0;
    for (let k = 1; k < 50; k++) {
      await freshState(stack);
      const deps = stack.services.pipeline();
      let crashed = false;
      try {
        await processUpload(event, crashAfterWrites(deps, k));
      } catch (err) {
        expect(err).toBeInstanceOf(CrashInjected);
        crashed = true;
      }
      if (!crashed) break;
      crashes++;
      const retry = await processUpload(event, deps);
      // A crash after the final status write leaves nothing to redo: the retry sees a finished upload.
      expect(
        retry.kind === "duplicate" || (retry.kind === "processed" && retry.status === "aggregated"),
      ).toBe(true);
      expect(await rollupSnapshot(stack)).toEqual(wantRollups);
      expect(await returnsSnapshot(stack)).toEqual(wantReturns);
      const check = await reconcile(stack.services.stores, { shards: 4 });
      expect(check.drift).toEqual([]);
      expect(check.chains).toEqual([]);
    }
    // Upload record ×3, report ×2 and two transactions (245 rows): a crash after each one was tried.
    expect(clean.kind === "processed" && clean.writes).toBe(7);
    expect(crashes).toBe(7);
  }, 300_000);
});
