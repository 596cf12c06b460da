/**
 * The edges of lib/ingest/rules.ts: who may report (with and without an uploader's scope, codes
 * Excel stripped of their zeros), the reporting calendar's boundaries (the latest month, the first
 * month, the upload's month) and what a row's issues make of it.
 */
import { describe, expect, it } from "vitest";
import { zeroValues } from "../../lib/domain/catalogue.ts";
import { issue, type ValidationIssue } from "../../lib/ingest/issues.ts";
import type { ReturnRow } from "../../lib/ingest/returns.ts";
import { checkUnitAndPeriod, NOTICES, outcomeOf, type RowContext } from "../../lib/ingest/rules.ts";
import { loadRegistry } from "./corpus-manifest.ts";

const registry = loadRegistry();

function row(extra: Partial<ReturnRow> = {}): ReturnRow {
  return {
    row: 7,
    unit: "001001001",
    period: "2026-10",
    values: zeroValues(),
    blanks: [],
    text: { explanation: "", highlight: "", reporter: "", phone: "" },
    ...extra,
  };
}

function check(extra: Partial<ReturnRow>, ctx: Partial<RowContext> = {}): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  checkUnitAndPeriod(row(extra), { registry, latestMonth: "2026-11", ...ctx }, issues);
  return issues;
}

describe("checkUnitAndPeriod: the unit", () => {
  it("accepts a reporting unit with no uploader's scope (the CLI) and inside the uploader's scope", () => {
    expect(check({})).toEqual([]);
    expect(check({}, { uploaderScope: "001001" })).toEqual([]);
    expect(check({}, { uploaderScope: "001001001" })).toEqual([]);
    expect(check({}, { uploaderScope: "001" })).toEqual([]);
  });

  it("leaves a row without a unit code to E_UNIT_MISSING (raised when the record is read)", () => {
    expect(check({ unit: "" }, { uploaderScope: "001001" })).toEqual([]);
  });

  it("refuses a 汇总单位 with E_UNIT_UNKNOWN naming it and its code", () => {
    expect(check({ unit: "001002" })).toEqual([
      issue(
        "E_UNIT_UNKNOWN",
        7,
        "001002",
        "单位代码",
        "“市直机关第二片区（经济管理）”(001002)是汇总单位,不能直接填报;请填写其下属基层党组织的代码。",
      ),
    ]);
  });

  it("refuses an unknown code with E_UNIT_UNKNOWN, asking to check it when nothing is close", () => {
    expect(check({ unit: "ABC" })).toEqual([
      issue(
        "E_UNIT_UNKNOWN",
        7,
        "ABC",
        "单位代码",
        "单位代码“ABC”不在单位名册中。请核对单位代码,或联系市直机关工委确认。",
      ),
    ]);
  });

  it("suggests the zero-padded code for a code Excel stripped of its leading zeros", () => {
    expect(check({ unit: "1002003" })).toEqual([
      issue(
        "E_UNIT_UNKNOWN",
        7,
        "1002003",
        "单位代码",
        "单位代码“1002003”不在单位名册中。是否是“001002003”?Excel可能去掉了代码开头的0,请把该列设为“文本”格式后重新填写。",
      ),
    ]);
  });

  it("refuses a unit of another 片区 with E_UNIT_FORBIDDEN naming the uploader's own scope", () => {
    expect(check({ unit: "001002001" }, { uploaderScope: "001001" })).toEqual([
      issue(
        "E_UNIT_FORBIDDEN",
        7,
        "001002001",
        "单位代码",
        "单位代码“001002001”不是市直机关第一片区（党政综合）或其下级单位的代码,本账号不能代其报送。",
      ),
    ]);
  });

  it("refuses a stripped code whose padded form lies outside the uploader's scope, without the suggestion", () => {
    const issues = check({ unit: "1002001" }, { uploaderScope: "001001" });
    expect(issues.map((i) => i.code)).toEqual(["E_UNIT_FORBIDDEN"]);
    expect(issues[0]?.message).not.toContain("001002001");
  });

  it("says 本单位 when the uploader's scope is not in the registry any more", () => {
    const issues = check({ unit: "001001001" }, { uploaderScope: "009" });
    expect(issues.map((i) => i.code)).toEqual(["E_UNIT_FORBIDDEN"]);
    expect(issues[0]?.message).toContain("不是本单位或其下级单位的代码");
  });

  it("lets ops (the root) learn that a code is unknown, with the suggestion", () => {
    const issues = check({ unit: "1002003" }, { uploaderScope: "001" });
    expect(issues.map((i) => i.code)).toEqual(["E_UNIT_UNKNOWN"]);
    expect(issues[0]?.message).toContain("是否是“001002003”");
  });
});

