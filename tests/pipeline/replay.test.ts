/**
 * S3 delivers events at least once and in no particular order. Every event of a realistic
 * scenario delivered three times, shuffled, concurrently, must leave exactly the rollups of one
 * in-order delivery — and those must match the figures computed from the files themselves.
 */
import { describe, expect, it } from "vitest";
import { aggregateMonths } from "../../lib/write/aggregate.ts";
import { reconcile } from "../../lib/write/reconcile.ts";
import type { S3EventRecord } from "../../scripts/local/emulators.ts";
import { loadRegistry, rollupSnapshot, useLocalStack } from "../support/stack.ts";
import { expectedMonth, expectedStocks, MONTHS, REGISTRY, scenario, seededShuffle } from "./scenario.ts";

const stackOf = useLocalStack();

describe("Pipeline: at-least-once, unordered S3 events", () => {
  it("gives the same rollups for 3× shuffled concurrent delivery as for one in-order delivery", async () => {
    const stack = stackOf();
    const uploads = scenario();
    await loadRegistry(stack, REGISTRY);
    stack.holdEvents(true);
    for (const u of uploads) await stack.put(u.key, u.body, { submittedAt: u.submittedAt });
    // s3rver emits its event after answering the PUT; give the last one a moment.
    await new Promise((r) => setTimeout(r, 200));
    const records: S3EventRecord[] = [...stack.held];
    expect(records).toHaveLength(uploads.length);

    stack.setConcurrency(1);
    for (const r of [...records].sort((a, b) => (a.eventTime < b.eventTime ? -1 : 1))) stack.deliver(r);
    await stack.drain();
    expect(stack.deadLetters).toEqual([]);
    const inOrder = await rollupSnapshot(stack);

    // The independent check: root figures straight from the files.
    for (const month of MONTHS) {
      const want = expectedMonth(uploads, month);
      const [rollup] = await stack.services.stores.rollups.rollups("001", month, month);
      expect(rollup?.values).toEqual(want.values);
      expect(rollup?.reported).toBe(want.reported);
    }
    const span = aggregateMonths(
      await stack.services.stores.rollups.rollups("001", "2026-07", "2026-10"),
      "2026-07",
      "2026-10",
    );
    expect(span.reportedUnits).toBe(8);
    expect({ ...span.values }).toMatchObject(expectedStocks(uploads));

    await stack.resetTable();
    await loadRegistry(stack, REGISTRY);
    // The uploads as the API recorded them before their files arrived.
    for (const r of records) await stack.issue(r.s3.object.key);
    stack.setConcurrency(4);
    for (const r of seededShuffle([...records, ...records, ...records], 20261127)) stack.deliver(r);
    await stack.drain();
    expect(stack.deadLetters).toEqual([]);
    expect(await rollupSnapshot(stack)).toEqual(inOrder);

    const check = await reconcile(stack.services.stores, { shards: stack.config.ROLLUP_SHARDS });
    expect(check.drift).toEqual([]);
    expect(check.chains).toEqual([]);
    expect(check.misindexed).toBe(0);
    expect(check.returns).toBe(31);
  }, 120_000);
});
