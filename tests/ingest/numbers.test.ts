/**
 * Reading one figure as a unit types it: the fast path for plain cells (quickFigure) and the
 * careful path for everything else (parseFigure). Spellings with many variants are covered by the
 * property tests in normalise.property.test.ts; these pin each rule and its edges.
 */
import { describe, expect, it } from "vitest";
import { parseFigure, quickFigure } from "../../lib/ingest/numbers.ts";

const ok = (value: number) => ({ ok: true, blank: false, value });
const BLANK = { ok: true, blank: true, value: 0 };
const fails = (problem: string) => ({ ok: false, problem });

describe("quickFigure: the allocation-free path", () => {
  it("reads plain ASCII digits, every digit from 0 to 9", () => {
    expect(quickFigure("0", 0)).toBe(0);
    expect(quickFigure("9", 0)).toBe(9);
    expect(quickFigure("1234567890", 0)).toBe(1234567890);
    expect(quickFigure("90", 0)).toBe(90);
  });

  it("reads a plain decimal within the indicator's places, digits 0 to 9 after the point", () => {
    expect(quickFigure("1.5", 1)).toBe(1.5);
    expect(quickFigure("1.09", 2)).toBe(1.09);
    expect(quickFigure("0.9", 1)).toBe(0.9);
    expect(quickFigure("12.25", 2)).toBe(12.25);
  });

  it("takes up to 15 characters and leaves 16 or more to the careful path", () => {
    expect(quickFigure("123456789012345", 0)).toBe(123456789012345);
    expect(quickFigure("1234567890123456", 0)).toBeNaN();
    expect(quickFigure("1234567890123.5", 1)).toBe(1234567890123.5);
  });

  it.each([
    ["", 0, "an empty cell"],
    [" 5", 0, "a leading blank"],
    ["5 ", 0, "a trailing blank"],
    [".5", 1, "no digit before the point"],
    ["5.", 1, "no digit after the point"],
    ["5,000", 0, "a thousands separator"],
    ["5:0", 1, "a character just above 9 in place of the point"],
    ["5/0", 1, "a character just below 0 in place of the point"],
    ["1.5", 0, "a decimal in a count"],
    ["1.25", 1, "more places than the indicator keeps"],
    ["1.50", 2, "a decimal ending in 0"],
    ["1.5/", 2, "a character just below 0 after the point"],
    ["1.5:", 2, "a character just above 9 after the point"],
    ["1.5 ", 2, "a blank after a decimal"],
    ["1.e5", 2, "an exponent after the point"],
    ["-5", 0, "a sign"],
    ["５", 0, "全角 digits"],
  ])("leaves %j (%s, %i places) to the careful path", (cell, decimals) => {
    expect(quickFigure(cell, decimals)).toBeNaN();
  });
});

