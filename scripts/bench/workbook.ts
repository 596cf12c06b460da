/**
 * Workbook benchmark: the batch file's rows as an .xlsx (written once with the project's writer:
 * codes as text, figures as numbers, shared strings) validated end to end beside the same rows as
 * CSV, each in a fresh process; and zip bombs refused, with their time and peak RSS.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { INDICATORS } from "../../lib/domain/catalogue.ts";
import { parseCsvText } from "../../lib/ingest/csv.ts";
import { decodeBytes } from "../../lib/ingest/decode.ts";
import { DEFAULT_LIMITS } from "../../lib/ingest/ingest.ts";
import { type OutCell, writeWorkbook } from "../../lib/ingest/workbook.ts";
import { ensureBatchFile } from "./batch-file.ts";
import { zipBomb } from "./zip-bomb.ts";

const run = promisify(execFile);
const worker = fileURLToPath(new URL("./ingest-worker.ts", import.meta.url));

interface Measured {
  rows: number;
  seconds: number;
  peak_rss_mb: number;
  code?: string;
}

async function measure(args: readonly string[]): Promise<Measured> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", worker, ...args], {
    maxBuffer: 1 << 20,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  });
  return JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as Measured;
}

/** The CSV batch file's records as an .xlsx (cached beside it). */
async function ensureBatchWorkbook(csvPath: string): Promise<string> {
  const path = csvPath.replace(/\.csv$/, ".xlsx");
  if (existsSync(path)) return path;
  const records = parseCsvText(decodeBytes(await readFile(csvPath)).text).filter((r) =>
    r.some((c) => c !== ""),
  );
  const figures = new Set<string>(INDICATORS.map((i) => i.name));
  const header = records[0] ?? [];
  const rows = records.map((record, r) =>
    record.map((text, c): OutCell | string => {
      if (r === 0 || text === "") return text;
      if (c === 0) return { value: text, asText: true };
      return figures.has(header[c] ?? "") ? { value: Number(text) } : text;
    }),
  );
  await writeFile(`${path}.tmp`, writeWorkbook([{ name: "月报表", rows }]));
  await rename(`${path}.tmp`, path);
  return path;
}

/** The whole `dangjian validate --json` command as a user runs it: wall time and peak RSS (GNU time). */
async function cliRun(file: string, registry: string): Promise<{ seconds: number; peak_rss_mb: number }> {
  const bin = fileURLToPath(new URL("../../bin/dangjian.js", import.meta.url));
  const args = [
    "-f",
    "%e %M",
    process.execPath,
    bin,
    "validate",
    file,
    "--registry",
    registry,
    "--as-of",
    "2026-11-27",
    "--json",
  ];
  const { stderr } = await run("/usr/bin/time", args, { maxBuffer: 1 << 26 }).catch(
    (err: { stderr?: string; code?: number }) => {
      // Exit 1 (not every row accepted) still prints the timing.
      if (err.code === 1 && err.stderr) return { stderr: err.stderr };
      throw err;
    },
  );
  const [seconds, kb] = (stderr.trim().split("\n").pop() ?? "").split(" ").map(Number);
  return { seconds: seconds ?? Number.NaN, peak_rss_mb: Math.round((kb ?? 0) / 1024) };
}

export interface WorkbookFigures {
  rows: number;
  csv_mb: number;
  xlsx_mb: number;
  csv_seconds: number;
  xlsx_seconds: number;
  ratio: number;
  csv_peak_rss_mb: number;
  xlsx_peak_rss_mb: number;
  /** The whole command, process start to exit (module loading included). */
  cli: {
    csv_seconds: number;
    xlsx_seconds: number;
    ratio: number;
    csv_peak_rss_mb: number;
    xlsx_peak_rss_mb: number;
  };
  bombs: { case: string; file_mb: number; seconds: number; peak_rss_mb: number; code: string }[];
}

