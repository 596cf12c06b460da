/**
 * One measurement in a fresh process (so peak RSS is this run's alone):
 *   pipeline  — decode + parse + normalise + validate + aggregate (pre-summed rollup deltas)
 *   papaparse — papaparse parse-only over the same file stream
 *   duckdb    — DuckDB read_csv + GROUP BY period over the same file
 *   reject    — a file that must be refused (zip bombs), at the byte limit given as the 4th argument
 * Prints one JSON line: {mode, rows, seconds, peak_rss_mb} (reject: also the issue code).
 * The pipeline mode reads CSV and workbooks alike (ingest decides by content).
 */
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { ingest } from "../../lib/ingest/ingest.ts";
import { parseRegistryFile } from "../../lib/ingest/registry-file.ts";
import { DeltaAccumulator } from "../../lib/write/aggregate.ts";

const [mode, file, registryPath] = process.argv.slice(2);
if (!mode || !file || !registryPath) throw new Error("usage: ingest-worker MODE FILE REGISTRY");

async function pipeline(): Promise<number> {
  const parsed = parseRegistryFile(await readFile(registryPath as string));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems.slice(0, 3)));
  const { registry } = parsed;
  const acc = new DeltaAccumulator();
  const started = performance.now();
  const result = await ingest(
    createReadStream(file as string, { highWaterMark: 1 << 16 }),
    {
      registry,
      now: new Date("2026-11-27T04:00:00Z"),
      limits: { maxBytes: Number.MAX_SAFE_INTEGER, maxRows: Number.MAX_SAFE_INTEGER },
      keepRows: "none",
    },
    (row) => {
      if (row.outcome !== "accepted" || !row.period) return;
      acc.add({
        scopes: registry.ancestors(row.unit),
        period: row.period,
        values: row.values,
        onTime: true,
        prev: null,
        prevStocks: null,
      });
    },
  );
  const seconds = (performance.now() - started) / 1000;
  if (result.counts.accepted !== result.counts.rows) {
    throw new Error(
      `expected every row accepted: ${JSON.stringify(result.counts)} ${JSON.stringify(result.fileIssues)}`,
    );
  }
  if (acc.size === 0) throw new Error("nothing aggregated");
  process.stderr.write(`rows ${result.counts.rows}, rollup keys ${acc.size}\n`);
  report(result.counts.rows, seconds);
  return seconds;
}

async function papaparseOnly(): Promise<void> {
  const Papa = (await import("papaparse")).default;
  const started = performance.now();
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    Papa.parse(createReadStream(file as string, { encoding: "utf8", highWaterMark: 1 << 16 }), {
      chunk(results) {
        rows += results.data.length;
      },
      complete: () => resolve(),
      error: reject,
    });
  });
  report(rows - 1, (performance.now() - started) / 1000);
}

async function duckdb(): Promise<void> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const started = performance.now();
  const db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  const reader = await conn.runAndReadAll(
    `SELECT "报送期间", count(*) AS n, sum("党员总数") AS members, sum("集中学习研讨") AS study, sum("志愿服务时长") AS hours
     FROM read_csv('${(file as string).replaceAll("'", "''")}', header = true, all_varchar = false)
     GROUP BY "报送期间"`,
  );
  const rows = reader.getRowObjects().reduce((s, r) => s + Number(r.n), 0);
  report(rows, (performance.now() - started) / 1000);
  conn.closeSync();
}

function report(rows: number, seconds: number): void {
  const peak = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ mode, rows, seconds, peak_rss_mb: Math.round(peak) })}\n`);
}

async function reject(): Promise<void> {
  const parsed = parseRegistryFile(await readFile(registryPath as string));
  if (!parsed.ok) throw new Error("registry");
  const maxBytes = Number(process.argv[5]);
  const started = performance.now();
  const result = await ingest(createReadStream(file as string, { highWaterMark: 1 << 16 }), {
    registry: parsed.registry,
    now: new Date("2026-11-27T04:00:00Z"),
    limits: { maxBytes, maxRows: 100_000 },
    keepRows: "none",
  });
  const seconds = (performance.now() - started) / 1000;
  const code = result.fileIssues.find((i) => i.severity === "error")?.code;
  const peak = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    `${JSON.stringify({ mode, rows: result.counts.rows, seconds, peak_rss_mb: Math.round(peak), code })}\n`,
  );
}

if (mode === "pipeline") await pipeline();
else if (mode === "reject") await reject();
else if (mode === "papaparse") await papaparseOnly();
else if (mode === "duckdb") await duckdb();
else throw new Error(`unknown mode ${mode}`);
