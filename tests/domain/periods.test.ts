/**
 * The edges of months and periods: the years and months allowed, the spellings refused, month
 * arithmetic across years, the deadline instant itself, and every period form's canonical spelling
 * and label. (The everyday spellings are in tests/ingest/periods.test.ts.)
 */
import { describe, expect, it } from "vitest";
import {
  addMonths,
  beijingDate,
  deadlineOf,
  isOnTime,
  monthFromIndex,
  monthIndex,
  monthLabel,
  monthNumber,
  monthOf,
  monthsBetween,
  parseMonth,
  quarterRange,
  resolvePeriod,
  yearOf,
  yearToDate,
} from "../../lib/domain/periods.ts";

describe("parseMonth: the edges", () => {
  it("takes the years 2000 to 2099 and the months 1 to 12, both ends included", () => {
    expect(parseMonth("2000-01")).toBe("2000-01");
    expect(parseMonth("2099-12")).toBe("2099-12");
    expect(parseMonth("2026-1")).toBe("2026-01");
    expect(parseMonth("2026-12")).toBe("2026-12");
    expect(parseMonth("200001")).toBe("2000-01");
    expect(parseMonth("209912")).toBe("2099-12");
    expect(parseMonth("1999-12")).toBeUndefined();
    expect(parseMonth("2100-01")).toBeUndefined();
    expect(parseMonth("2026-00")).toBeUndefined();
    expect(parseMonth("2026-13")).toBeUndefined();
  });

  it("reads blanks around the separators and the 月 of 年月", () => {
    expect(parseMonth("2026 - 10")).toBe("2026-10");
    expect(parseMonth("2026年10 月")).toBe("2026-10");
    expect(parseMonth("2026年10月份")).toBe("2026-10");
  });

  it.each([
    ["12026-10", "a fifth year digit"],
    ["2026-10x", "text after the month"],
    ["2026-010", "a three-digit month"],
    ["2026--10", "two separators"],
    ["2026-10月月", "two 月"],
    ["1202610", "seven digits"],
    ["2026101", "seven digits, the other way"],
    ["2026-10 月份份", "份 twice"],
  ])("refuses %j (%s)", (text) => {
    expect(parseMonth(text)).toBeUndefined();
  });

  it("reads the dates Excel makes of a month, in every spelling and with a midnight time", () => {
    expect(parseMonth("2026年10月1日")).toBe("2026-10");
    expect(parseMonth("2026/10/31")).toBe("2026-10");
    expect(parseMonth("2026-10-01 00:00")).toBe("2026-10");
    expect(parseMonth("2026/10/1 0:00:00")).toBe("2026-10");
    expect(parseMonth("2026/10/1 00:00:00")).toBe("2026-10");
    expect(parseMonth("2026/10/1  0:00")).toBe("2026-10");
    expect(parseMonth("2026年10月1日 0:00")).toBe("2026-10");
    expect(parseMonth("2026年10月1日  0:00")).toBe("2026-10");
    expect(parseMonth("2026.10.1")).toBe("2026-10");
    expect(parseMonth("2026 / 10 / 1")).toBe("2026-10");
  });

  it.each([
    ["2026/10/0", "day 0"],
    ["2026/10/32", "day 32"],
    ["2026/13/1", "month 13"],
    ["1999/12/31", "a year before 2000"],
    ["2026/10/1 1:00", "a time that is not midnight"],
    ["2026/10/1 0:01", "a minute past midnight"],
    ["2026/10/1 0:00:01", "a second past midnight"],
    ["2026/10/1 000:00", "three digits of hour"],
    ["2026/10/1 0:0", "one digit of minute"],
    ["2026/10/1 0:00:0", "one digit of second"],
    ["2026/10/10:00", "a time without a blank before it"],
    ["2026/10/100", "a three-digit day"],
    ["2026/10/1x", "text after the day"],
    ["x2026/10/1", "text before the year"],
  ])("refuses the date %j (%s)", (text) => {
    expect(parseMonth(text)).toBeUndefined();
  });

  it("gives the same answer for a spelling it has seen before", () => {
    expect(parseMonth("2031年7月")).toBe("2031-07");
    expect(parseMonth("2031年7月")).toBe("2031-07");
    expect(parseMonth("2031年13月")).toBeUndefined();
    expect(parseMonth("2031年13月")).toBeUndefined();
  });
});

describe("month arithmetic", () => {
  it("indexes months as year × 12 + month − 1", () => {
    expect(monthIndex("2026-01")).toBe(2026 * 12);
    expect(monthIndex("2026-12")).toBe(2026 * 12 + 11);
    expect(monthFromIndex(2026 * 12)).toBe("2026-01");
    expect(monthFromIndex(2026 * 12 + 11)).toBe("2026-12");
    expect(monthFromIndex(2026 * 12 + 9)).toBe("2026-10");
  });

  it("adds and subtracts months across the year", () => {
    expect(addMonths("2026-12", 1)).toBe("2027-01");
    expect(addMonths("2026-01", -1)).toBe("2025-12");
    expect(addMonths("2026-10", 0)).toBe("2026-10");
    expect(addMonths("2026-10", -22)).toBe("2024-12");
    expect(addMonths("2026-10", 15)).toBe("2028-01");
  });

  it("reads the year and the month number", () => {
    expect(yearOf("2026-09")).toBe(2026);
    expect(monthNumber("2026-09")).toBe(9);
    expect(monthNumber("2026-12")).toBe(12);
  });

  it("lists the months from one to another, both included, across the year", () => {
    expect(monthsBetween("2026-11", "2027-02")).toEqual(["2026-11", "2026-12", "2027-01", "2027-02"]);
    expect(monthsBetween("2026-10", "2026-10")).toEqual(["2026-10"]);
    expect(monthsBetween("2026-10", "2026-09")).toEqual([]);
  });

  it("labels a month without a leading zero", () => {
    expect(monthLabel("2026-01")).toBe("2026年1月");
    expect(monthLabel("2026-12")).toBe("2026年12月");
  });
});

