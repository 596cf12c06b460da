/**
 * The bad-input corpus (tests/fixtures/returns/, generated once by tests/fixtures/make-corpus.ts):
 * every file through ingest + buildReport against the outcome written down in manifest.json, and a
 * handful through the real `dangjian validate --json`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Registry } from "../../lib/domain/registry.ts";
import { dangjian } from "../support/cli.ts";
import {
  ALL_CODES,
  CORPUS,
  type CorpusEntry,
  FIXTURES,
  inChunks,
  loadManifest,
  loadRegistry,
  pickValues,
  runEntry,
  UNITS_CSV,
} from "./corpus-manifest.ts";

const manifest = loadManifest();
let registry: Registry;
beforeAll(() => {
  registry = loadRegistry();
});

const sortIssues = (list: readonly (readonly [number, string])[]): [number, string][] =>
  list.map(([r, c]): [number, string] => [r, c]).sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));

describe("the corpus", () => {
  it("holds at least 40 files, each described once in manifest.json", () => {
    const files = readdirSync(CORPUS)
      .filter((f) => f !== "manifest.json")
      .sort();
    expect(files.length).toBeGreaterThanOrEqual(40);
    expect(manifest.files.map((f) => f.file).sort()).toEqual(files);
  });

  it("covers every issue code a CSV file can have, file and row, error and warning", () => {
    // Merged cells and other sheets exist only in workbooks: tests/ingest/workbooks.test.ts covers them.
    const workbookOnly = new Set(["E_MERGED_CELLS", "W_OTHER_SHEETS"]);
    const covered = new Set(manifest.files.flatMap((f) => f.expect.issues.map(([, c]) => c)));
    expect([...ALL_CODES].filter((c) => !covered.has(c as never) && !workbookOnly.has(c))).toEqual([]);
  });

  it("has files in every encoding Excel and WPS write, and binary files", () => {
    const encodings = new Set(manifest.files.map((f) => f.expect.encoding));
    expect([...encodings].sort()).toEqual(
      ["ascii", "gb18030", "utf-16le", "utf-8", "utf-8-bom", null].sort(),
    );
  });
});

describe.each(manifest.files)("corpus file $file", (entry: CorpusEntry) => {
  const e = entry.expect;

  it(`${entry.title} → ${e.status}`, async () => {
    const { result, rows, report } = await runEntry(entry, registry, manifest.asOf);
    expect(report.status).toBe(e.status);
    expect(report.encoding).toBe(e.encoding);
    expect(report.summary).toEqual(e.summary);
    expect(sortIssues(report.issues.map((i) => [i.row, i.code]))).toEqual(sortIssues(e.issues));
    expect(report.rows.map(({ row, unit, period, outcome }) => ({ row, unit, period, outcome }))).toEqual(
      e.rows,
    );
    expect(result.counts.rows).toBe(e.summary.rows);

    for (const [row, want] of Object.entries(e.values ?? {})) {
      const got = rows.find((r) => r.row === Number(row));
      expect(got, `row ${row}`).toBeDefined();
      expect(pickValues(got?.values ?? ({} as never), Object.keys(want))).toEqual(want);
    }
    for (const [row, want] of Object.entries(e.text ?? {})) {
      const got = rows.find((r) => r.row === Number(row));
      expect(got?.text, `row ${row}`).toMatchObject(want);
    }
    for (const [row, code, words] of e.messages ?? []) {
      const found = report.issues.filter((i) => i.row === row && i.code === code);
      expect(found.length, `${code} on row ${row}`).toBeGreaterThan(0);
      expect(
        found.some((i) => i.message.includes(words)),
        `${code} on row ${row} mentions “${words}”`,
      ).toBe(true);
    }
  });

  it("words every issue in Chinese, naming the spreadsheet row", async () => {
    const { report } = await runEntry(entry, registry, manifest.asOf);
    for (const i of report.issues) {
      expect(i.message).toMatch(/[\u4e00-\u9fff]/);
      if (i.row > 0) expect(i.message.startsWith(`第${i.row}行`)).toBe(true);
      expect(i.severity).toBe(i.code.startsWith("W_") ? "warning" : "error");
    }
  });

  if (entry.chunkInvariant !== false) {
    it("gives the same report however the bytes are chunked (1–13 bytes at a time)", async () => {
      const bytes = readFileSync(join(CORPUS, entry.file));
      const whole = await runEntry(entry, registry, manifest.asOf);
      for (const seed of [1, 7, 2026]) {
        const chunked = await runEntry(entry, registry, manifest.asOf, inChunks(bytes, seed, 13));
        expect(chunked.report).toEqual(whole.report);
      }
    });
  }

  if (entry.options?.history) {
    it("warns the same through the ingest history option as through applyHistory()", async () => {
      const viaIngest = await runEntry(entry, registry, manifest.asOf, undefined, "ingest");
      const viaApply = await runEntry(entry, registry, manifest.asOf, undefined, "applyHistory");
      expect(viaApply.report).toEqual(viaIngest.report);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// The real CLI.

describe("dangjian validate --json", () => {
  const cliFiles = manifest.files.filter((f) => f.cli);

  it("is exercised on accepted, partial and rejected files", () => {
    expect(new Set(cliFiles.map((f) => f.expect.status))).toEqual(
      new Set(["accepted", "partial", "rejected"]),
    );
  });

  it.each(cliFiles.map((f) => [f.file, f.cli?.exit, f] as const))(
    "%s: exits %i and prints exactly the in-process report",
    async (_file, _exit, entry) => {
      const run = await dangjian(
        "validate",
        join(CORPUS, entry.file),
        "--registry",
        UNITS_CSV,
        "--as-of",
        manifest.asOf,
        "--json",
      );
      expect(run.stderr).toBe("");
      expect(run.exit).toBe(entry.cli?.exit);
      // Exactly one JSON document: the whole of stdout parses, and it is one line.
      expect(run.stdout.endsWith("\n")).toBe(true);
      expect(run.stdout.trimEnd().includes("\n")).toBe(false);
      const report: unknown = JSON.parse(run.stdout);
      const { report: inProcess } = await runEntry(entry, registry, manifest.asOf);
      expect(report).toEqual(JSON.parse(JSON.stringify(inProcess)));
    },
  );

  const file = join(CORPUS, "01-excel-csv-utf8-bom.csv");
  it.each([
    ["without --registry", ["validate", file, "--json"]],
    [
      "for a file that does not exist",
      ["validate", join(CORPUS, "no-such-file.csv"), "--registry", UNITS_CSV],
    ],
    [
      "for an --as-of that is not a date",
      ["validate", file, "--registry", UNITS_CSV, "--as-of", "2026/11/10"],
    ],
    ["for a broken registry", ["validate", file, "--registry", join(FIXTURES, "registry", "two-roots.csv")]],
    ["for an unknown option", ["validate", file, "--registry", UNITS_CSV, "--jsn"]],
  ])("exits 2 with a Chinese message on stderr and nothing on stdout %s", async (_what, args) => {
    const run = await dangjian(...args);
    expect(run.exit).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^错误:/);
  });

  it("prints the Chinese text report without --json", async () => {
    const run = await dangjian(
      "validate",
      join(CORPUS, "24-solved-more-than-collected.csv"),
      "--registry",
      UNITS_CSV,
      "--as-of",
      manifest.asOf,
    );
    expect(run.exit).toBe(1);
    expect(run.stdout).toContain("审核结果:部分通过");
    expect(run.stdout).toContain("[W_SOLVED_GT_COLLECTED] 第2行 解决问题");
  });
});
