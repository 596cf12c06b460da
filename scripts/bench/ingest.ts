/** Ingest benchmark: the same generated file through our pipeline, papaparse parse-only and DuckDB. */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ensureBatchFile } from "./batch-file.ts";

const run = promisify(execFile);
const worker = fileURLToPath(new URL("./ingest-worker.ts", import.meta.url));

export interface IngestFigures {
  rows: number;
  seconds: number;
  rows_per_s: number;
  papaparse_seconds: number;
  duckdb_seconds: number;
  peak_rss_mb: number;
  file_mb: number;
  ratio_duckdb: number;
  ratio_papaparse: number;
}

async function measure(
  mode: string,
  file: string,
  registry: string,
): Promise<{ seconds: number; peak_rss_mb: number; rows: number }> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", worker, mode, file, registry], {
    maxBuffer: 1 << 20,
    env: {
      ...process.env,
      AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: "1",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
  });
  const line = stdout.trim().split("\n").pop() ?? "{}";
  return JSON.parse(line) as { seconds: number; peak_rss_mb: number; rows: number };
}

export async function ingestBench(
  rows: number,
  log: (line: string) => void = () => {},
): Promise<IngestFigures> {
  log(`生成 ${rows} 行的批量文件……`);
  const batch = await ensureBatchFile(rows);
  const { stat } = await import("node:fs/promises");
  const fileMb = (await stat(batch.path)).size / 1024 / 1024;
  log(`文件 ${batch.path}(${fileMb.toFixed(0)} MB,${batch.units} 个单位);测量本系统处理流程……`);
  const ours = await measure("pipeline", batch.path, batch.registryPath);
  log(`本系统 ${ours.seconds.toFixed(2)} 秒;测量 papaparse……`);
  const papa = await measure("papaparse", batch.path, batch.registryPath);
  log(`papaparse ${papa.seconds.toFixed(2)} 秒;测量 DuckDB……`);
  const duck = await measure("duckdb", batch.path, batch.registryPath);
  if (ours.rows !== rows || papa.rows !== rows || duck.rows !== rows) {
    throw new Error(
      `row counts differ: ours ${ours.rows}, papaparse ${papa.rows}, duckdb ${duck.rows}, expected ${rows}`,
    );
  }
  return {
    rows,
    seconds: round(ours.seconds),
    rows_per_s: Math.round(rows / ours.seconds),
    papaparse_seconds: round(papa.seconds),
    duckdb_seconds: round(duck.seconds),
    peak_rss_mb: ours.peak_rss_mb,
    file_mb: round(fileMb),
    ratio_duckdb: round(ours.seconds / duck.seconds),
    ratio_papaparse: round(ours.seconds / papa.seconds),
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
