/** One real local stack (DynamoDB Local + s3rver + the handlers) per test file. */
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll } from "vitest";
import { formatCsv } from "../../lib/ingest/csv.ts";
import { importRegistry } from "../../lib/ingest/registry-import.ts";
import { addCounters, type Counters, isCounterName } from "../../lib/write/aggregate.ts";
import { type LocalStack, startLocalStack } from "../../scripts/local/stack.ts";

export function useLocalStack(env: Record<string, string> = {}): () => LocalStack {
  let stack: LocalStack | undefined;
  beforeAll(async () => {
    stack = await startLocalStack({ env, concurrency: 4 });
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
  });
  return () => {
    if (!stack) throw new Error("local stack not started");
    return stack;
  };
}

/** A registry of `areas` 片区 with `perArea` units each: codes 001, 001001, 001001001 … */
export function registryCsv(areas: number, perArea: number): string {
  const rows: string[][] = [
    ["单位代码", "单位名称", "上级单位代码"],
    ["001", "测试市直机关工委", ""],
  ];
  for (let a = 1; a <= areas; a++) {
    const area = `001${String(a).padStart(3, "0")}`;
    rows.push([area, `第${a}片区`, "001"]);
    for (let u = 1; u <= perArea; u++) {
      rows.push([`${area}${String(u).padStart(3, "0")}`, `第${a}片区第${u}机关党支部`, area]);
    }
  }
  return formatCsv(rows);
}

/** The leaf codes registryCsv(areas, perArea) creates, 片区 by 片区. */
export function unitCodes(areas: number, perArea: number): string[] {
  const out: string[] = [];
  for (let a = 1; a <= areas; a++) {
    for (let u = 1; u <= perArea; u++)
      out.push(`001${String(a).padStart(3, "0")}${String(u).padStart(3, "0")}`);
  }
  return out;
}

export async function loadRegistry(stack: LocalStack, csv: string): Promise<void> {
  const result = await importRegistry(new TextEncoder().encode(csv), stack.services.stores.registry);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  stack.services.invalidateRegistry();
}

/** All rollup counters in the table, shards summed: "scope|month" → counters (zeros dropped). */
export async function rollupSnapshot(stack: LocalStack): Promise<Record<string, Counters>> {
  const out: Record<string, Counters> = {};
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await stack.services.clients.ddb.send(
      new ScanCommand({
        TableName: stack.config.TABLE_NAME,
        FilterExpression: "#t = :t",
        ExpressionAttributeNames: { "#t": "type" },
        ExpressionAttributeValues: { ":t": "ROLLUP" },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const id = `${String(item.scope)}|${String(item.month)}`;
      const counters: Counters = {};
      for (const [k, v] of Object.entries(item))
        if (isCounterName(k) && typeof v === "number") counters[k] = v;
      out[id] ??= {};
      addCounters(out[id], counters);
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  for (const [id, counters] of Object.entries(out)) {
    for (const [k, v] of Object.entries(counters)) if (v === 0) delete counters[k];
    if (!Object.keys(counters).length) delete out[id];
  }
  return out;
}
