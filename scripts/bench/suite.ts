/**
 * The full benchmark suite (npm run bench): every figure the issues ask for, measured on this
 * machine in one run, written to BENCHMARKS.md with the machine and the date.
 */
import { writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { composeBulletin, loadWording, renderBulletinPdf } from "../../lib/bulletin/index.ts";
import { gatherBulletinInput } from "../../lib/bulletin/service.ts";
import { addMonths, monthOf } from "../../lib/domain/periods.ts";
import { importRegistry } from "../../lib/ingest/registry-import.ts";
import { generateSample } from "../../lib/sample/index.ts";
import { startLocalStack } from "../local/stack.ts";
import { bundleFigures } from "./bundles.ts";
import { deadlineBurst } from "./burst.ts";
import { cliBench } from "./cli.ts";
import { ingestBench } from "./ingest.ts";
import { uploadLatency } from "./latency.ts";
import { reportBench } from "./report.ts";
import { workbookBench, workbookTable } from "./workbook.ts";
import { batchCosts, bigMonth, round } from "./writes.ts";

type Log = (line: string) => void;

/** The ingest section: each size in a fresh process, beside papaparse parse-only and DuckDB. */
export async function ingestSection(
  log: Log,
  sizes: readonly number[] = [100_000, 1_000_000, 3_000_000],
): Promise<string> {
  log("== 导入基准(本系统 / papaparse / DuckDB)");
  const ingest = [];
  for (const rows of sizes) ingest.push(await ingestBench(rows, log));
  return table(
    "Ingest: decode + parse + validate + aggregate (one batch file, fresh process per run)",
    [
      "rows",
      "file MB",
      "ours s",
      "rows/s",
      "papaparse s",
      "DuckDB s",
      "× DuckDB",
      "× papaparse",
      "peak RSS MB",
    ],
    ingest.map((f) => [
      f.rows,
      f.file_mb,
      f.seconds,
      f.rows_per_s,
      f.papaparse_seconds,
      f.duckdb_seconds,
      f.ratio_duckdb,
      f.ratio_papaparse,
      f.peak_rss_mb,
    ]),
    "Targets at 1M rows: ≤ 3× DuckDB, ≤ 1.5× papaparse parse-only, peak RSS ≤ 200 MB and flat in file size.",
  );
}

export async function runSuite(
  log: Log,
  sizes: readonly number[] = [100_000, 1_000_000, 3_000_000],
): Promise<void> {
  const started = new Date();
  const sections: string[] = [];
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;

  sections.push(await ingestSection(log, sizes));

  log("== 命令行启动时间");
  const cli = await cliBench(log);
  sections.push(
    table(
      "Command line: whole-process time of the commands people type (10 runs; from source 3)",
      ["command", "how", "p50 ms", "min ms", "max ms"],
      cli.map((c) => [c.command, c.how, c.p50_ms, c.min_ms, c.max_ms]),
      "Targets: `npx dangjian --help` ≤ 300 ms, `validate` of a one-row file ≤ 600 ms. The bundle is built by npm's prepare at install.",
    ),
  );

  log("== 最坏情况的审核报告(20 MB、10万行的错误文件)");
  const reports = await reportBench(log);
  sections.push(
    table(
      "Worst-case validation reports (files at the byte and row limits, fresh process each)",
      [
        "file",
        "file MB",
        "rows read",
        "status",
        "issues found",
        "seconds",
        "report JSON KB",
        "report CSV KB",
        "peak RSS MB",
      ],
      reports.map((r) => [
        r.file,
        r.file_mb,
        r.rows,
        r.status,
        r.issues_total,
        r.seconds,
        r.report_json_kb,
        r.report_csv_kb,
        r.peak_rss_mb,
      ]),
      "Targets: peak RSS ≤ 400 MB and report ≤ 5 MB whatever the input (first 1,000 issues kept whole, all counted).",
    ),
  );

  log("== 工作簿基准(同样的行:CSV 与 .xlsx;压缩炸弹)");
  sections.push(workbookTable(await workbookBench(10_000, log)));

  log("== 启动本地环境(DynamoDB Local + S3 模拟器)");
  const stack = await startLocalStack({ concurrency: 4, env: { LOG_LEVEL: "silent" } });
  try {
    const handler = (await import("../../functions/validate.ts")).services.metrics;

    log("== DynamoDB 写入量");
    const costs = await batchCosts(stack, [1, 50, 500]);
    sections.push(
      table(
        "DynamoDB writes per accepted return (batch file processed once)",
        [
          "units in file",
          "write requests",
          "per return",
          "transactions",
          "consumed WCU",
          "WCU per return",
          "seconds",
        ],
        costs.map((c) => [
          c.units,
          c.write_requests,
          c.per_return,
          c.transactions,
          c.consumed_wcu,
          c.wcu_per_return,
          c.seconds,
        ]),
        "Write requests count every item written: the three upload-record puts, return items and rollup updates (transaction items). Target for 500 units: ≤ 1.3 per return. Transactional writes cost 2 WCU per item.",
      ),
    );

    log("== 上传到汇总可见的延迟");
    const latency = await uploadLatency(stack);
    sections.push(
      table(
        "Upload → rollup visible (one-unit file, S3 PUT to rollup read)",
        ["samples", "p50 ms", "p95 ms", "max ms"],
        [[latency.samples, latency.p50_ms, latency.p95_ms, latency.max_ms]],
        "Target p50 ≤ 1 s.",
      ),
    );

    log("== 一万个单位的一个月(100个片区批量文件,经 S3 事件)");
    const big = await bigMonth(stack, handler);
    sections.push(
      table(
        "A 10,000-unit month end to end on the local stack",
        ["units", "files", "seconds", "returns/s", "write requests", "per return"],
        [[big.units, big.files, big.seconds, big.returns_per_second, big.write_requests, big.per_return]],
      ),
    );

    log("== 报送截止前的集中上报(缩小规模)");
    const burst = await deadlineBurst(stack, handler, log);
    sections.push(burst.markdown);

    log("== 内置示例数据与简报");
    await stack.resetTable();
    const now = new Date();
    const sample = generateSample({ endMonth: addMonths(monthOf(now), -1), now });
    const reg = await importRegistry(
      new TextEncoder().encode(sample.unitsCsv),
      stack.services.stores.registry,
    );
    if (!reg.ok) throw new Error("sample registry rejected");
    stack.services.invalidateRegistry();
    const loadStarted = performance.now();
    for (const f of sample.files) {
      await stack.put(
        `incoming/${f.scope}/${f.period}/s${f.name.replace(/[^A-Za-z0-9]/g, "").slice(-40)}.csv`,
        f.bytes,
        {
          submittedAt: f.submittedAt,
        },
      );
    }
    await stack.drain();
    const loadSeconds = round((performance.now() - loadStarted) / 1000);
    const latest = (await stack.services.stores.rollups.latestMonth(reg.root)) as string;
    const deps = {
      returns: stack.services.stores.returns,
      rollups: stack.services.stores.rollups,
      registry: await stack.services.registry(),
      deadlineDay: 5,
    };
    const wording = await loadWording();
    const renders: { ms: number; kb: number; pages: number }[] = [];
    for (let i = 0; i < 4; i++) {
      const input = await gatherBulletinInput(deps, reg.root, latest, 10, "2026-11-06");
      const t = performance.now();
      const { pdf, pages } = await renderBulletinPdf(composeBulletin(input, wording));
      renders.push({ ms: performance.now() - t, kb: pdf.byteLength / 1024, pages });
    }
    const warm = renders
      .slice(1)
      .map((r) => r.ms)
      .sort((a, b) => a - b);
    sections.push(
      table(
        `Built-in sample (${sample.summary.files} files, ${sample.summary.units} units × ${sample.summary.months.length} months) and its latest bulletin`,
        ["load through S3 s", "render first ms", "render warm median ms", "PDF KB", "pages"],
        [
          [
            loadSeconds,
            Math.round(renders[0]?.ms ?? 0),
            Math.round(warm[1] ?? 0),
            Math.round(renders[0]?.kb ?? 0),
            renders[0]?.pages ?? 0,
          ],
        ],
        "Render = compose + pdfmake with subset fonts and ECharts SVG charts. Targets: ≤ 1.5 s and ≤ 600 KB.",
      ),
    );

    log("== 查询接口基准(50并发)");
    const api = await apiFigures(stack, reg.root, latest, log);
    if (api) sections.push(api);

    log("== 读取量随单位名册规模的变化(63 / 2,000 / 20,000 个单位,关闭缓存)");
    const { readBench, readMarkdown } = await import("./reads.ts");
    sections.push(readMarkdown(await readBench(stack, log)));
  } finally {
    await stack.stop();
  }

  sections.push(...(await webSections(log)));

  sections.push(await bundlesSection(log));

  const doc = [
    "# Benchmarks",
    "",
    `Measured ${started.toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine}; reproduce with \`npm run bench\`.`,
    "DynamoDB and S3 figures come from DynamoDB Local and s3rver on this machine: they show request counts and",
    "relative behaviour, not AWS latencies.",
    "",
    ...sections,
  ].join("\n");
  await writeFile("BENCHMARKS.md", `${doc}\n`);
  log("已写入 BENCHMARKS.md");
}

async function apiFigures(
  stack: Awaited<ReturnType<typeof startLocalStack>>,
  root: string,
  month: string,
  log: Log,
): Promise<string | undefined> {
  const { apiBench } = await import("./api.ts");
  const f = await apiBench(stack, root, month, log);
  return table(
    "API: GET /v1/aggregates (root scope, latest month) at 50 concurrent connections, 10 s",
    ["requests", "req/s", "p50 ms", "p99 ms", "mean ms", "errors"],
    [[f.requests, f.rps, f.p50, f.p99, f.mean, f.errors]],
    "Target p99 ≤ 50 ms.",
  );
}

/** Bundle sizes and init times (also run alone by `npm run bench -- --bundles`). */
export async function bundlesSection(log: Log): Promise<string> {
  log("== 函数包大小与初始化时间");
  const bundles = await bundleFigures();
  return table(
    "Lambda bundles (esbuild, deflated as in the deployment zip, fonts aside) and init time (fresh Node process, median of 5)",
    ["function", "raw KB", "zipped KB", "init ms"],
    bundles.map((b) => [b.fn, b.raw_kb, b.zipped_kb, b.init_ms_median]),
    "Targets: ≤ 1.5 MB zipped, ≤ 150 ms init. The bulletin function also ships four whole TTF fonts (~29 MB, not counted; pdfmake subsets them per PDF).",
  );
}

/** The portal's sections (also run alone by `npm run bench -- --web`). */
export async function webSections(log: Log): Promise<string[]> {
  const { webBench } = await import("./web.ts");
  const f = await webBench(log);
  return [
    table(
      `Portal pages on the local stack (built-in sample, ${f.units} units × 13 months; 60 sequential requests each after 3 warm-up)`,
      [
        "page",
        "path",
        "status",
        "p50 ms",
        "p95 ms",
        "target p95 ms",
        "its API request alone p95 ms",
        "first load KB (gzip)",
        "cached KB (gzip)",
      ],
      f.pages.map((p) => [
        p.page,
        p.path,
        p.status,
        p.p50,
        p.p95,
        p.target,
        p.apiP95 ?? "",
        p.firstKb,
        p.cachedKb,
      ]),
      "Server time = loopback round trip to the local HTTP server (authorizer with the session cookie, the page handler, " +
        "its in-process API calls, DynamoDB Local). First load = the HTML plus the CSS and scripts it links, gzip; " +
        "cached = the HTML alone (assets have content-hashed names and a one-year immutable cache). " +
        "The trend page makes that API request once per month, 12 times; charts.js loads it after the 汇总 page.",
    ),
    table(
      "Portal packages (deflated as in the deployment zip)",
      ["package", "zipped KB", "target"],
      [
        ["api (JSON API + portal pages + asset manifest)", f.apiKb, "≤ 600"],
        ["assets (GET /assets/*: portal.js, charts.js with ECharts, portal.css)", f.assetsKb, "—"],
      ],
      "ECharts (line + bar + grid + tooltip, SVG renderer, through echarts/core) is served by the small assets function, so it is not in the API package.",
    ),
  ];
}

function table(title: string, head: string[], rows: (string | number)[][], note?: string): string {
  const lines = [`## ${title}`, "", `| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const r of rows) lines.push(`| ${r.join(" | ")} |`);
  if (note) lines.push("", note);
  lines.push("");
  return lines.join("\n");
}

export { table };
