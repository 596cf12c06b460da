/**
 * The workbook corpus (tests/fixtures/workbooks/, made once by tests/fixtures/make-workbooks.ts with
 * the library, by LibreOffice, and by hand): every twin gives exactly its CSV file's report, every
 * workbook-only file the outcome written down in its manifest; bombs at the default limits; time
 * zones; the real CLI.
 */
import { createReadStream, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as XLSX from "@e965/xlsx";
import { beforeAll, describe, expect, it } from "vitest";
import type { Registry } from "../../lib/domain/registry.ts";
import { ingest } from "../../lib/ingest/ingest.ts";
import { buildReport, type ValidationReport } from "../../lib/ingest/report.ts";
import { zipBomb } from "../../scripts/bench/zip-bomb.ts";
import { parseAsOf } from "../../scripts/commands/validate.ts";
import { dangjian } from "../support/cli.ts";
import {
  ALL_CODES,
  type CorpusEntry,
  inChunks,
  loadManifest,
  loadRegistry,
  pickValues,
  runEntry,
  UNITS_CSV,
} from "./corpus-manifest.ts";
import { loadWorkbookManifest, WORKBOOKS, type WorkbookEntry } from "./workbook-manifest.ts";

const csvManifest = loadManifest();
const manifest = loadWorkbookManifest();
let registry: Registry;
beforeAll(() => {
  registry = loadRegistry();
});

const csvEntry = (file: string): CorpusEntry => {
  const found = csvManifest.files.find((f) => f.file === file);
  if (!found) throw new Error(`no CSV corpus entry ${file}`);
  return found;
};

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function runWorkbook(entry: WorkbookEntry, source?: AsyncIterable<Uint8Array>) {
  const result = await ingest(source ?? createReadStream(join(WORKBOOKS, entry.file)), {
    registry,
    now: parseAsOf(entry.options?.asOf ?? manifest.asOf),
    limits: entry.options?.limits,
  });
  return { result, report: buildReport(result, result.rows, result.counts) };
}

/** The twin's report and its CSV file's, both without the encoding (a workbook has none). */
async function twinReports(entry: WorkbookEntry, source?: AsyncIterable<Uint8Array>) {
  const csv = csvEntry(entry.twin as string);
  const fromCsv = await runEntry(csv, registry, csvManifest.asOf);
  const fromWorkbook = await runEntry(
    csv,
    registry,
    csvManifest.asOf,
    source ?? createReadStream(join(WORKBOOKS, entry.file)),
  );
  const plain = (r: ValidationReport) => ({ ...r, encoding: entry.format === "csv" ? r.encoding : null });
  return { csv: plain(fromCsv.report), workbook: fromWorkbook.report, format: fromWorkbook.result.format };
}

const sortIssues = (list: readonly (readonly [number, string])[]): [number, string][] =>
  list.map(([r, c]): [number, string] => [r, c]).sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));

describe("the workbook corpus", () => {
  it("describes every file once, from all three writers and in every format", () => {
    const files = readdirSync(WORKBOOKS)
      .filter((f) => f !== "manifest.json")
      .sort();
    expect(manifest.files.map((f) => f.file).sort()).toEqual(files);
    expect(files.length).toBeGreaterThanOrEqual(60);
    expect(new Set(manifest.files.map((f) => f.writer))).toEqual(new Set(["sheetjs", "libreoffice", "hand"]));
    const extensions = new Set(files.map((f) => f.slice(f.lastIndexOf("."))));
    for (const ext of [".xlsx", ".xls", ".xlsm", ".ods"]) expect(extensions, ext).toContain(ext);
    expect(new Set(manifest.files.map((f) => f.format))).toEqual(new Set(["xlsx", "xls", "csv"]));
  });

  it("has a workbook twin for every CSV corpus file that makes sense as a workbook, and says why not for the rest", () => {
    const twinned = new Set(manifest.files.map((f) => f.twin).filter(Boolean));
    for (const csv of csvManifest.files) {
      const reason = manifest.noTwin[csv.file];
      expect(twinned.has(csv.file) !== (reason !== undefined), csv.file).toBe(true);
      if (reason) expect(reason).toMatch(/[\u4e00-\u9fff]/);
    }
    // More than one writer for some of them: LibreOffice's files are not the library's own output.
    expect(manifest.files.filter((f) => f.twin && f.writer === "libreoffice").length).toBeGreaterThanOrEqual(
      8,
    );
  });

  it("with the CSV corpus covers every issue code", () => {
    const covered = new Set<string>([
      ...csvManifest.files.flatMap((f) => f.expect.issues.map(([, c]) => c)),
      ...manifest.files.flatMap((f) => [
        ...(f.expect?.fileIssues.map(([, c]) => c) ?? []),
        ...(f.expect?.rows.flatMap((r) => r.issues) ?? []),
      ]),
    ]);
    expect(ALL_CODES.filter((c) => !covered.has(c))).toEqual([]);
  });
});

