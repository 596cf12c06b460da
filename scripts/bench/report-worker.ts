/**
 * The report's worst cases in a fresh process (so peak RSS is this run's alone): a file at the
 * byte and row limits goes through what the validate handler does before writing — ingest (rows
 * kept as the pipeline keeps them), history, report, its JSON and CSV. Prints one JSON line.
 */
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { applyHistory, countsAfterHistory, ingest } from "../../lib/ingest/ingest.ts";
import { parseRegistryFile } from "../../lib/ingest/registry-file.ts";
import { buildReport, reportCsv } from "../../lib/ingest/report.ts";

const [file, registryPath] = process.argv.slice(2);
if (!file || !registryPath) throw new Error("usage: report-worker FILE REGISTRY");
const parsed = parseRegistryFile(await readFile(registryPath));
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems.slice(0, 3)));
const started = performance.now();
const result = await ingest(createReadStream(file, { highWaterMark: 1 << 16 }), {
  registry: parsed.registry,
  now: new Date("2026-11-27T04:00:00Z"),
  limits: { maxBytes: 20 * 1024 * 1024, maxRows: 100_000 },
});
const rows = applyHistory(result.rows, () => undefined);
const report = buildReport(result, rows, countsAfterHistory(result, rows));
const json = JSON.stringify(report);
const csv = reportCsv(report);
process.stdout.write(
  `${JSON.stringify({
    rows: report.summary.rows,
    status: report.status,
    issues_total: report.issues_total,
    seconds: Math.round(performance.now() - started) / 1000,
    report_json_kb: Math.round(Buffer.byteLength(json) / 1024),
    report_csv_kb: Math.round(Buffer.byteLength(csv) / 1024),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
