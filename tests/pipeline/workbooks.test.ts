/**
 * Workbook uploads through the real S3 emulator and handlers: the .xlsx and .xls suffixes trigger
 * the same pipeline, a batch with conflicting duplicate rows stores neither copy, every upload gets
 * its three reports, and other suffixes under incoming/ trigger nothing.
 */
import * as XLSX from "@e965/xlsx";
import { describe, expect, it } from "vitest";
import { INDICATORS, type Values } from "../../lib/domain/catalogue.ts";
import type { ValidationReport } from "../../lib/ingest/report.ts";
import { figures, returnWorkbook } from "../support/returns.ts";
import { loadRegistry, registryCsv, useLocalStack } from "../support/stack.ts";

const stackOf = useLocalStack();

function sum(rows: readonly Values[]): Values {
  const out = Object.fromEntries(INDICATORS.map((i) => [i.key, 0])) as Values;
  for (const v of rows)
    for (const i of INDICATORS) out[i.key] = Math.round((out[i.key] + v[i.key]) * 100) / 100;
  return out;
}

describe("Pipeline: workbooks through S3", () => {
  it("stores neither copy of a conflicting duplicate, the rest as usual, and writes three reports", async () => {
    const stack = stackOf();
    await stack.resetTable();
    await loadRegistry(stack, registryCsv(1, 4));
    const a = figures(1, 0);
    const b = figures(2, 1);
    const c = figures(3, 2);
    const file = returnWorkbook([
      { unit: "001001001", period: "2026-10", values: a },
      { unit: "001001002", period: "2026-10", values: b },
      { unit: "001001002", period: "2026-10", values: { ...b, sanhui_yike: b.sanhui_yike + 1 } },
      { unit: "001001003", period: "2026-10", values: c },
      { unit: "001001003", period: "2026-10", values: c },
    ]);
    const key = "incoming/001001/2026-10/wbdup00001.xlsx";
    await stack.put(key, file, { submittedAt: "2026-11-03T02:00:00.000Z" });
    await stack.drain();
    expect(stack.deadLetters).toEqual([]);

    const upload = await stack.services.stores.uploads.getUpload("wbdup00001");
    expect(upload?.status).toBe("aggregated");
    expect(upload?.summary).toEqual({ rows: 5, accepted: 2, needs_explanation: 0, rejected: 3 });
    const [oct] = await stack.services.stores.rollups.rollups("001", "2026-10", "2026-10");
    expect(oct?.values).toEqual(sum([a, c]));
    expect(oct?.reported).toBe(2);
    expect(await stack.services.stores.returns.unitReturns("001001002")).toEqual([]);

    const report = JSON.parse(
      new TextDecoder().decode(await stack.services.objects.getBytes("reports/wbdup00001.json")),
    ) as ValidationReport;
    expect(report.issues.map((i) => [i.row, i.code])).toEqual([
      [3, "E_DUPLICATE_ROW"],
      [4, "E_DUPLICATE_ROW"],
      [6, "E_DUPLICATE_ROW"],
    ]);
    expect(await stack.services.objects.exists(key)).toBe(true);
    expect(await stack.services.objects.exists("reports/wbdup00001.csv")).toBe(true);
    const annotated = XLSX.read(await stack.services.objects.getBytes("reports/wbdup00001.xlsx"));
    expect(annotated.SheetNames).toEqual(["月报表", "问题清单"]);
  }, 60_000);

  it("reads a .xls key the same way, and ignores other suffixes under incoming/", async () => {
    const stack = stackOf();
    await stack.resetTable();
    await loadRegistry(stack, registryCsv(1, 2));
    const v = figures(4, 0);
    const rows = [
      ["单位代码", "报送期间", ...INDICATORS.map((i) => i.name)],
      ["001001001", "2026-09", ...INDICATORS.map((i) => v[i.key])],
    ];
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), "月报表");
    const xls = new Uint8Array(XLSX.write(book, { type: "buffer", bookType: "biff8" }) as Buffer);
    await stack.put("incoming/001001001/2026-09/wbxls00001.xls", xls, {
      submittedAt: "2026-10-03T02:00:00.000Z",
    });
    await stack.put("incoming/001001001/2026-09/wbpdf00001.pdf", new TextEncoder().encode("%PDF-1.7"), {
      submittedAt: "2026-10-03T02:00:00.000Z",
    });
    await stack.drain();
    expect((await stack.services.stores.uploads.getUpload("wbxls00001"))?.status).toBe("aggregated");
    expect(await stack.services.stores.uploads.getUpload("wbpdf00001")).toBeUndefined();
    const [stored] = await stack.services.stores.returns.unitReturns("001001001");
    expect(stored?.values).toEqual(v);
  }, 60_000);
});
