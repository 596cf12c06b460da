import { describe, expect, it } from "vitest";
import type { IndicatorDef, IndicatorKey } from "../../lib/domain/catalogue.ts";
import { isOutlier } from "../../lib/ingest/row-rules.ts";
import { type FigureContext, generatorFor } from "../../lib/sample/figures.ts";
import { Rng, rngFor } from "../../lib/sample/random.ts";
import { steadyFlow } from "../../lib/sample/steady.ts";
import { buildUnits } from "../../lib/sample/units.ts";

const unit = buildUnits(63, 1).find((u) => u.name === "市财政局机关党委");

function context(month: number, previous: Partial<Record<string, number>> = {}, seed = 1): FigureContext {
  if (!unit) throw new Error("unit missing");
  const rng = rngFor(seed, "test", month);
  return {
    unit,
    period: `2026-${String(month).padStart(2, "0")}`,
    month,
    rng,
    unitRng: (label) => rngFor(seed, label, unit.code),
    value: (key: IndicatorKey) => ({ members_total: 80, branches_total: 3 })[key as string] ?? 0,
    previous: (key) => previous[key],
  };
}

function future(overrides: Partial<IndicatorDef>): IndicatorDef {
  return {
    key: "future_indicator",
    name: "未来指标",
    unit: "次",
    decimals: 0,
    required: false,
    time: "SUM",
    section: "service",
    max: 10_000,
    phrase: "{v}",
    ...overrides,
  };
}

describe("sample figure generators", () => {
  it("gives an indicator the sample does not know yet a generator from its measure word", () => {
    const counts = Array.from({ length: 12 }, (_, i) => generatorFor(future({}))(context(i + 1), future({})));
    expect(counts.every((c) => Number.isInteger(c) && c >= 0 && c < 20)).toBe(true);
    expect(counts.some((c) => c > 0)).toBe(true);
    const money = future({ unit: "元", decimals: 2 });
    const amounts = Array.from({ length: 12 }, (_, i) => generatorFor(money)(context(i + 1, {}, i), money));
    expect(amounts.some((a) => a > 0 && Math.round(a * 100) % 100 !== 0)).toBe(true);
  });

  it("keeps a generic stock where it was, apart from rare small changes", () => {
    const stock = future({ unit: "名", time: "LAST" });
    const first = generatorFor(stock)(context(1), stock);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(80);
    const next = Array.from({ length: 12 }, (_, i) =>
      generatorFor(stock)(context(i + 1, { future_indicator: first }), stock),
    );
    expect(next.every((v) => Math.abs(v - first) <= 1)).toBe(true);
  });

  it("pulls a month that would be an outlier back inside the rule, and drops a token donation", () => {
    const window = [10, 11, 9, 10, 12, 10, 11];
    const steadied = steadyFlow(60, window, 0, new Rng(1));
    expect(isOutlier(60, window).outlier).toBe(true);
    expect(isOutlier(steadied, window).outlier).toBe(false);
    expect(steadied).toBeGreaterThan(11);
    expect(steadyFlow(15, window, 0, new Rng(1))).toBe(15);
    expect(steadyFlow(5000, [0, 0, 0, 0, 0, 0, 100], 2, new Rng(1))).toBe(0);
    expect(steadyFlow(5000, [0, 0, 0, 0, 0, 0], 2, new Rng(1))).toBe(0);
  });
});
