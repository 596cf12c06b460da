/**
 * Two rows of one file for the same unit and month: identical copies keep the first, copies that
 * differ reject every copy — including the first, after onRow already saw it — whatever rows the
 * caller keeps, with counts that add up.
 */
import { describe, expect, it } from "vitest";
import { ingest } from "../../lib/ingest/ingest.ts";
import { buildReport } from "../../lib/ingest/report.ts";
import type { CheckedRow } from "../../lib/ingest/returns.ts";
import { figures, returnCsv, type TestRow } from "../support/returns.ts";
import { loadRegistry } from "./corpus-manifest.ts";

const registry = loadRegistry();
const now = new Date("2026-11-10T04:00:00Z");

async function* once(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text);
}

const a: TestRow = { unit: "001001001", period: "2026-10", values: figures(1, 0) };
const b: TestRow = { unit: "001001002", period: "2026-10", values: figures(2, 1) };

describe("duplicate rows", () => {
  it("keeps the first of identical copies and rejects the others, naming the row kept", async () => {
    const result = await ingest(once(returnCsv([a, b, a])), { registry, now, keepRows: "all" });
    expect(result.rows.map((r) => [r.row, r.outcome])).toEqual([
      [2, "accepted"],
      [3, "accepted"],
      [4, "rejected"],
    ]);
    expect(result.rows[2]?.issues[0]?.message).toContain("已按第2行接收");
    expect(result.revoked).toEqual([]);
  });

  it.each([
    ["a figure", { ...a, values: { ...a.values, sanhui_yike: a.values.sanhui_yike + 1 } }],
    ["the 说明", { ...a, explanation: "另一份说明" }],
    ["the 亮点工作", { ...a, highlight: "组织党员开展志愿服务" }],
  ])("rejects every copy when %s differs, the first one after the fact", async (_what, other) => {
    const seen: [number, string][] = [];
    const text = returnCsv([a, b, other, a]);
    for (const keepRows of ["all", "usable", "none"] as const) {
      const result = await ingest(once(text), { registry, now, keepRows }, (row: CheckedRow) => {
        if (keepRows === "none") seen.push([row.row, row.outcome]);
      });
      expect(result.counts).toEqual({ rows: 4, accepted: 1, needs_explanation: 0, rejected: 3 });
      expect(result.revoked).toEqual([2]);
      // "none" keeps no rows for a report (the bench's mode): counts and revoked are what it has.
      if (keepRows === "none") continue;
      const report = buildReport(result, result.rows, result.counts);
      expect(report.rows.map((r) => [r.row, r.outcome])).toEqual([
        [2, "rejected"],
        [3, "accepted"],
        [4, "rejected"],
        [5, "rejected"],
      ]);
      expect(report.issues.map((i) => [i.row, i.code])).toEqual([
        [2, "E_DUPLICATE_ROW"],
        [4, "E_DUPLICATE_ROW"],
        [5, "E_DUPLICATE_ROW"],
      ]);
      expect(report.issues[0]?.message).toContain("第4行");
      expect(report.issues[0]?.message).toContain("数据不一致");
      if (keepRows === "usable") expect(result.rows.map((r) => r.row)).toEqual([3]);
    }
    // A streaming caller saw the first copy accepted; `revoked` is how it learns otherwise.
    expect(seen).toEqual([
      [2, "accepted"],
      [3, "accepted"],
      [4, "rejected"],
      [5, "rejected"],
    ]);
  });

  it("does not count rows for different months or units as copies", async () => {
    const september = { ...a, period: "2026-09" };
    const result = await ingest(once(returnCsv([a, september, b])), { registry, now });
    expect(result.counts.accepted).toBe(3);
  });
});
