/**
 * The request accounting the benchmarks and read-cost tests rely on (lib/aws/metrics.ts), on the
 * real emulator: one upload processed through the stack's own client is counted as the writes it
 * made — the upload record, the return items in one transaction with the rollup deltas — whatever
 * name the SDK gives the command in the middleware's context.
 */
import { describe, expect, it } from "vitest";
import { commandNameOf } from "../../lib/aws/metrics.ts";
import { processUpload } from "../../lib/write/pipeline.ts";
import { figures, returnCsv } from "../support/returns.ts";
import { loadRegistry, registryCsv, unitCodes, useLocalStack } from "../support/stack.ts";

const stackOf = useLocalStack();

describe("request metrics", () => {
  it("names base and document commands alike", () => {
    expect(commandNameOf("TransactWriteItemsCommand")).toBe("TransactWriteCommand");
    expect(commandNameOf("PutItemCommand")).toBe("PutCommand");
    expect(commandNameOf("GetCommand")).toBe("GetCommand");
    expect(commandNameOf("QueryCommand")).toBe("QueryCommand");
  });

  it("counts an upload's writes, its transaction and the item reads", async () => {
    const stack = stackOf();
    await loadRegistry(stack, registryCsv(1, 3));
    stack.holdEvents(true);
    const units = unitCodes(1, 3);
    const key = "incoming/001/2026-10/metrics0001.csv";
    await stack.put(
      key,
      returnCsv(units.map((unit, i) => ({ unit, period: "2026-10", values: figures(i, i) }))),
    );
    const m = stack.services.metrics;
    const before = { ...m, requests: { ...m.requests } };
    const result = await processUpload(
      { key, size: 0, eventTime: "2026-11-02T02:00:00.000Z" },
      stack.services.pipeline(),
    );
    stack.holdEvents(false);
    expect(result.kind).toBe("processed");
    const sent = (name: string) => (m.requests[name] ?? 0) - (before.requests[name] ?? 0);
    // One transaction: three return items and the rollup updates of the unit's 片区 and the root.
    expect(sent("TransactWriteCommand")).toBe(1);
    expect(m.transactions - before.transactions).toBe(1);
    expect(m.writeItems - before.writeItems).toBeGreaterThanOrEqual(3 + 2);
    expect(m.consumedWcu - before.consumedWcu).toBeGreaterThan(0);
    // Reads are counted by items returned (the units' earlier returns: none yet, the upload record).
    expect(m.readItems - before.readItems).toBeGreaterThanOrEqual(1);
    expect(Object.keys(m.requests).some((n) => /Item(s)?Command$/.test(n))).toBe(false);
  });
});