const twins = manifest.files.filter((f) => f.twin);
const others = manifest.files.filter((f) => !f.twin);

describe.each(twins)("workbook twin $file", (entry) => {
  it(`gives exactly the report of ${entry.twin}`, async () => {
    const { csv, workbook, format } = await twinReports(entry);
    expect(format).toBe(entry.format);
    expect(workbook).toEqual(csv);
  });
});

describe.each(others)("workbook $file", (entry) => {
  const e = entry.expect as NonNullable<WorkbookEntry["expect"]>;

  it(`${entry.title} → ${e.status}`, async () => {
    const { result, report } = await runWorkbook(entry);
    expect(result.format).toBe(entry.format);
    expect(report.status).toBe(e.status);
    expect(report.encoding).toBe(null);
    const summary = { rows: e.rows.length, accepted: 0, needs_explanation: 0, rejected: 0 };
    for (const r of e.rows) summary[r.outcome]++;
    expect(report.summary).toEqual(summary);
    expect(report.rows.map(({ row, unit, period, outcome }) => ({ row, unit, period, outcome }))).toEqual(
      e.rows.map(({ issues: _issues, ...r }) => r),
    );
    const wanted = [
      ...e.fileIssues,
      ...e.rows.flatMap((r) => r.issues.map((c): [number, string] => [r.row, c])),
    ];
    expect(sortIssues(report.issues.map((i) => [i.row, i.code]))).toEqual(sortIssues(wanted));
    for (const [row, want] of Object.entries(e.values ?? {})) {
      const got = result.rows.find((r) => r.row === Number(row));
      expect(pickValues(got?.values ?? ({} as never), Object.keys(want)), `row ${row}`).toEqual(want);
    }
    for (const [row, code, words] of e.messages ?? []) {
      const found = report.issues.filter((i) => i.row === row && i.code === code);
      expect(
        found.some((i) => i.message.includes(words)),
        `${code} on row ${row} mentions “${words}”: ${found.map((i) => i.message).join(" / ")}`,
      ).toBe(true);
    }
    for (const i of report.issues) {
      expect(i.message).toMatch(/[\u4e00-\u9fff]/);
      if (i.row > 0) expect(i.message.startsWith(`第${i.row}行`)).toBe(true);
    }
  });
});

