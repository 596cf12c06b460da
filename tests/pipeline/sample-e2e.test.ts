/**
 * End to end on the built-in sample: every file uploaded through S3, the real handler run by the
 * real events. The expected rollups are computed here from the CSV bytes with iconv-lite, papaparse
 * and NFKC normalisation — not with the pipeline's own decoder, parser or normaliser. Which rows
 * count is taken from each upload's stored report (the validator's verdict), so this checks that
 * what was accepted is exactly what was summed, corrections replacing earlier uploads.
 */
import iconv from "iconv-lite";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { INDICATORS, STOCK_KEYS } from "../../lib/domain/catalogue.ts";
import type { ValidationReport } from "../../lib/ingest/report.ts";
import { generateSample } from "../../lib/sample/index.ts";
import { aggregateMonths } from "../../lib/write/aggregate.ts";
import { reconcile } from "../../lib/write/reconcile.ts";
import { loadRegistry, useLocalStack } from "../support/stack.ts";

const stackOf = useLocalStack();

function decode(bytes: Uint8Array): string {
  const b = Buffer.from(bytes);
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3).toString("utf8");
  const utf8 = b.toString("utf8");
  return utf8.includes("\ufffd") ? iconv.decode(b, "gb18030") : utf8;
}

/** "１，１０６" → 1106; blank → 0. */
function figure(cell: string | undefined): number {
  const t = (cell ?? "").normalize("NFKC").replace(/,/g, "").trim();
  return t === "" ? 0 : Number(t);
}

describe("Pipeline: the built-in sample end to end", () => {
  it("sums exactly the accepted rows of the latest uploads, month by month and for the year", async () => {
    const stack = stackOf();
    const now = new Date("2026-11-27T04:00:00Z");
    const sample = generateSample({ units: 24, months: 8, seed: 7, endMonth: "2026-10", now });
    await loadRegistry(stack, sample.unitsCsv);
    stack.setConcurrency(4);
    const ids: string[] = [];
    for (const [i, f] of sample.files.entries()) {
      const id = `e2e${String(i).padStart(5, "0")}`;
      ids.push(id);
      await stack.put(`incoming/${f.scope}/${f.period}/${id}.csv`, f.bytes, { submittedAt: f.submittedAt });
    }
    await new Promise((r) => setTimeout(r, 300));
    await stack.drain();
    expect(stack.deadLetters).toEqual([]);

    // unit|month → the accepted row of the latest upload, read from the CSV text independently.
    const latest = new Map<string, { at: string; values: Record<string, number> }>();
    for (const [i, f] of sample.files.entries()) {
      const report = JSON.parse(
        new TextDecoder().decode(await stack.services.objects.getBytes(`reports/${ids[i]}.json`)),
      ) as ValidationReport;
      const accepted = new Set(report.rows.filter((r) => r.outcome === "accepted").map((r) => r.row));
      const records = Papa.parse<string[]>(decode(f.bytes), { skipEmptyLines: false }).data;
      const headerAt = records.findIndex((r) => r.includes("单位代码"));
      const header = records[headerAt] as string[];
      records.forEach((record, index) => {
        if (!accepted.has(index + 1)) return;
        const unit = (record[header.indexOf("单位代码")] ?? "").normalize("NFKC").trim();
        const month = report.rows.find((r) => r.row === index + 1)?.period as string;
        const values: Record<string, number> = {};
        for (const ind of INDICATORS) values[ind.key] = figure(record[header.indexOf(ind.name)]);
        const id = `${unit}|${month}`;
        const seen = latest.get(id);
        if (!seen || seen.at < f.submittedAt) latest.set(id, { at: f.submittedAt, values });
      });
    }
    expect(latest.size).toBeGreaterThan(150);

    const root = (await stack.services.registry()).root.code;
    const months = [...new Set([...latest.keys()].map((k) => k.split("|")[1] as string))].sort();
    for (const month of months) {
      const [rollup] = await stack.services.stores.rollups.rollups(root, month, month);
      const rows = [...latest.entries()].filter(([k]) => k.endsWith(`|${month}`)).map(([, v]) => v.values);
      expect(rollup?.reported, month).toBe(rows.length);
      for (const ind of INDICATORS) {
        const want = Math.round(rows.reduce((s, v) => s + (v[ind.key] ?? 0), 0) * 100) / 100;
        expect(rollup?.values[ind.key], `${month} ${ind.name}`).toBeCloseTo(want, 2);
      }
    }

    // Year to date: flows summed, stocks as each unit's latest month.
    const ytd = aggregateMonths(
      await stack.services.stores.rollups.rollups(root, "2026-01", "2026-10"),
      "2026-01",
      "2026-10",
    );
    const lastByUnit = new Map<string, { month: string; values: Record<string, number> }>();
    for (const [k, v] of latest) {
      const [unit, month] = k.split("|") as [string, string];
      if (month < "2026-01") continue;
      const seen = lastByUnit.get(unit);
      if (!seen || seen.month < month) lastByUnit.set(unit, { month, values: v.values });
    }
    for (const key of STOCK_KEYS) {
      expect(ytd.values[key], key).toBe(
        [...lastByUnit.values()].reduce((s, v) => s + (v.values[key] ?? 0), 0),
      );
    }
    expect(ytd.reportedUnits).toBe(lastByUnit.size);
    expect((await reconcile(stack.services.stores, { shards: stack.config.ROLLUP_SHARDS })).drift).toEqual(
      [],
    );
  }, 180_000);
});
