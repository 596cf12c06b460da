/**
 * The annotated report (reports/{uploadId}.xlsx), read back with the spreadsheet library for every
 * file of both corpora: it opens, and carries every issue of the JSON report — in 问题清单 line by line,
 * in the 审核意见 column of its row, as a comment on the offending cell — with the rows where they were.
 */
import { createReadStream } from "node:fs";
import { join } from "node:path";
import * as XLSX from "@e965/xlsx";
import { beforeAll, describe, expect, it } from "vitest";
import { INDICATORS } from "../../lib/domain/catalogue.ts";
import { addMonths } from "../../lib/domain/periods.ts";
import type { Registry } from "../../lib/domain/registry.ts";
import { annotatedReport } from "../../lib/ingest/annotate.ts";
import { formatCsv } from "../../lib/ingest/csv.ts";
import { templateHeader } from "../../lib/ingest/header.ts";
import { ingest } from "../../lib/ingest/ingest.ts";
import { OUTCOME_NAMES } from "../../lib/ingest/issues.ts";
import { parseRegistryFile } from "../../lib/ingest/registry-file.ts";
import { buildReport, REPORT_LIMITS, type ValidationReport } from "../../lib/ingest/report.ts";
import { parseAsOf } from "../../scripts/commands/validate.ts";
import { figures } from "../support/returns.ts";
import { registryCsv, unitCodes } from "../support/stack.ts";
import { CORPUS, loadManifest, loadRegistry, runEntry } from "./corpus-manifest.ts";
import { loadWorkbookManifest, WORKBOOKS } from "./workbook-manifest.ts";

const csvManifest = loadManifest();
const workbookManifest = loadWorkbookManifest();
let registry: Registry;
beforeAll(() => {
  registry = loadRegistry();
});

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

interface Cell {
  v?: unknown;
  t?: string;
  f?: string;
  c?: { t: string }[];
}

function readBack(bytes: Uint8Array) {
  const book = XLSX.read(bytes, { dense: true, cellFormula: true });
  expect(book.SheetNames).toEqual(["月报表", "问题清单"]);
  const data = ((book.Sheets.月报表 as XLSX.WorkSheet)["!data"] ?? []) as (Cell[] | undefined)[];
  const list = XLSX.utils.sheet_to_json<(string | number)[]>(book.Sheets.问题清单 as XLSX.WorkSheet, {
    header: 1,
    raw: true,
  });
  return { data, list };
}

const withoutRow = (message: string): string => message.replace(/^第\d+行\s?/, "");

/** Every issue of the report, found where it belongs in the annotated workbook. */
function expectEveryIssue(report: ValidationReport, bytes: Uint8Array): void {
  const { data, list } = readBack(bytes);
  const [head, ...lines] = list;
  expect(head).toEqual(["行号", "单位代码", "列", "问题代码", "类别", "说明"]);
  expect(lines.map((l) => [l[0], l[3], l[5]])).toEqual(
    report.issues.map((i) => [i.row > 0 ? i.row : "全文件", i.code, i.message]),
  );
  const headerRow = data.findIndex((r) => r?.some((c) => String(c?.v ?? "").startsWith("审核意见")));
  if (headerRow < 0) {
    // Nothing could be read from the file: the first sheet says so and only file issues exist.
    expect(String(data[0]?.[0]?.v)).toContain("问题清单");
    return;
  }
  const header = data[headerRow] as Cell[];
  const opinion = header.findIndex((c) => String(c?.v ?? "").startsWith("审核意见"));
  expect(header[opinion + 1]?.v).toBe("状态");
  for (const i of report.issues.filter((x) => x.row > 0)) {
    const cells = data[i.row - 1] as Cell[] | undefined;
    expect(cells, `row ${i.row} present`).toBeDefined();
    const words = withoutRow(i.message);
    const opinionText =
      i.row - 1 === headerRow ? (cells?.[opinion]?.c?.[0]?.t ?? "") : String(cells?.[opinion]?.v ?? "");
    const comments = (cells ?? []).flatMap((c) => c?.c?.map((x) => x.t) ?? []).join("\n");
    expect(`${opinionText}\n${comments}`, `row ${i.row} ${i.code}`).toContain(words);
    if (i.row - 1 !== headerRow && i.column) {
      // The offending cell carries the message as a comment when the column is one of the return's.
      const commented = (cells ?? []).filter((c) => c?.c?.some((x) => x.t.includes(words)));
      if (["单位代码", "报送期间"].includes(i.column) || INDICATORS.some((d) => d.name === i.column)) {
        expect(commented.length, `comment for ${i.code} on row ${i.row}`).toBeGreaterThan(0);
      }
    }
  }
  for (const r of report.rows) {
    expect((data[r.row - 1] as Cell[])[opinion + 1]?.v, `状态 of row ${r.row}`).toBe(
      OUTCOME_NAMES[r.outcome],
    );
  }
  // No cell of the sheet is a formula, whatever the unit typed (=HYPERLINK(…) stays text).
  expect(data.flatMap((r) => r ?? []).some((c) => c?.f !== undefined)).toBe(false);
}