describe("reading workbooks", () => {
  it("gives the same report however the bytes arrive (1–13 bytes at a time)", async () => {
    for (const file of [
      "t01-excel-csv-utf8-bom.xlsx",
      "w08-merged-cells-in-data.xlsx",
      "t13-unit-unknown-missing-or-rollup.xls",
    ]) {
      const entry = manifest.files.find((f) => f.file === file) as WorkbookEntry;
      const bytes = readFileSync(join(WORKBOOKS, file));
      const whole = entry.twin ? (await twinReports(entry)).workbook : (await runWorkbook(entry)).report;
      const chunked = entry.twin
        ? (await twinReports(entry, inChunks(bytes, 7, 13))).workbook
        : (await runWorkbook(entry, inChunks(bytes, 7, 13))).report;
      expect(chunked, file).toEqual(whole);
    }
  });

  it("reads date cells by the calendar whatever the machine's time zone", async () => {
    const entry = manifest.files.find((f) => f.file === "w06-period-date-cells.xlsx") as WorkbookEntry;
    const before = process.env.TZ;
    try {
      const reports: ValidationReport[] = [];
      for (const zone of ["Asia/Shanghai", "America/Los_Angeles", "UTC"]) {
        process.env.TZ = zone;
        // The zone really is in force: 1 October 2026, local midnight, is not UTC midnight except in UTC.
        expect(new Date(2026, 9, 1).getTimezoneOffset()).toBe(
          { "Asia/Shanghai": -480, "America/Los_Angeles": 420, UTC: 0 }[zone],
        );
        reports.push((await runWorkbook(entry)).report);
      }
      expect(reports[0]?.rows.map((r) => r.period)).toEqual(entry.expect?.rows.map((r) => r.period));
      expect(reports[1]).toEqual(reports[0]);
      expect(reports[2]).toEqual(reports[0]);
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it.each([
    ["a 300 MB worksheet (honest sizes)", { unpackedMb: 300 }, "解压后超过100MB"],
    [
      "a worksheet that lies about its size (1 KB declared, 300 MB real)",
      { unpackedMb: 300, declaredBytes: 1024 },
      "记录的大小",
    ],
    [
      "2.6 million cells in 50 MB",
      { unpackedMb: 50, unit: "<row><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>" },
      "单元格超过2000000个",
    ],
  ])("refuses a zip bomb at the default limits: %s", async (_what, options, words) => {
    const bytes = zipBomb(options);
    expect(bytes.length).toBeLessThan(1024 * 1024);
    const result = await ingest(once(bytes), { registry, now: new Date() });
    expect(result.fileIssues.map((i) => i.code)).toEqual(["E_FILE_TOO_LARGE"]);
    expect(result.fileIssues[0]?.message).toContain(words);
    expect(result.rows).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe("dangjian validate on workbooks", () => {
  const cliFiles = manifest.files.filter((f) => f.cli !== undefined);
  it.each(cliFiles.map((f) => [f.file, f] as const))(
    "%s: prints exactly the in-process report",
    async (_file, entry) => {
      const run = await dangjian(
        "validate",
        join(WORKBOOKS, entry.file),
        "--registry",
        UNITS_CSV,
        "--as-of",
        manifest.asOf,
        "--json",
      );
      expect(run.stderr).toBe("");
      expect(run.exit).toBe(entry.cli);
      expect(JSON.parse(run.stdout)).toEqual(JSON.parse(JSON.stringify((await runWorkbook(entry)).report)));
    },
  );

  it("writes the annotated workbook with --annotate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dangjian-annotate-"));
    const out = join(dir, "审核意见.xlsx");
    const run = await dangjian(
      "validate",
      join(WORKBOOKS, "w07-unit-code-as-number.xlsx"),
      "--registry",
      UNITS_CSV,
      "--as-of",
      manifest.asOf,
      "--annotate",
      out,
    );
    expect(run.exit).toBe(1);
    expect(run.stderr).toContain(out);
    const book = XLSX.read(readFileSync(out));
    expect(book.SheetNames).toEqual(["月报表", "问题清单"]);
    const rows = XLSX.utils.sheet_to_json<string[]>(book.Sheets.月报表 as XLSX.WorkSheet, {
      header: 1,
      raw: false,
    });
    expect(rows[1]?.at(-1)).toBe("未通过");
    expect(rows[1]?.at(-2)).toContain("001001001");
  });

  it("names the sheet it read and the other sheet in the Chinese text report", async () => {
    const run = await dangjian(
      "validate",
      join(WORKBOOKS, "w01-return-sheet-not-first.xlsx"),
      "--registry",
      UNITS_CSV,
      "--as-of",
      manifest.asOf,
    );
    expect(run.exit).toBe(0);
    expect(run.stdout).toContain("审核结果:全部通过");
    expect(run.stdout).toContain("[W_OTHER_SHEETS]");
    expect(run.stdout).toContain("“历史数据”");
  });
});