describe("the Beijing calendar", () => {
  it("takes the month and the date of an instant in Beijing time", () => {
    expect(monthOf(new Date("2026-01-31T16:00:00.000Z"))).toBe("2026-02");
    expect(monthOf(new Date("2026-09-30T15:59:59.999Z"))).toBe("2026-09");
    expect(beijingDate(new Date("2026-11-04T16:00:00.000Z"))).toBe("2026-11-05");
    expect(beijingDate(new Date("2026-11-04T15:59:59.999Z"))).toBe("2026-11-04");
  });

  it("counts a return sent at the deadline's last millisecond as on time and one millisecond later as late", () => {
    const deadline = deadlineOf("2026-10");
    expect(isOnTime("2026-10", deadline)).toBe(true);
    expect(isOnTime("2026-10", new Date(deadline.getTime() + 1))).toBe(false);
    expect(isOnTime("2026-10", new Date(deadline.getTime() - 1))).toBe(true);
  });

  it("uses the deadline day it is given for 及时", () => {
    const lateForFive = new Date("2026-11-07T02:00:00.000Z");
    expect(isOnTime("2026-10", lateForFive)).toBe(false);
    expect(isOnTime("2026-10", lateForFive, 10)).toBe(true);
    expect(isOnTime("2026-10", deadlineOf("2026-10", 10), 10)).toBe(true);
    expect(isOnTime("2026-10", new Date(deadlineOf("2026-10", 10).getTime() + 1), 10)).toBe(false);
  });
});

describe("period ranges", () => {
  it("names the four quarters and spans their three months", () => {
    expect(quarterRange(2026, 1)).toEqual({
      kind: "quarter",
      spec: "2026-Q1",
      label: "2026年第一季度",
      from: "2026-01",
      to: "2026-03",
    });
    expect(quarterRange(2026, 2)).toMatchObject({ label: "2026年第二季度", from: "2026-04", to: "2026-06" });
    expect(quarterRange(2026, 3)).toMatchObject({ label: "2026年第三季度", from: "2026-07", to: "2026-09" });
    expect(quarterRange(2026, 4)).toMatchObject({ label: "2026年第四季度", from: "2026-10", to: "2026-12" });
  });

  it("spans a year from January to the latest month with data in it", () => {
    expect(yearToDate(2026, "2026-07")).toEqual({
      kind: "year",
      spec: "2026",
      label: "2026年1—7月",
      from: "2026-01",
      to: "2026-07",
    });
    expect(yearToDate(2026, "2026-01")).toMatchObject({ label: "2026年1月", to: "2026-01" });
    expect(yearToDate(2026, undefined)).toMatchObject({ label: "2026年1—12月", to: "2026-12" });
    // Data only in later years: the whole year; only in earlier years: nothing after January.
    expect(yearToDate(2025, "2026-03")).toMatchObject({ label: "2025年1—12月", to: "2025-12" });
    expect(yearToDate(2027, "2026-03")).toMatchObject({ label: "2027年1月", from: "2027-01", to: "2027-01" });
  });
});

describe("resolvePeriod: the edges", () => {
  const now = new Date("2026-11-10T04:00:00.000Z");
  const range = (spec: string, latest?: string) => {
    const r = resolvePeriod(spec, now, latest);
    if (!r.ok) throw new Error(r.message);
    return r.range;
  };
  const refused = (spec: string) => resolvePeriod(spec, now).ok === false;

  it("reads the keywords in any case with blanks around them, and spells them in capitals", () => {
    expect(range("  last_month ")).toEqual({
      kind: "month",
      spec: "LAST_MONTH",
      label: "2026年10月",
      from: "2026-10",
      to: "2026-10",
    });
    expect(range("This_Month")).toMatchObject({ spec: "THIS_MONTH", label: "2026年11月" });
    expect(range("this_year")).toMatchObject({ spec: "THIS_YEAR", kind: "year", label: "2026年1—11月" });
  });

  it("labels LAST_12_MONTHS with both ends", () => {
    expect(range("LAST_12_MONTHS")).toEqual({
      kind: "rolling",
      spec: "LAST_12_MONTHS",
      label: "近12个月(2025年11月—2026年10月)",
      from: "2025-11",
      to: "2026-10",
    });
  });

  it("spells a quarter, a year and a month canonically, however they were typed", () => {
    expect(range("2026q4").spec).toBe("2026-Q4");
    expect(range("2026Q1")).toMatchObject({ spec: "2026-Q1", from: "2026-01" });
    expect(range("2026", "2026-10")).toMatchObject({ spec: "2026", kind: "year" });
    expect(range("2026年9月")).toMatchObject({ spec: "2026-09", label: "2026年9月" });
  });

  it("takes quarters and years from 2000 to 2099, both ends included", () => {
    expect(range("2000-Q1")).toMatchObject({ from: "2000-01" });
    expect(range("2099-Q4")).toMatchObject({ to: "2099-12" });
    expect(range("2000")).toMatchObject({ from: "2000-01", to: "2000-12" });
    expect(range("2099")).toMatchObject({ from: "2099-01" });
    for (const spec of ["1999-Q4", "2100-Q1", "1999", "2100"]) expect(refused(spec), spec).toBe(true);
  });

  it.each(["12026-Q3", "2026-Q3x", "2026-Q0", "2026--Q3", "2026.", "+2026", "2026-", "02026"])(
    "refuses %j",
    (spec) => {
      expect(refused(spec)).toBe(true);
    },
  );
});
