/**
 * npm run bench                      — the full suite, written to BENCHMARKS.md
 * npm run bench -- --rows N [--json] — the ingest benchmark alone on an N-row batch file
 * npm run bench -- --workbook [--json] — the workbook benchmark alone (10,000-row .xlsx, zip bombs), replaced in BENCHMARKS.md
 * npm run bench -- --web              — the portal's sections alone, replaced in BENCHMARKS.md
 * npm run bench -- --ingest           — the ingest section alone (100k / 1M / 3M rows), replaced in BENCHMARKS.md
 * npm run bench -- --reads            — the read benchmark alone (63 / 2,000 / 20,000 units), replaced in BENCHMARKS.md
 * npm run bench -- --bundles          — bundle sizes and init times alone, replaced in BENCHMARKS.md
 */
import { parseArgs } from "node:util";
import { ingestBench } from "./ingest.ts";

const { values } = parseArgs({
  options: {
    rows: { type: "string" },
    json: { type: "boolean", default: false },
    workbook: { type: "boolean", default: false },
    web: { type: "boolean", default: false },
    reads: { type: "boolean", default: false },
    ingest: { type: "boolean", default: false },
    bundles: { type: "boolean", default: false },
  },
  allowPositionals: false,
});

const log = (line: string): void => {
  if (!values.json) process.stderr.write(`${line}\n`);
};

if (values.workbook) {
  const { workbookBench, workbookTable } = await import("./workbook.ts");
  const figures = await workbookBench(10_000, log);
  if (values.json) process.stdout.write(`${JSON.stringify({ workbook: figures })}\n`);
  else {
    const { replaceSections } = await import("./web-doc.ts");
    await replaceSections("BENCHMARKS.md", [workbookTable(figures)]);
    process.stdout.write(`${workbookTable(figures)}\n`);
    log("已更新 BENCHMARKS.md 的工作簿部分");
  }
} else if (values.rows) {
  const rows = Number(values.rows);
  if (!Number.isInteger(rows) || rows < 1) {
    process.stderr.write(`--rows 应为正整数,收到“${values.rows}”。\n`);
    process.exit(2);
  }
  const figures = await ingestBench(rows, log);
  const { rows: r, seconds, rows_per_s, papaparse_seconds, duckdb_seconds, peak_rss_mb } = figures;
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ ingest: { rows: r, seconds, rows_per_s, papaparse_seconds, duckdb_seconds, peak_rss_mb } })}\n`,
    );
  } else {
    process.stdout.write(
      `${r} 行:本系统 ${seconds} 秒(${rows_per_s} 行/秒),papaparse 仅解析 ${papaparse_seconds} 秒,DuckDB ${duckdb_seconds} 秒;` +
        `相对 DuckDB ${figures.ratio_duckdb}×,相对 papaparse ${figures.ratio_papaparse}×;峰值内存 ${peak_rss_mb} MB\n`,
    );
  }
} else if (values.web) {
  const { webSections } = await import("./suite.ts");
  const { replaceSections } = await import("./web-doc.ts");
  await replaceSections("BENCHMARKS.md", await webSections(log));
  log("已更新 BENCHMARKS.md 的门户部分");
} else if (values.ingest) {
  const { ingestSection } = await import("./suite.ts");
  const { replaceSections } = await import("./web-doc.ts");
  await replaceSections("BENCHMARKS.md", [await ingestSection(log)]);
  log("已更新 BENCHMARKS.md 的导入部分");
} else if (values.bundles) {
  const { bundlesSection } = await import("./suite.ts");
  const { replaceSections } = await import("./web-doc.ts");
  await replaceSections("BENCHMARKS.md", [await bundlesSection(log)]);
  log("已更新 BENCHMARKS.md 的函数包部分");
} else if (values.reads) {
  const { startLocalStack } = await import("../local/stack.ts");
  const { readBench, readMarkdown } = await import("./reads.ts");
  const { replaceSections } = await import("./web-doc.ts");
  const stack = await startLocalStack({ concurrency: 4, env: { LOG_LEVEL: "silent" } });
  try {
    await replaceSections("BENCHMARKS.md", [readMarkdown(await readBench(stack, log))]);
  } finally {
    await stack.stop();
  }
  log("已更新 BENCHMARKS.md 的读取部分");
} else {
  const { runSuite } = await import("./suite.ts");
  await runSuite(log);
}
