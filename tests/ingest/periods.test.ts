import { describe, expect, it } from "vitest";
import { deadlineOf, isOnTime, monthOf, parseMonth, resolvePeriod } from "../../lib/domain/periods.ts";

/** An instant given as Beijing wall-clock time. */
const beijing = (local: string): Date => new Date(`${local}+08:00`);

describe("parseMonth", () => {
  it.each([
    ["2026-10", "2026-10"],
    ["2026/10", "2026-10"],
    ["2026.10", "2026-10"],
    ["202610", "2026-10"],
    ["2026年10月", "2026-10"],
    ["2026年10月份", "2026-10"],
    ["2026-9", "2026-09"],
    ["2026.9", "2026-09"],
    ["2026/9", "2026-09"],
    ["2026年9月", "2026-09"],
    ["2026-09", "2026-09"],
    ["２０２６年１０月", "2026-10"],
    ["２０２６－１０", "2026-10"],
    [" 2026 年 1 月 ", "2026-01"],
    ["2026/10/1", "2026-10"],
    ["2026-10-01", "2026-10"],
    ["2026/10/1 0:00", "2026-10"],
  ])("reads %j as %s", (text, month) => {
    expect(parseMonth(text)).toBe(month);
  });

  it.each([
    "2026-13",
    "2026-0",
    "2026年00月",
    "1999-12",
    "2100-01",
    "10月",
    "2026",
    "20261",
    "2026/10/32",
    "Oct-26",
    "二〇二六年十月",
    "",
  ])("refuses %j", (text) => {
    expect(parseMonth(text)).toBeUndefined();
  });
});

describe("monthOf", () => {
  it("turns to the new month at midnight Beijing time, not UTC", () => {
    expect(monthOf(new Date("2026-10-31T15:59:59.999Z"))).toBe("2026-10");
    expect(monthOf(new Date("2026-10-31T16:00:00.000Z"))).toBe("2026-11");
    expect(monthOf(beijing("2026-11-01T00:00:00"))).toBe("2026-11");
    expect(monthOf(beijing("2026-10-31T23:59:59"))).toBe("2026-10");
  });

  it("turns the year at midnight Beijing time on 1 January", () => {
    expect(monthOf(new Date("2026-12-31T15:59:59Z"))).toBe("2026-12");
    expect(monthOf(new Date("2026-12-31T16:00:00Z"))).toBe("2027-01");
  });
});

describe("deadlineOf", () => {
  it("is the end of the 5th of the next month, Beijing time, by default", () => {
    expect(deadlineOf("2026-10").toISOString()).toBe("2026-11-05T15:59:59.999Z");
    expect(deadlineOf("2026-10").getTime()).toBe(beijing("2026-11-06T00:00:00").getTime() - 1);
  });

  it("rolls over the year for December", () => {
    expect(deadlineOf("2026-12").toISOString()).toBe("2027-01-05T15:59:59.999Z");
  });

  it("takes another deadline day", () => {
    expect(deadlineOf("2026-01", 10).toISOString()).toBe("2026-02-10T15:59:59.999Z");
    expect(deadlineOf("2026-01", 28).toISOString()).toBe("2026-02-28T15:59:59.999Z");
  });

  it("counts a return sent at 23:59:59 Beijing on the 5th as on time, and at midnight as late", () => {
    expect(isOnTime("2026-10", beijing("2026-11-05T23:59:59"))).toBe(true);
    expect(isOnTime("2026-10", beijing("2026-11-06T00:00:00"))).toBe(false);
    expect(isOnTime("2026-10", new Date("2026-11-05T16:30:00Z"))).toBe(false);
  });
});

describe("resolvePeriod", () => {
  const now = beijing("2026-11-10T12:00:00");

  function range(spec: string, at: Date = now, latest?: string) {
    const r = resolvePeriod(spec, at, latest);
    if (!r.ok) throw new Error(r.message);
    return r.range;
  }

  it("resolves a month in any spelling a unit types", () => {
    expect(range("2026-10")).toEqual({
      kind: "month",
      spec: "2026-10",
      label: "2026年10月",
      from: "2026-10",
      to: "2026-10",
    });
    expect(range("2026年9月")).toMatchObject({
      kind: "month",
      from: "2026-09",
      to: "2026-09",
    });
  });

  it("resolves quarters with or without the dash, in either case", () => {
    expect(range("2026-Q3")).toEqual({
      kind: "quarter",
      spec: "2026-Q3",
      label: "2026年第三季度",
      from: "2026-07",
      to: "2026-09",
    });
    expect(range("2026q4")).toMatchObject({
      from: "2026-10",
      to: "2026-12",
      label: "2026年第四季度",
    });
  });

  it("resolves a year as January up to the latest month with data", () => {
    expect(range("2026", now, "2026-10")).toMatchObject({
      kind: "year",
      from: "2026-01",
      to: "2026-10",
      label: "2026年1—10月",
    });
    expect(range("2025", now, "2026-10")).toMatchObject({
      from: "2025-01",
      to: "2025-12",
    });
    expect(range("2026", now)).toMatchObject({
      from: "2026-01",
      to: "2026-12",
    });
  });

  it("resolves THIS_MONTH and LAST_MONTH from Beijing time", () => {
    expect(range("THIS_MONTH")).toMatchObject({
      from: "2026-11",
      to: "2026-11",
      spec: "THIS_MONTH",
    });
    expect(range("this_month", new Date("2026-10-31T16:30:00Z"))).toMatchObject({ from: "2026-11" });
    expect(range("LAST_MONTH")).toMatchObject({
      from: "2026-10",
      to: "2026-10",
    });
    expect(range("LAST_MONTH", beijing("2027-01-03T09:00:00"))).toMatchObject({
      from: "2026-12",
      to: "2026-12",
    });
  });

  it("resolves THIS_YEAR to the latest month with data, or the current month", () => {
    expect(range("THIS_YEAR", now, "2026-10")).toMatchObject({
      kind: "year",
      from: "2026-01",
      to: "2026-10",
    });
    expect(range("THIS_YEAR")).toMatchObject({
      from: "2026-01",
      to: "2026-11",
    });
  });

  it("resolves LAST_12_MONTHS to the twelve whole months before this one", () => {
    const r = range("LAST_12_MONTHS");
    expect(r).toMatchObject({
      kind: "rolling",
      from: "2025-11",
      to: "2026-10",
    });
    expect(r.label).toContain("2025年11月—2026年10月");
  });

  it.each(["2026-Q5", "1999", "2026-13", "下个月", ""])(
    "refuses %j with a Chinese message naming it",
    (spec) => {
      const r = resolvePeriod(spec, now);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toContain(`无法识别的期间“${spec}”`);
    },
  );
});
