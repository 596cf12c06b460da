import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  chineseDate,
  chineseNumeral,
  formatChange,
  formatFigure,
  formatPercent,
  formatRatio,
  percentOf,
  pointChange,
  relativeChange,
} from "../../lib/bulletin/format.ts";

const count = (unit: string) => ({ unit, decimals: 0 as const });

describe("formatFigure", () => {
  it("writes counts under 10,000 as plain digits with the measure word", () => {
    expect(formatFigure(527, count("次"))).toBe("527次");
    expect(formatFigure(9999, count("人次"))).toBe("9999人次");
    expect(formatFigure(0, count("个"))).toBe("0个");
  });

  it("never inserts thousands separators under 10,000", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), (n) => {
        expect(formatFigure(n, count("次"))).toBe(`${n}次`);
      }),
    );
  });

  it("writes 10,000 and above in 万 with one decimal", () => {
    expect(formatFigure(37_412, count("人次"))).toBe("3.7万人次");
    expect(formatFigure(104_035.5, { unit: "小时", decimals: 1 })).toBe("10.4万小时");
    expect(formatFigure(12_000, count("次"))).toBe("1.2万次");
  });

  it("drops a trailing .0 in 万 (2万人次, not 2.0万人次)", () => {
    expect(formatFigure(20_000, count("人次"))).toBe("2万人次");
    expect(formatFigure(10_040, count("次"))).toBe("1万次");
  });

  it("rounds 万 half up on the exact value, not on a binary fraction", () => {
    expect(formatFigure(37_500, count("次"))).toBe("3.8万次");
    expect(formatFigure(14_500, count("次"))).toBe("1.5万次");
    expect(formatFigure(14_499, count("次"))).toBe("1.4万次");
  });

  it("keeps money to the fen, however large", () => {
    expect(formatFigure(872_915.72, { unit: "元", decimals: 2 })).toBe("872915.72元");
    expect(formatFigure(1200, { unit: "元", decimals: 2 })).toBe("1200.00元");
    expect(formatFigure(0.1 + 0.2, { unit: "元", decimals: 2 })).toBe("0.30元");
  });

  it("writes hours with at most one decimal", () => {
    expect(formatFigure(352.5, { unit: "小时", decimals: 1 })).toBe("352.5小时");
    expect(formatFigure(3520, { unit: "小时", decimals: 1 })).toBe("3520小时");
  });
});

describe("rates", () => {
  it("formats percentages with one decimal", () => {
    expect(formatPercent(81.8)).toBe("81.8%");
    expect(formatPercent(100)).toBe("100.0%");
    expect(formatPercent(2 / 3)).toBe("0.7%");
  });

  it("computes part/whole as a percentage and refuses a zero whole", () => {
    expect(percentOf(57, 60)).toBe(95);
    expect(percentOf(53, 60)).toBe(88.3);
    expect(percentOf(1, 0)).toBeNull();
  });

  it("formats a ratio with one decimal and its unit", () => {
    expect(formatRatio(2.04, "小时")).toBe("2.0小时");
    expect(formatRatio(2.35, "小时")).toBe("2.4小时");
  });
});

describe("同比/环比", () => {
  it("is growth when the figure rose", () => {
    expect(relativeChange(1123, 1000)).toEqual({ direction: "up", amount: 12.3 });
  });

  it("is decline when the figure fell", () => {
    expect(relativeChange(95, 100)).toEqual({ direction: "down", amount: 5 });
    expect(relativeChange(0, 8)).toEqual({ direction: "down", amount: 100 });
  });

  it("is 持平 when unchanged or the change rounds to 0.0%", () => {
    expect(relativeChange(100, 100)).toEqual({ direction: "flat", amount: 0 });
    expect(relativeChange(100_004, 100_000)).toEqual({ direction: "flat", amount: 0 });
  });

  it("is not meaningful when the earlier figure is 0 or missing", () => {
    expect(relativeChange(5, 0)).toBeNull();
    expect(relativeChange(5, null)).toBeNull();
    expect(relativeChange(5, undefined)).toBeNull();
  });

  it("is meaningful for every positive earlier figure, with a non-negative amount", () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.integer({ min: 1, max: 1_000_000 }), (now, before) => {
        const change = relativeChange(now, before);
        expect(change).not.toBeNull();
        expect(change?.amount).toBeGreaterThanOrEqual(0);
        if (now > before * 1.001) expect(change?.direction).toBe("up");
        if (now < before * 0.999) expect(change?.direction).toBe("down");
      }),
    );
  });

  it("writes the amount as a percentage", () => {
    expect(formatChange({ direction: "up", amount: 8 })).toBe("8.0%");
  });

  it("measures a rate's change in percentage points", () => {
    expect(pointChange(92.3, 91.1)).toEqual({ direction: "up", amount: 1.2 });
    expect(pointChange(90, null)).toBeNull();
    expect(pointChange(null, 90)).toBeNull();
  });
});

describe("numerals and dates", () => {
  it("numbers headings in Chinese", () => {
    expect([1, 2, 7, 10, 11, 20, 23].map(chineseNumeral)).toEqual([
      "一",
      "二",
      "七",
      "十",
      "十一",
      "二十",
      "二十三",
    ]);
    expect(() => chineseNumeral(0)).toThrow(RangeError);
  });

  it("writes dates as 2026年11月6日", () => {
    expect(chineseDate("2026-11-06")).toBe("2026年11月6日");
    expect(() => chineseDate("2026/11/06")).toThrow(RangeError);
  });
});
