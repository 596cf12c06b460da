/**
 * DynamoDB cost of accepted returns on the local stack: write requests and consumed write
 * capacity per accepted unit-return for batch files of 1, 50 and 500 units, and a 10,000-unit
 * month loaded end to end through S3 events and the real handler.
 */
import { processUpload } from "../../lib/write/pipeline.ts";
import { figures, returnCsv, type TestRow } from "../../tests/support/returns.ts";
import { loadRegistry, registryCsv } from "../../tests/support/stack.ts";
import type { LocalStack } from "../local/stack.ts";

export interface BatchCost {
  units: number;
  write_requests: number;
  per_return: number;
  transactions: number;
  consumed_wcu: number;
  wcu_per_return: number;
  seconds: number;
}

const unitCodes = (areas: number, perArea: number): string[] =>
  Array.from(
    { length: areas * perArea },
    (_, i) =>
      `001${String((i % areas) + 1).padStart(3, "0")}${String(Math.floor(i / areas) + 1).padStart(3, "0")}`,
  );

export async function batchCosts(stack: LocalStack, sizes: readonly number[]): Promise<BatchCost[]> {
  await stack.resetTable();
  await loadRegistry(stack, registryCsv(10, 100));
  stack.holdEvents(true);
  const units = unitCodes(10, 100);
  const out: BatchCost[] = [];
  let month = 1;
  for (const size of sizes) {
    const period = `2026-${String(month++).padStart(2, "0")}`;
    const rows: TestRow[] = units.slice(0, size).map((unit, i) => ({ unit, period, values: figures(i, i) }));
    const key = `incoming/001/${period}/bench${String(size).padStart(6, "0")}.csv`;
    await stack.put(key, returnCsv(rows));
    const before = { ...stack.services.metrics };
    const started = performance.now();
    const result = await processUpload(
      { key, size: 0, eventTime: `${period}-28T02:00:00.000Z` },
      stack.services.pipeline(),
    );
    const seconds = (performance.now() - started) / 1000;
    if (result.kind !== "processed" || result.report.summary.accepted !== size) {
      throw new Error(
        `batch of ${size} not fully accepted: ${JSON.stringify(result.kind === "processed" ? result.report.summary : result)}`,
      );
    }
    const after = stack.services.metrics;
    const writes = after.writeItems - before.writeItems;
    const wcu = after.consumedWcu - before.consumedWcu;
    out.push({
      units: size,
      write_requests: writes,
      per_return: round(writes / size),
      transactions: after.transactions - before.transactions,
      consumed_wcu: round(wcu),
      wcu_per_return: round(wcu / size),
      seconds: round(seconds),
    });
  }
  stack.holdEvents(false);
  return out;
}

export interface BigMonth {
  units: number;
  files: number;
  seconds: number;
  write_requests: number;
  per_return: number;
  returns_per_second: number;
}

/** 10,000 units in 100 片区, each 片区 uploading one batch file for its units, through S3 events. */
export async function bigMonth(
  stack: LocalStack,
  handlerStore: { writeItems: number } | undefined,
): Promise<BigMonth> {
  const areas = 100;
  const perArea = 100;
  await stack.resetTable();
  await loadRegistry(stack, registryCsv(areas, perArea));
  stack.setConcurrency(4);
  const before = handlerStore?.writeItems ?? 0;
  const started = performance.now();
  for (let a = 1; a <= areas; a++) {
    const area = `001${String(a).padStart(3, "0")}`;
    const rows: TestRow[] = Array.from({ length: perArea }, (_, u) => ({
      unit: `${area}${String(u + 1).padStart(3, "0")}`,
      period: "2026-10",
      values: figures(a * 100 + u, u),
    }));
    await stack.put(`incoming/${area}/2026-10/big${String(a).padStart(5, "0")}.csv`, returnCsv(rows), {
      submittedAt: "2026-11-03T02:00:00.000Z",
    });
  }
  await stack.drain();
  const seconds = (performance.now() - started) / 1000;
  const [rollup] = await stack.services.stores.rollups.rollups("001", "2026-10", "2026-10");
  if (rollup?.reported !== areas * perArea)
    throw new Error(`expected ${areas * perArea} returns, rollup says ${rollup?.reported}`);
  const writes = (handlerStore?.writeItems ?? 0) - before;
  return {
    units: areas * perArea,
    files: areas,
    seconds: round(seconds),
    write_requests: writes,
    per_return: round(writes / (areas * perArea)),
    returns_per_second: Math.round((areas * perArea) / seconds),
  };
}

export function round(x: number): number {
  return Math.round(x * 100) / 100;
}