describe("parseFigure", () => {
  it("reads a plain figure and a decimal within the indicator's places", () => {
    expect(parseFigure("527", 0)).toEqual(ok(527));
    expect(parseFigure("12.5", 1)).toEqual(ok(12.5));
    expect(parseFigure("1106.25", 2)).toEqual(ok(1106.25));
  });

  it.each([
    [" ", "a space"],
    ["\t", "a tab"],
    ["\u3000", "an ideographic space"],
    ["\u00a0", "a no-break space"],
    ["\ufeff", "a byte-order mark"],
    ["\u200b", "a zero-width space"],
    ["", "nothing"],
    [" \u3000\t\u200b ", "a mix of blanks"],
  ])("reads a cell holding only %j (%s) as blank", (cell) => {
    expect(parseFigure(cell, 0)).toEqual(BLANK);
  });

  it.each([
    [" 5", "a space"],
    ["\t5", "a tab"],
    ["\u30005", "an ideographic space"],
    ["\u00a05", "a no-break space"],
    ["\ufeff5", "a byte-order mark"],
    ["\u200b5", "a zero-width space"],
    ["5\u200b", "a trailing zero-width space"],
    ["5 \u3000", "trailing blanks"],
  ])("reads %j (a figure after %s) as the figure", (cell) => {
    expect(parseFigure(cell, 0)).toEqual(ok(5));
  });

  it("reads a figure followed by a line break typed in the cell (Alt+Enter)", () => {
    expect(parseFigure("5\n", 0)).toEqual(ok(5));
    expect(parseFigure("1,106\r\n", 0)).toEqual(ok(1106));
  });

  it("reads 全角 digits, a leading plus and a trailing point", () => {
    expect(parseFigure("１２", 0)).toEqual(ok(12));
    expect(parseFigure("+12", 0)).toEqual(ok(12));
    expect(parseFigure("＋12", 0)).toEqual(ok(12));
    expect(parseFigure("12.", 0)).toEqual(ok(12));
  });

  it("reads the indicator's measure word after the figure, with or without a blank before it", () => {
    expect(parseFigure("527次", 0, "次")).toEqual(ok(527));
    expect(parseFigure("527 次", 0, "次")).toEqual(ok(527));
    expect(parseFigure("12.5小时", 1, "小时")).toEqual(ok(12.5));
    expect(parseFigure("527次", 0, "个")).toEqual(fails("not_number"));
    expect(parseFigure("次", 0, "次")).toEqual(fails("not_number"));
  });

  it("reads a figure with no measure word given, also one that is padded", () => {
    expect(parseFigure(" 527 ", 0)).toEqual(ok(527));
    expect(parseFigure(" 527 ", 0, "")).toEqual(ok(527));
  });

  it("reads thousands separators only in groups of three", () => {
    expect(parseFigure("1,106", 0)).toEqual(ok(1106));
    expect(parseFigure("12,345", 0)).toEqual(ok(12345));
    expect(parseFigure("123,456", 0)).toEqual(ok(123456));
    expect(parseFigure("1,234,567", 0)).toEqual(ok(1234567));
    expect(parseFigure("1，234", 0)).toEqual(ok(1234));
    expect(parseFigure("1,234.5", 1)).toEqual(ok(1234.5));
    expect(parseFigure("1,234.25", 2)).toEqual(ok(1234.25));
    expect(parseFigure("1,234.", 0)).toEqual(ok(1234));
    for (const cell of ["1,2345", "1234,567", "1,23", ",123", "1,,234", "1,234,56", "12a,345"]) {
      expect(parseFigure(cell, 0), cell).toEqual(fails("not_number"));
    }
  });

  it("counts significant decimals only: trailing zeros after the point are allowed", () => {
    expect(parseFigure("1106.0", 0)).toEqual(ok(1106));
    expect(parseFigure("1.500", 1)).toEqual(ok(1.5));
    expect(parseFigure("1,106.00", 0)).toEqual(ok(1106));
    // Zeros inside the fraction are significant.
    expect(parseFigure("1.05", 1)).toEqual(fails("too_many_decimals"));
    expect(parseFigure("1.05", 2)).toEqual(ok(1.05));
  });

  it("refuses a fraction in a count with E_NOT_INTEGER's problem, more places with too_many_decimals", () => {
    expect(parseFigure("1.5", 0)).toEqual(fails("not_integer"));
    expect(parseFigure(" 1.5", 0)).toEqual(fails("not_integer"));
    expect(parseFigure("1,234.5", 0)).toEqual(fails("not_integer"));
    expect(parseFigure("1.25", 1)).toEqual(fails("too_many_decimals"));
    expect(parseFigure("1,234.125", 2)).toEqual(fails("too_many_decimals"));
  });

  it("refuses a negative figure, grouped or not", () => {
    expect(parseFigure("-5", 0)).toEqual(fails("negative"));
    expect(parseFigure("-1,234", 0)).toEqual(fails("negative"));
    expect(parseFigure("-0.5", 1)).toEqual(fails("negative"));
  });

  it("reads −0 as a plain 0, not as a negative figure and not as −0", () => {
    for (const cell of ["-0", "-0.00", "－0"]) {
      const r = parseFigure(cell, 0);
      expect(r, cell).toEqual(ok(0));
      expect(r.ok && Object.is(r.value, 0), cell).toBe(true);
    }
  });

  it("refuses a figure too long to be finite", () => {
    expect(parseFigure(`1${"0".repeat(400)}`, 0)).toEqual(fails("not_number"));
  });

  it("refuses words, formulas, scientific notation and stray signs", () => {
    for (const cell of [
      "abc",
      "1e5",
      "1.e5",
      "1,234.e5",
      "1.2E+11",
      "=A1",
      "5-",
      "++5",
      "1.2.3",
      "十二",
      "#VALUE!",
    ]) {
      expect(parseFigure(cell, 2), cell).toEqual(fails("not_number"));
    }
  });
});
