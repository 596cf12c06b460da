/** Upload → rollup visible: PUT a one-unit file to S3 and poll the root rollup until it counts it. */
import { figures, returnCsv } from "../../tests/support/returns.ts";
import { loadRegistry, registryCsv } from "../../tests/support/stack.ts";
import type { LocalStack } from "../local/stack.ts";
import { round } from "./writes.ts";

export interface Latency {
  samples: number;
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export async function uploadLatency(stack: LocalStack, samples = 40): Promise<Latency> {
  await stack.resetTable();
  await loadRegistry(stack, registryCsv(2, 50));
  stack.setConcurrency(4);
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const unit = `001${String((i % 2) + 1).padStart(3, "0")}${String(Math.floor(i / 2) + 1).padStart(3, "0")}`;
    const started = performance.now();
    await stack.put(
      `incoming/${unit}/2026-10/lat${String(i).padStart(6, "0")}.csv`,
      returnCsv([{ unit, period: "2026-10", values: figures(i, i) }]),
    );
    for (;;) {
      const [rollup] = await stack.services.stores.rollups.rollups("001", "2026-10", "2026-10");
      if ((rollup?.reported ?? 0) >= i + 1) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    times.push(performance.now() - started);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    samples,
    p50_ms: round(percentile(sorted, 50)),
    p95_ms: round(percentile(sorted, 95)),
    max_ms: round(sorted[sorted.length - 1] as number),
  };
}