export async function workbookBench(
  rows = 10_000,
  log: (line: string) => void = () => {},
  dir = "bench-data",
): Promise<WorkbookFigures> {
  const batch = await ensureBatchFile(rows, dir);
  log(`把 ${rows} 行的批量文件另存为 .xlsx……`);
  const xlsx = await ensureBatchWorkbook(batch.path);
  log("测量 CSV 与 .xlsx(各自新进程,取两次中较快的一次)……");
  const best = async (file: string): Promise<Measured> => {
    const a = await measure(["pipeline", file, batch.registryPath]);
    const b = await measure(["pipeline", file, batch.registryPath]);
    if (a.rows !== rows || b.rows !== rows) throw new Error(`rows ${a.rows}/${b.rows}, expected ${rows}`);
    return a.seconds <= b.seconds ? a : b;
  };
  const csv = await best(batch.path);
  const book = await best(xlsx);
  log("测量整个 dangjian validate 命令(进程启动到退出)……");
  const bestCli = async (file: string) => {
    const a = await cliRun(file, batch.registryPath);
    const b = await cliRun(file, batch.registryPath);
    return a.seconds <= b.seconds ? a : b;
  };
  const cliCsv = await bestCli(batch.path);
  const cliXlsx = await bestCli(xlsx);

  log("生成并测量压缩炸弹……");
  const bombs: WorkbookFigures["bombs"] = [];
  const cases: { name: string; file: string; build: () => Buffer; maxBytes: number }[] = [
    {
      name: "50 MB bomb (~50 GB unpacked), default 20 MB upload limit",
      file: "bomb-50mb.xlsx",
      build: () => zipBomb({ unpackedMb: 50_000, crc: false }),
      maxBytes: DEFAULT_LIMITS.maxBytes,
    },
    {
      name: "same file, upload limit raised to 64 MB (directory check)",
      file: "bomb-50mb.xlsx",
      build: () => zipBomb({ unpackedMb: 50_000, crc: false }),
      maxBytes: 64 * 1024 * 1024,
    },
    {
      name: "50 MB bomb whose directory claims 1 MB (bounded inflate), 64 MB limit",
      file: "bomb-50mb-lying.xlsx",
      build: () => zipBomb({ unpackedMb: 50_000, crc: false, declaredBytes: 1 << 20 }),
      maxBytes: 64 * 1024 * 1024,
    },
    {
      name: "cell bomb: 90 MB unpacked, 5.9 million cells (cell count)",
      file: "bomb-cells.xlsx",
      build: () =>
        zipBomb({ unpackedMb: 90, unit: "<row><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>" }),
      maxBytes: DEFAULT_LIMITS.maxBytes,
    },
  ];
  for (const c of cases) {
    const path = join(dir, c.file);
    if (!existsSync(path)) await writeFile(path, c.build());
    const m = await measure(["reject", path, batch.registryPath, String(c.maxBytes)]);
    if (m.code !== "E_FILE_TOO_LARGE") throw new Error(`${c.name}: ${m.code ?? "accepted"}`);
    bombs.push({
      case: c.name,
      file_mb: round((await stat(path)).size / 1024 / 1024),
      seconds: round(m.seconds),
      peak_rss_mb: m.peak_rss_mb,
      code: m.code,
    });
  }
  return {
    rows,
    csv_mb: round((await stat(batch.path)).size / 1024 / 1024),
    xlsx_mb: round((await stat(xlsx)).size / 1024 / 1024),
    csv_seconds: round(csv.seconds),
    xlsx_seconds: round(book.seconds),
    ratio: round(book.seconds / csv.seconds),
    csv_peak_rss_mb: csv.peak_rss_mb,
    xlsx_peak_rss_mb: book.peak_rss_mb,
    cli: {
      csv_seconds: round(cliCsv.seconds),
      xlsx_seconds: round(cliXlsx.seconds),
      ratio: round(cliXlsx.seconds / cliCsv.seconds),
      csv_peak_rss_mb: cliCsv.peak_rss_mb,
      xlsx_peak_rss_mb: cliXlsx.peak_rss_mb,
    },
    bombs,
  };
}

/** The BENCHMARKS.md section. */
export function workbookTable(f: WorkbookFigures): string {
  const lines = [
    `## Workbooks: the same ${f.rows.toLocaleString("en")} rows as CSV and as .xlsx, validated end to end (fresh process per run, best of two)`,
    "",
    "| file | MB | ingest s | × CSV | peak RSS MB | whole `dangjian validate` s | × CSV | peak RSS MB |",
    "|---|---|---|---|---|---|---|---|",
    `| CSV | ${f.csv_mb} | ${f.csv_seconds} | 1 | ${f.csv_peak_rss_mb} | ${f.cli.csv_seconds} | 1 | ${f.cli.csv_peak_rss_mb} |`,
    `| .xlsx | ${f.xlsx_mb} | ${f.xlsx_seconds} | ${f.ratio} | ${f.xlsx_peak_rss_mb} | ${f.cli.xlsx_seconds} | ${f.cli.ratio} | ${f.cli.xlsx_peak_rss_mb} |`,
    "",
    "Targets: ≤ 3× the CSV time, peak RSS ≤ 300 MB. Ingest: decode/parse, normalise, check and pre-sum rollups, timed inside the process after start-up; the .xlsx run also unpacks the zip (bounded inflate) and reads the sheet with @e965/xlsx. Whole command: process start to exit of `dangjian validate --json` (tsx start-up, registry, report printed), wall time and peak RSS from GNU time.",
    "",
    "| zip bomb refused | file MB | seconds | peak RSS MB | code |",
    "|---|---|---|---|---|",
    ...f.bombs.map((b) => `| ${b.case} | ${b.file_mb} | ${b.seconds} | ${b.peak_rss_mb} | ${b.code} |`),
    "",
    "Target: a 50 MB zip bomb refused in ≤ 1 s with RSS ≤ 200 MB.",
    "",
  ];
  return lines.join("\n");
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
