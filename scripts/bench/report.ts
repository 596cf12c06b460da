/**
 * Worst-case reports (issue 9, item 1): files at the byte and row limits (20 MB, 100,000 rows),
 * built to make the most issues — every row wrong in all 27 cells (stopped early), and just under
 * the early stop (49% of rows wrong in every figure, the rest distinct good returns).
 * Targets: peak RSS ≤ 400 MB, report ≤ 5 MB.
 */
import { execFile } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { INDICATORS } from "../../lib/domain/catalogue.ts";
import { addMonths } from "../../lib/domain/periods.ts";
import { formatCsv } from "../../lib/ingest/csv.ts";
import { templateHeader } from "../../lib/ingest/header.ts";

const run = promisify(execFile);
const worker = fileURLToPath(new URL("./report-worker.ts", import.meta.url));
const DIR = join(process.cwd(), "bench-data");
const ROWS = 100_000;
const UNITS = 1250;
const MONTHS = 80;

export interface ReportFigures {
  readonly file: string;
  readonly file_mb: number;
  readonly rows: number;
  readonly status: string;
  readonly issues_total: number;
  readonly seconds: number;
  readonly report_json_kb: number;
  readonly report_csv_kb: number;
  readonly peak_rss_mb: number;
}

const unit = (i: number) =>
  `001${String((i % 25) + 1).padStart(3, "0")}${String(Math.floor(i / 25) + 1).padStart(3, "0")}`;

async function writeFile(path: string, rows: (r: number) => readonly string[]): Promise<void> {
  if (existsSync(path)) return;
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  await write(formatCsv([templateHeader()]));
  for (let r = 0; r < ROWS; r++) await write(formatCsv([rows(r)], { bom: false }));
  out.end();
  await once(out, "finish");
}

async function files(): Promise<{ registry: string; garbage: string; partial: string }> {
  await mkdir(DIR, { recursive: true });
  const registry = join(DIR, "report-units.csv");
  if (!existsSync(registry)) {
    const lines = [
      ["单位代码", "单位名称", "上级单位代码"],
      ["001", "基准市直机关工委", ""],
    ];
    for (let a = 1; a <= 25; a++) lines.push([`001${String(a).padStart(3, "0")}`, `第${a}片区`, "001"]);
    for (let i = 0; i < UNITS; i++) lines.push([unit(i), `基准单位${i}`, unit(i).slice(0, 6)]);
    const out = createWriteStream(registry);
    out.end(formatCsv(lines));
    await once(out, "finish");
  }
  const header = templateHeader();
  const garbage = join(DIR, "report-garbage.csv");
  // Every cell wrong and as long as the byte limit allows (~200 bytes a row).
  await writeFile(garbage, () => header.map((_, i) => `错${i}`.padEnd(3, "x")));
  const partial = join(DIR, "report-partial.csv");
  const good = (r: number) => [
    unit(r % UNITS),
    addMonths("2020-01", Math.floor(r / UNITS) % MONTHS),
    ...INDICATORS.map((i) => (i.key === "members_total" ? "40" : i.key === "branches_total" ? "2" : "1")),
    "",
    "",
    "",
    "",
  ];
  // 49 rows in 100 wrong in every figure (no early stop); the others distinct good returns.
  await writeFile(partial, (r) =>
    r % 2 === 1 && r % 100 !== 99
      ? good(r).map((c, i) => (i >= 2 && i < 2 + INDICATORS.length ? "-x" : c))
      : good(r),
  );
  return { registry, garbage, partial };
}

export async function reportBench(log: (line: string) => void): Promise<ReportFigures[]> {
  const { registry, garbage, partial } = await files();
  const out: ReportFigures[] = [];
  for (const [name, file] of [
    ["every cell wrong (stopped early)", garbage],
    ["49% of rows wrong in every figure", partial],
  ] as const) {
    const { stdout } = await run(process.execPath, ["--import", "tsx", worker, file, registry], {
      maxBuffer: 1 << 20,
    });
    const figures = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as Omit<
      ReportFigures,
      "file" | "file_mb"
    >;
    const row = {
      file: name,
      file_mb: Math.round(((await stat(file)).size / 2 ** 20) * 10) / 10,
      ...figures,
    };
    log(`  ${name}: ${JSON.stringify(row)}`);
    out.push(row);
  }
  return out;
}