describe("checkUnitAndPeriod: the period", () => {
  const codes = (issues: readonly ValidationIssue[]) => issues.map((i) => i.code);

  it("accepts the latest month and refuses the month after it with E_PERIOD_FUTURE", () => {
    expect(check({ period: "2026-11" })).toEqual([]);
    expect(check({ period: "2026-12" })).toEqual([
      issue(
        "E_PERIOD_FUTURE",
        7,
        "001001001",
        "报送期间",
        "报送期间2026年12月尚未到来,请核对(当前最晚可报2026年11月)。",
      ),
    ]);
    expect(codes(check({ period: "2027-01" }))).toEqual(["E_PERIOD_FUTURE"]);
  });

  it("accepts the first reporting month and refuses the month before it with E_PERIOD_TOO_EARLY", () => {
    expect(check({ period: "2020-01" }, { firstMonth: "2020-01" })).toEqual([]);
    expect(check({ period: "2019-12" }, { firstMonth: "2020-01" })).toEqual([
      issue(
        "E_PERIOD_TOO_EARLY",
        7,
        "001001001",
        "报送期间",
        "报送期间2019年12月早于本系统开始直报的2020年1月,请核对年份和月份。",
      ),
    ]);
    expect(check({ period: "2019-12" })).toEqual([]);
  });

  it("notes W_PERIOD_MISMATCH for a row of another month than the upload's, and nothing for the same month", () => {
    expect(check({ period: "2026-10" }, { uploadPeriod: "2026-10" })).toEqual([]);
    expect(check({ period: "2026-11" }, { uploadPeriod: "2026-10" })).toEqual([
      issue(
        "W_PERIOD_MISMATCH",
        7,
        "001001001",
        "报送期间",
        "本行报送期间为2026年11月,与上传时选择的2026年10月不一致;已按本行填写的期间接收,如有误请更正后重新上传。",
      ),
    ]);
  });

  it("gives one period issue only: a future month is not also a mismatch", () => {
    expect(codes(check({ period: "2027-03" }, { uploadPeriod: "2026-10", firstMonth: "2020-01" }))).toEqual([
      "E_PERIOD_FUTURE",
    ]);
    expect(codes(check({ period: "2019-03" }, { uploadPeriod: "2026-10", firstMonth: "2020-01" }))).toEqual([
      "E_PERIOD_TOO_EARLY",
    ]);
  });

  it("checks nothing about an unreadable period, and names no unit on a row without one", () => {
    expect(check({ period: null }, { uploadPeriod: "2026-10", firstMonth: "2020-01" })).toEqual([]);
    const issues = check({ unit: "", period: "2026-12" });
    expect(issues.map((i) => [i.code, i.unit])).toEqual([["E_PERIOD_FUTURE", null]]);
  });
});

describe("outcomeOf", () => {
  const of = (code: Parameters<typeof issue>[0]) => issue(code, 2, "001001001", null, "");

  it("treats W_UNKNOWN_COLUMN and W_PERIOD_MISMATCH as notices, and no other code", () => {
    expect([...NOTICES].sort()).toEqual(["W_PERIOD_MISMATCH", "W_UNKNOWN_COLUMN"]);
  });

  it("accepts a row with only notices, without a 说明", () => {
    expect(outcomeOf([of("W_PERIOD_MISMATCH"), of("W_UNKNOWN_COLUMN")], "")).toBe("accepted");
  });

  it("accepts a row without issues, with or without a 说明", () => {
    expect(outcomeOf([], "")).toBe("accepted");
    expect(outcomeOf([], "说明")).toBe("accepted");
  });

  it("rejects an error that comes after a notice and after a warning", () => {
    expect(outcomeOf([of("W_PERIOD_MISMATCH"), of("E_NEGATIVE")], "已核实")).toBe("rejected");
    expect(outcomeOf([of("W_ALL_ZERO"), of("E_NEGATIVE")], "")).toBe("rejected");
  });

  it("holds a warning after a notice for a 说明, and accepts it with one", () => {
    expect(outcomeOf([of("W_PERIOD_MISMATCH"), of("W_OUTLIER")], "")).toBe("needs_explanation");
    expect(outcomeOf([of("W_PERIOD_MISMATCH"), of("W_OUTLIER")], "本月集中开展活动")).toBe("accepted");
  });
});
