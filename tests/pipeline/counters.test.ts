/**
 * The reporting counters kept in rollups (报送 units, on-time units over a period) on the real
 * stack: after every event of the scenario is delivered three times, shuffled and concurrently,
 * they equal a recount from the stored returns and one from the files themselves (the earliest
 * accepted submission of each unit-month decides 按时). reconcile recomputes them, and repairs
 * data written by the older layout (no on-time runs, returns keyed by month alone).
 */
import { ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { isOnTime, type Month, monthsBetween } from "../../lib/domain/periods.ts";
import { returnsOfUnits, unitsInOrder } from "../../lib/read/lists.ts";
import { aggregateMonths } from "../../lib/write/aggregate.ts";
import { reconcile } from "../../lib/write/reconcile.ts";
import type { S3EventRecord } from "../../scripts/local/emulators.ts";
import { loadRegistry, rollupSnapshot, useLocalStack } from "../support/stack.ts";
import { MONTHS, REGISTRY, scenario, seededShuffle } from "./scenario.ts";

const stackOf = useLocalStack();

/** Units with a return in some month of the span, and units on time in every month of it. */
function recount(
  units: readonly string[],
  span: readonly Month[],
  has: (unit: string, m: Month) => boolean,
  onTime: (unit: string, m: Month) => boolean,
): { reported: number; onTime: number } {
  return {
    reported: units.filter((u) => span.some((m) => has(u, m))).length,
    onTime: units.filter((u) => span.every((m) => has(u, m) && onTime(u, m))).length,
  };
}

describe("Pipeline: reporting counters", () => {
  it("equal a recount from the stored returns and from the files after 3× shuffled concurrent delivery", async () => {
    const stack = stackOf();
    const uploads = scenario();
    await loadRegistry(stack, REGISTRY);
    stack.holdEvents(true);
    for (const u of uploads) await stack.put(u.key, u.body, { submittedAt: u.submittedAt });
    await new Promise((r) => setTimeout(r, 200));
    const records: S3EventRecord[] = [...stack.held];
    expect(records).toHaveLength(uploads.length);
    stack.setConcurrency(4);
    for (const r of seededShuffle([...records, ...records, ...records], 4242)) stack.deliver(r);
    await stack.drain();
    expect(stack.deadLetters).toEqual([]);

    // From the files: the earliest accepted submission of each unit-month.
    const first = new Map<string, string>();
    for (const u of uploads) {
      for (const row of u.accepted) {
        const id = `${row.unit}|${row.period}`;
        const seen = first.get(id);
        if (!seen || u.submittedAt < seen) first.set(id, u.submittedAt);
      }
    }
    // From the store: the returns as stored, their own flags.
    const stored = new Map(
      (await stack.services.stores.returns.allReturns()).map((r) => [`${r.unit}|${r.period}`, r]),
    );
    expect(stored.size).toBe(first.size);
    const registry = await stack.services.registry();
    let lateSeen = false;
    for (const scope of ["001", "001001", "001002"]) {
      const units = registry.leavesUnder(scope).map((u) => u.code);
      const rollups = await stack.services.stores.rollups.rollups(
        scope,
        MONTHS[0] as Month,
        MONTHS[3] as Month,
      );
      for (const [i, from] of MONTHS.entries()) {
        for (const to of MONTHS.slice(i)) {
          const span = monthsBetween(from, to);
          const files = recount(
            units,
            span,
            (u, m) => first.has(`${u}|${m}`),
            (u, m) => isOnTime(m, new Date(first.get(`${u}|${m}`) as string), 5),
          );
          const store = recount(
            units,
            span,
            (u, m) => stored.has(`${u}|${m}`),
            (u, m) => stored.get(`${u}|${m}`)?.onTime === true,
          );
          const got = aggregateMonths(rollups, from, to);
          expect(store, `${scope} ${from}…${to}`).toEqual(files);
          expect({ reported: got.reportedUnits, onTime: got.onTimeUnits }, `${scope} ${from}…${to}`).toEqual(
            files,
          );
          if (files.onTime < files.reported) lateSeen = true;
        }
      }
    }
    // The scenario has late and missing months: the counts are not trivially "everyone".
    expect(lateSeen).toBe(true);

    // A scope's list reads its own units' returns, parent by parent: the same returns as stored.
    const area = await returnsOfUnits(stack.services.stores, unitsInOrder(registry, "001002"), {
      from: MONTHS[0] as Month,
      to: MONTHS[3] as Month,
    });
    expect([...area.values()].flat().length).toBe(
      [...stored.keys()].filter((k) => k.startsWith("001002")).length,
    );

    const check = await reconcile(stack.services.stores, { shards: stack.config.ROLLUP_SHARDS });
    expect(check).toMatchObject({ drift: [], chains: [], misindexed: 0, returns: 31 });
    const october = await reconcile(stack.services.stores, {
      month: "2026-10",
      shards: stack.config.ROLLUP_SHARDS,
    });
    expect(october).toMatchObject({ drift: [], chains: [] });
    expect(october.returns).toBe([...stored.keys()].filter((k) => k.endsWith("|2026-10")).length);
  }, 180_000);

  it("reconcile finds data of the older layout and a tampered counter, and --fix restores the exact state", async () => {
    const stack = stackOf();
    const want = await rollupSnapshot(stack);
    const { ddb } = stack.services.clients;
    const TableName = stack.config.TABLE_NAME;
    const scan = async (type: string) =>
      (
        await ddb.send(
          new ScanCommand({
            TableName,
            FilterExpression: "#t = :t",
            ExpressionAttributeNames: { "#t": "type" },
            ExpressionAttributeValues: { ":t": type },
          }),
        )
      ).Items ?? [];
    // As the previous version wrote them: no on-time run, index partition by month only …
    const returns = await scan("RETURN");
    for (const item of returns) {
      await ddb.send(
        new UpdateCommand({
          TableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: "REMOVE onTimeSince SET gsi1pk = :old",
          ExpressionAttributeValues: { ":old": `PER#${item.period}` },
        }),
      );
    }
    // … and rollups without run counters; one month's 按时 count off by one on top.
    for (const item of await scan("ROLLUP")) {
      const runs = Object.keys(item).filter((k) => k.startsWith("t_"));
      if (!runs.length) continue;
      await ddb.send(
        new UpdateCommand({
          TableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: `REMOVE ${runs.map((_, i) => `#r${i}`).join(", ")}`,
          ExpressionAttributeNames: Object.fromEntries(runs.map((r, i) => [`#r${i}`, r])),
        }),
      );
    }
    await ddb.send(
      new UpdateCommand({
        TableName,
        Key: { pk: "ROLL#001001", sk: "2026-09#00" },
        UpdateExpression: "ADD n_on_time :one SET #s = :s, #m = :m, #t = :t",
        ExpressionAttributeNames: { "#s": "scope", "#m": "month", "#t": "type" },
        ExpressionAttributeValues: { ":one": 1, ":s": "001001", ":m": "2026-09", ":t": "ROLLUP" },
      }),
    );
    const onTimeReturns = returns.filter((r) => r.onTime === true).length;

    const found = await reconcile(stack.services.stores, { shards: stack.config.ROLLUP_SHARDS });
    expect(found.misindexed).toBe(returns.length);
    expect(found.chains).toHaveLength(onTimeReturns);
    expect(found.chains.every((c) => c.fields.join() === "onTimeSince")).toBe(true);
    expect(found.drift.some((d) => Object.keys(d.counters).some((k) => k.startsWith("t_")))).toBe(true);
    expect(
      found.drift.find((d) => d.scope === "001001" && d.month === "2026-09")?.counters.n_on_time,
    ).toBeDefined();
    // The lists cannot see returns under the old keys yet.
    const registry = await stack.services.registry();
    const before = await returnsOfUnits(stack.services.stores, unitsInOrder(registry, "001"), {
      from: "2026-10",
      to: "2026-10",
    });
    expect(before.size).toBe(0);

    const fixed = await reconcile(stack.services.stores, { fix: true, shards: stack.config.ROLLUP_SHARDS });
    expect(fixed.fixed).toBeGreaterThan(0);
    const after = await reconcile(stack.services.stores, { shards: stack.config.ROLLUP_SHARDS });
    expect(after).toMatchObject({ drift: [], chains: [], misindexed: 0 });
    expect(await rollupSnapshot(stack)).toEqual(want);
    const listed = await returnsOfUnits(stack.services.stores, unitsInOrder(registry, "001"), {
      from: "2026-10",
      to: "2026-10",
    });
    expect([...listed.values()].flat().length).toBe(returns.filter((r) => r.period === "2026-10").length);
  }, 120_000);
});
