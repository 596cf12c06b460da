/**
 * Uploads through the real S3 emulator and handlers: concurrency, corrections, late arrivals of
 * older uploads, rejected files. Raw files are never deleted; reports are always stored.
 */
import { describe, expect, it } from "vitest";
import { INDICATOR_KEYS, type Values, zeroValues } from "../../lib/domain/catalogue.ts";
import type { ValidationReport } from "../../lib/ingest/report.ts";
import { aggregateMonths } from "../../lib/write/aggregate.ts";
import { planRepairs } from "../../lib/write/plan.ts";
import { reconcile } from "../../lib/write/reconcile.ts";
import { figures, returnCsv } from "../support/returns.ts";
import { loadRegistry, registryCsv, rollupSnapshot, useLocalStack } from "../support/stack.ts";

const stackOf = useLocalStack();
const unitCode = (area: number, n: number): string => `00100${area}${String(n).padStart(3, "0")}`;

function sum(rows: readonly Values[]): Values {
  const out = zeroValues();
  for (const v of rows) for (const k of INDICATOR_KEYS) out[k] = Math.round((out[k] + v[k]) * 100) / 100;
  return out;
}

describe("Pipeline: uploads through S3", () => {
  it("processes 120 concurrent uploads, same-unit months racing each other, with consistent rollups", async () => {
    const stack = stackOf();
    await stack.resetTable();
    await loadRegistry(stack, registryCsv(2, 50));
    stack.setConcurrency(8);
    const units = [
      ...Array.from({ length: 50 }, (_, i) => unitCode(1, i + 1)),
      ...Array.from({ length: 50 }, (_, i) => unitCode(2, i + 1)),
    ];
    const october = units.map((unit, i) => ({ unit, values: figures(i, i) }));
    // 20 units also send September at the same moment: two uploads of one unit in flight together.
    const september = units.slice(0, 20).map((unit, i) => ({ unit, values: figures(i + 100, i) }));
    await Promise.all([
      ...october.map((r, i) =>
        stack.put(
          `incoming/${r.unit}/2026-10/conc10${String(i).padStart(4, "0")}.csv`,
          returnCsv([{ ...r, period: "2026-10" }]),
          {
            submittedAt: "2026-11-03T02:00:00.000Z",
          },
        ),
      ),
      ...september.map((r, i) =>
        stack.put(
          `incoming/${r.unit}/2026-09/conc09${String(i).padStart(4, "0")}.csv`,
          returnCsv([{ ...r, period: "2026-09" }]),
          {
            submittedAt: "2026-10-03T02:00:00.000Z",
          },
        ),
      ),
    ]);
    await new Promise((r) => setTimeout(r, 300));
    await stack.drain();
    expect(stack.deadLetters).toEqual([]);

    const uploads = await Promise.all(
      [
        ...october.map((_, i) => `conc10${String(i).padStart(4, "0")}`),
        ...september.map((_, i) => `conc09${String(i).padStart(4, "0")}`),
      ].map((id) => stack.services.stores.uploads.getUpload(id)),
    );
    expect(uploads.map((u) => u?.status)).toEqual(Array(120).fill("aggregated"));

    const [oct] = await stack.services.stores.rollups.rollups("001", "2026-10", "2026-10");
    expect(oct?.values).toEqual(sum(october.map((r) => r.values)));
    expect(oct?.reported).toBe(100);
    const [area1] = await stack.services.stores.rollups.rollups("001001", "2026-09", "2026-09");
    expect(area1?.values).toEqual(sum(september.map((r) => r.values)));
    for (const unit of units.slice(0, 20)) {
      const returns = await stack.services.stores.returns.unitReturns(unit);
      expect(returns.find((r) => r.period === "2026-10")?.prev).toBe("2026-09");
      expect(planRepairs(returns)).toEqual([]);
    }
    const check = await reconcile(stack.services.stores, { shards: stack.config.ROLLUP_SHARDS });
    expect(check.drift).toEqual([]);
    expect(check.chains).toEqual([]);
    // Every upload was on time: 100 units reported, the 20 with both months were on time in both.
    const both = aggregateMonths(
      await stack.services.stores.rollups.rollups("001", "2026-09", "2026-10"),
      "2026-09",
      "2026-10",
    );
    expect({ reported: both.reportedUnits, onTime: both.onTimeUnits }).toEqual({ reported: 100, onTime: 20 });
  }, 120_000);

  it("replaces a return with its correction and ignores an older upload arriving afterwards", async () => {
    const stack = stackOf();
    await stack.resetTable();
    await loadRegistry(stack, registryCsv(1, 3));
    stack.setConcurrency(1);
    const unit = unitCode(1, 1);
    const v1 = figures(1, 0);
    const v2 = figures(2, 0);
    const v0 = figures(3, 0);
    await stack.put(
      `incoming/${unit}/2026-10/corr000001.csv`,
      returnCsv([{ unit, period: "2026-10", values: v1 }]),
      {
        submittedAt: "2026-11-02T01:00:00.000Z",
      },
    );
    await stack.put(
      `incoming/${unit}/2026-10/corr000002.csv`,
      returnCsv([{ unit, period: "2026-10", values: v2 }]),
      {
        submittedAt: "2026-11-03T01:00:00.000Z",
      },
    );
    await stack.drain();
    const [afterCorrection] = await stack.services.stores.rollups.rollups("001", "2026-10", "2026-10");
    expect(afterCorrection?.values).toEqual(v2);
    expect(afterCorrection?.reported).toBe(1);

    // An upload made on 1 November whose event only arrives now.
    await stack.put(
      `incoming/${unit}/2026-10/corr000000.csv`,
      returnCsv([{ unit, period: "2026-10", values: v0 }]),
      {
        submittedAt: "2026-11-01T01:00:00.000Z",
      },
    );
    await stack.drain();
    const [final] = await stack.services.stores.rollups.rollups("001", "2026-10", "2026-10");
    expect(final?.values).toEqual(v2);
    const [stored] = await stack.services.stores.returns.unitReturns(unit);
    expect(stored?.uploadId).toBe("corr000002");
    expect(stored?.firstSubmittedAt).toBe("2026-11-01T01:00:00.000Z");
    expect((await stack.services.stores.uploads.getUpload("corr000000"))?.applied).toEqual({
      stale_earlier: 1,
    });
  }, 60_000);

  it("stores the report of a rejected file, changes nothing else, and keeps the raw file", async () => {
    const stack = stackOf();
    await stack.resetTable();
    await loadRegistry(stack, registryCsv(1, 3));
    const unit = unitCode(1, 2);
    await stack.put(
      `incoming/${unit}/2026-10/good000001.csv`,
      returnCsv([{ unit, period: "2026-10", values: figures(4, 1) }]),
      {
        submittedAt: "2026-11-02T01:00:00.000Z",
      },
    );
    await stack.drain();
    const before = await rollupSnapshot(stack);
    const bad = `单位代码,报送期间,党员总数\n${unit},2026-10,-3\n`;
    await stack.put(`incoming/${unit}/2026-10/bad0000001.csv`, bad, {
      submittedAt: "2026-11-02T02:00:00.000Z",
    });
    // A row with a warning and no 说明 is held for explanation, not stored.
    const spike = { ...figures(5, 1), problems_solved: 99, problems_collected: 3 };
    await stack.put(
      `incoming/${unit}/2026-10/warn000001.csv`,
      returnCsv([{ unit, period: "2026-10", values: spike }]),
      {
        submittedAt: "2026-11-02T03:00:00.000Z",
      },
    );
    await stack.drain();

    const rejected = await stack.services.stores.uploads.getUpload("bad0000001");
    expect(rejected?.status).toBe("rejected");
    const report = JSON.parse(
      new TextDecoder().decode(await stack.services.objects.getBytes("reports/bad0000001.json")),
    ) as ValidationReport;
    expect(report.status).toBe("rejected");
    expect(report.issues.map((i) => i.code)).toContain("E_HEADER_MISSING");
    const held = await stack.services.stores.uploads.getUpload("warn000001");
    expect(held?.status).toBe("rejected");
    expect(held?.summary).toMatchObject({ needs_explanation: 1, accepted: 0 });
    expect(await rollupSnapshot(stack)).toEqual(before);
    const [stored] = await stack.services.stores.returns.unitReturns(unit);
    expect(stored?.uploadId).toBe("good000001");
    for (const key of ["good000001", "bad0000001", "warn000001"]) {
      expect(await stack.services.objects.exists(`incoming/${unit}/2026-10/${key}.csv`)).toBe(true);
    }
    expect(await stack.services.objects.exists("reports/warn000001.csv")).toBe(true);
  }, 60_000);

  it("validates against a registry loaded a moment ago (no stale cache in the handler)", async () => {
    const stack = stackOf();
    await stack.resetTable();
    await loadRegistry(stack, registryCsv(1, 3));
    const unit = unitCode(1, 4);
    const file = returnCsv([{ unit, period: "2026-10", values: figures(9, 3) }]);
    await stack.put(`incoming/001001/2026-10/newu000001.csv`, file, {
      submittedAt: "2026-11-02T01:00:00.000Z",
    });
    await stack.drain();
    expect((await stack.services.stores.uploads.getUpload("newu000001"))?.status).toBe("rejected");
    await loadRegistry(stack, registryCsv(1, 4));
    await stack.put(`incoming/001001/2026-10/newu000002.csv`, file, {
      submittedAt: "2026-11-02T02:00:00.000Z",
    });
    await stack.drain();
    expect((await stack.services.stores.uploads.getUpload("newu000002"))?.status).toBe("aggregated");
  }, 60_000);
});
