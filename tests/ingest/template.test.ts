/**
 * The Excel template (lib/ingest/template.ts), read back with the library: what the validator reads
 * in 月报表, and a 填报说明 generated from the catalogue and the rules.
 */
import * as XLSX from "@e965/xlsx";
import { describe, expect, it } from "vitest";
import { INDICATORS } from "../../lib/domain/catalogue.ts";
import { resolveHeader } from "../../lib/ingest/header.ts";
import { ingest } from "../../lib/ingest/ingest.ts";
import { parseRegistryFile } from "../../lib/ingest/registry-file.ts";
import { notesAt, ROW_RULES } from "../../lib/ingest/row-rules.ts";
import { FORM_NUMBER, templateWorkbook } from "../../lib/ingest/template.ts";
import { registryCsv } from "../support/stack.ts";

const parsed = parseRegistryFile(new TextEncoder().encode(registryCsv(3, 5)));
if (!parsed.ok) throw new Error("registry");
const registry = parsed.registry;

function width(text: string): number {
  let w = 0;
  for (const ch of text) w += (ch.codePointAt(0) as number) > 0xff ? 2 : 1;
  return w;
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

describe("the Excel template", () => {
  const bytes = templateWorkbook(registry, { scope: "001003", period: "2026-10" });
  const book = XLSX.read(bytes, { dense: true, cellNF: true });
  const ret = book.Sheets.月报表 as XLSX.WorkSheet;
  const data = ret["!data"] as XLSX.CellObject[][];
  const header = (data[1] ?? []).map((c) => String(c?.v ?? ""));

  it("has a title, the header the validator reads, and one row per reporting unit of the scope", () => {
    expect(book.SheetNames).toEqual(["月报表", "填报说明"]);
    expect(String(data[0]?.[0]?.v)).toBe("2026年10月机关党建工作月报表(第3片区)");
    expect(ret["!merges"]?.[0]).toEqual({ s: { r: 0, c: 0 }, e: { r: 0, c: header.length - 1 } });
    const resolved = resolveHeader(header);
    expect(resolved.ok).toBe(true);
    if (resolved.ok) expect(resolved.columns.indicators).toHaveLength(INDICATORS.length);
    const units = registry.leavesUnder("001003");
    expect(data.slice(2).map((r) => [r[0]?.v, r[0]?.t, r[0]?.z, r[1]?.v, r[2]?.v, r[2]?.z])).toEqual(
      units.map((u) => [u.code, "s", "@", u.name, "2026-10", "@"]),
    );
  });

  it("makes every column at least as wide as its Chinese header", () => {
    // Column widths are only read back with cellStyles.
    const cols = (XLSX.read(bytes, { cellStyles: true }).Sheets.月报表 as XLSX.WorkSheet)["!cols"] ?? [];
    expect(cols).toHaveLength(header.length);
    header.forEach((h, i) => {
      expect(cols[i]?.wch ?? 0, h).toBeGreaterThanOrEqual(width(h));
    });
  });

  it("reads back, unfilled, as one row per unit with the required figures missing (nothing else)", async () => {
    const result = await ingest(once(bytes), {
      registry,
      now: new Date("2026-11-10T04:00:00Z"),
      keepRows: "all",
    });
    expect(result.fileIssues).toEqual([]);
    expect(result.rows.map((r) => [r.unit, r.period])).toEqual(
      registry.leavesUnder("001003").map((u) => [u.code, "2026-10"]),
    );
    expect(new Set(result.rows.flatMap((r) => r.issues.map((i) => i.code)))).toEqual(
      new Set(["E_REQUIRED_MISSING", "W_ALL_ZERO"]),
    );
  });

  it("explains every indicator from the catalogue under a 表号/制表机关 head", () => {
    const rows = XLSX.utils.sheet_to_json<string[]>(book.Sheets.填报说明 as XLSX.WorkSheet, {
      header: 1,
      raw: false,
    });
    const text = rows.map((r) => r.join("|")).join("\n");
    expect(text).toContain(`表  号:${FORM_NUMBER}`);
    expect(text).toContain(`制表机关:${registry.root.name}`);
    expect(text).toContain("报告期:2026年10月");
    for (const ind of INDICATORS) {
      const row = rows.find((r) => r[1] === ind.name);
      expect(row, ind.name).toBeDefined();
      expect(row?.[2]).toBe(ind.key);
      expect(row?.[3]).toBe(ind.unit);
      expect(row?.[4]).toContain(ind.decimals === 0 ? "整数" : `${ind.decimals}位小数`);
      expect(row?.[4]).toContain(ind.required ? "必填" : "可空");
      expect(row?.[5]).toContain(ind.time === "LAST" ? "时点指标" : "时期指标");
      for (const note of notesAt(ind.key)) expect(row?.[7]).toContain(note);
    }
    // Every row rule is explained, at its indicators or among the rules for a whole row.
    for (const rule of ROW_RULES) {
      expect(rule.note.text.length, rule.code).toBeGreaterThan(0);
      expect(text, rule.code).toContain(rule.note.text);
    }
  });
});