describe("the annotated report", () => {
  it.each(csvManifest.files.map((f) => [f.file, f] as const))(
    "CSV %s: opens and carries every issue of the JSON report",
    async (_file, entry) => {
      const { report } = await runEntry(entry, registry, csvManifest.asOf);
      const bytes = await annotatedReport(
        createReadStream(join(CORPUS, entry.file)),
        report,
        entry.options?.limits,
      );
      expectEveryIssue(report, bytes);
    },
  );

  it.each(workbookManifest.files.map((f) => [f.file, f] as const))(
    "workbook %s: opens and carries every issue of the JSON report",
    async (_file, entry) => {
      const options = entry.twin
        ? csvManifest.files.find((c) => c.file === entry.twin)?.options
        : entry.options;
      const result = await ingest(createReadStream(join(WORKBOOKS, entry.file)), {
        registry,
        now: parseAsOf(options?.asOf ?? csvManifest.asOf),
        limits: options?.limits,
        uploaderScope: options && "uploaderScope" in options ? options.uploaderScope : undefined,
      });
      const report = buildReport(result, result.rows, result.counts);
      const bytes = await annotatedReport(
        createReadStream(join(WORKBOOKS, entry.file)),
        report,
        options?.limits,
      );
      expectEveryIssue(report, bytes);
    },
  );

  it("keeps the rows where they were: title rows above, merged title, same row numbers as the file", async () => {
    const entry = workbookManifest.files.find((f) => f.file === "w03-four-merged-title-rows.xlsx");
    const result = await ingest(createReadStream(join(WORKBOOKS, entry?.file ?? "")), {
      registry,
      now: parseAsOf(csvManifest.asOf),
    });
    const report = buildReport(result, result.rows, result.counts);
    const { data } = readBack(
      await annotatedReport(createReadStream(join(WORKBOOKS, entry?.file ?? "")), report),
    );
    expect(data[0]?.[0]?.v).toBe("2026年10月市直机关党建工作月报表");
    expect(data[4]?.[0]?.v).toBe("单位代码");
    for (const r of report.rows) expect((data[r.row - 1] as Cell[])[0]?.v).toBe(r.unit);
    // Codes stay text (leading zeros), figures are numbers again.
    expect((data[5] as Cell[])[0]?.t).toBe("s");
    expect((data[5] as Cell[])[3]?.t).toBe("n");
  });

  it("can be corrected and uploaded again as it is: its own columns and 问题清单 are ignored", async () => {
    const entry = csvManifest.files.find((f) => f.file === "01-excel-csv-utf8-bom.csv");
    if (!entry) throw new Error("corpus file 01 missing");
    const { report } = await runEntry(entry, registry, csvManifest.asOf);
    const bytes = await annotatedReport(createReadStream(join(CORPUS, entry.file)), report);
    const again = await ingest(once(bytes), { registry, now: parseAsOf(csvManifest.asOf) });
    expect(buildReport(again, again.rows, again.counts)).toEqual({ ...report, encoding: null });
  });

  it(`lists the report's rows (the first ${REPORT_LIMITS.rows}) and every row with an issue, at their own row numbers`, async () => {
    const big = parseRegistryFile(new TextEncoder().encode(registryCsv(20, 100)));
    if (!big.ok) throw new Error("registry");
    const units = unitCodes(20, 100);
    const lines: (string | number)[][] = [templateHeader()];
    for (let m = 0; m < 11; m++) {
      for (const [u, unit] of units.entries()) {
        const v = figures(m, u);
        lines.push([unit, addMonths("2025-10", m), ...INDICATORS.map((i) => v[i.key]), "", "", "张三", ""]);
      }
    }
    const badRows = [2, 9_999, lines.length];
    for (const r of badRows) (lines[r - 1] as (string | number)[])[3] = -1;
    const bytes = new TextEncoder().encode(formatCsv(lines));
    const result = await ingest(once(bytes), { registry: big.registry, now: parseAsOf("2026-11-10") });
    const report = buildReport(result, result.rows, result.counts);
    expect(report.summary.rows).toBeGreaterThan(REPORT_LIMITS.rows);
    const { data } = readBack(await annotatedReport(once(bytes), report));
    const present = data.flatMap((r, i) => (r?.length ? [i + 1] : []));
    const listed = Array.from({ length: REPORT_LIMITS.rows }, (_, i) => i + 2);
    expect(present).toEqual([1, ...listed, ...badRows.filter((r) => r > REPORT_LIMITS.rows + 1)]);
    const label = data[0]?.find((c) => String(c?.v).startsWith("审核意见"))?.v;
    expect(String(label)).toContain("只列出审核报告中的行");
    expectEveryIssue(report, await annotatedReport(once(bytes), report));
  }, 60_000);
});
