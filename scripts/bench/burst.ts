/**
 * The reporting-deadline burst at reduced scale: most units report in the last two days, so the
 * load test fires 1,600 one-unit uploads at once (plus 片区 batch files) and checks the design
 * holds — everything processed, no dead letters, no drift, and how often writes had to retry.
 */
import { reconcile } from "../../lib/write/reconcile.ts";
import { figures, returnCsv } from "../../tests/support/returns.ts";
import { loadRegistry, registryCsv } from "../../tests/support/stack.ts";
import type { LocalStack } from "../local/stack.ts";
import { round } from "./writes.ts";

export interface Burst {
  markdown: string;
}

export async function deadlineBurst(
  stack: LocalStack,
  handlerStore: { writeItems: number; conflicts: number; transactions: number },
  log: (line: string) => void,
): Promise<Burst> {
  const areas = 20;
  const perArea = 100;
  const rows: string[] = [];
  const lines: string[] = ["## Deadline burst (reduced scale)", ""];
  for (const concurrency of [4, 8]) {
    await stack.resetTable();
    await loadRegistry(stack, registryCsv(areas, perArea));
    stack.setConcurrency(concurrency);
    const start = { ...handlerStore };
    const started = performance.now();
    const puts: Promise<void>[] = [];
    let files = 0;
    for (let a = 1; a <= areas; a++) {
      const area = `001${String(a).padStart(3, "0")}`;
      // Four 片区 send one batch file for all their units; the others' units upload one by one.
      if (a <= 4) {
        const batch = Array.from({ length: perArea }, (_, u) => ({
          unit: `${area}${String(u + 1).padStart(3, "0")}`,
          period: "2026-10",
          values: figures(a * 1000 + u, u),
        }));
        puts.push(stack.put(`incoming/${area}/2026-10/burst${area}.csv`, returnCsv(batch)));
        files++;
        continue;
      }
      for (let u = 1; u <= perArea; u++) {
        const unit = `${area}${String(u).padStart(3, "0")}`;
        puts.push(
          stack.put(
            `incoming/${unit}/2026-10/burst${unit}.csv`,
            returnCsv([{ unit, period: "2026-10", values: figures(a * 1000 + u, u) }]),
          ),
        );
        files++;
      }
      if (puts.length >= 200) await Promise.all(puts.splice(0));
    }
    await Promise.all(puts);
    const uploadedAt = performance.now();
    await stack.drain();
    const seconds = (performance.now() - started) / 1000;
    const [rollup] = await stack.services.stores.rollups.rollups("001", "2026-10", "2026-10");
    const drift = (await reconcile(stack.services.stores, { shards: stack.config.ROLLUP_SHARDS })).drift
      .length;
    const s = handlerStore;
    log(
      `并发${concurrency}:${files}个文件,${seconds.toFixed(1)}秒,汇总${rollup?.reported}个单位,偏差${drift}`,
    );
    rows.push(
      `| ${concurrency} | ${files} | ${rollup?.reported ?? 0} | ${round((uploadedAt - started) / 1000)} | ${round(seconds)} | ${Math.round((rollup?.reported ?? 0) / seconds)} | ${s.transactions - start.transactions} | ${s.conflicts - start.conflicts} | ${stack.deadLetters.length} | ${drift} |`,
    );
  }
  lines.push(
    "2,000 units in 20 片区; 1,600 one-unit files and 4 batch files of 100 rows put to S3 as fast as the emulator takes them.",
    "",
    "| handler concurrency | files | returns in root rollup | all PUTs done s | all processed s | returns/s | transactions | write conflicts retried | dead letters | reconcile drift |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    `Rollup writes are spread over ${stack.config.ROLLUP_SHARDS} shards per scope-month; a conflicting transaction is re-planned from fresh reads and retried with jittered backoff.`,
    "",
  );
  return { markdown: lines.join("\n") };
}
