/**
 * One record → a return: the unit and period cells, every figure problem with its code and
 * message, required and optional blanks, the range limit, extra cells and the text columns'
 * limits (in characters, not UTF-16 units).
 */
import { describe, expect, it } from "vitest";
import { INDICATOR_KEYS, zeroValues } from "../../lib/domain/catalogue.ts";
import { type ColumnMap, resolveHeader } from "../../lib/ingest/header.ts";
import { issue, type ValidationIssue } from "../../lib/ingest/issues.ts";
import { isBlankRecord, normaliseRecord } from "../../lib/ingest/returns.ts";

const HEADER = [
  "单位代码",
  "报送期间",
  "党支部总数",
  "党员总数",
  "警示教育",
  "志愿服务时长",
  "捐款金额",
  "说明",
  "亮点工作",
  "填报人",
  "联系电话",
];

function columnsOf(header: readonly string[]): ColumnMap {
  const r = resolveHeader(header);
  if (!r.ok) throw new Error(r.issues[0]?.message);
  return r.columns;
}

/** A record of HEADER: unit, period, 党支部总数, 党员总数, 警示教育, 志愿服务时长, 捐款金额, then text. */
function read(cells: readonly string[], columns: ColumnMap = columnsOf(HEADER)) {
  const issues: ValidationIssue[] = [];
  const r = normaliseRecord(cells, columns, 9, issues);
  return { r, issues };
}
const GOOD = ["001001001", "2026-10", "3", "50", "2", "12.5", "100.25", "", "", "", ""];
const withCell = (index: number, value: string) => GOOD.map((c, i) => (i === index ? value : c));

describe("isBlankRecord", () => {
  it("is true for a record of nothing but blanks, and false when any cell has text", () => {
    expect(isBlankRecord([])).toBe(true);
    expect(isBlankRecord(["", "", ""])).toBe(true);
    expect(isBlankRecord(["", " ", "\u3000", "\t"])).toBe(true);
    expect(isBlankRecord(["", "", "x"])).toBe(false);
    expect(isBlankRecord(["0", ""])).toBe(false);
  });
});

describe("normaliseRecord", () => {
  it("reads a good record: unit, canonical period, figures by key, no blanks, no issues", () => {
    const { r, issues } = read(GOOD);
    expect(issues).toEqual([]);
    expect(r).toEqual({
      row: 9,
      unit: "001001001",
      period: "2026-10",
      values: {
        ...zeroValues(),
        branches_total: 3,
        members_total: 50,
        warning_edu: 2,
        volunteer_hours: 12.5,
        donations_yuan: 100.25,
      },
      blanks: INDICATOR_KEYS.filter(
        (k) =>
          !["branches_total", "members_total", "warning_edu", "volunteer_hours", "donations_yuan"].includes(
            k,
          ),
      ),
      text: { explanation: "", highlight: "", reporter: "", phone: "" },
    });
    expect("unread" in r).toBe(false);
  });

  it("cleans the unit code (blanks, 全角 digits) and reads the period in any spelling", () => {
    const { r } = read(["  ００１００１００１\u3000", " 2026年9月 ", ...GOOD.slice(2)]);
    expect([r.unit, r.period]).toEqual(["001001001", "2026-09"]);
  });

  it("records no blanks when the file has every indicator and fills them all", () => {
    const all = columnsOf(["单位代码", "报送期间", ...INDICATOR_KEYS]);
    const { r, issues } = read(["001001001", "2026-10", ...INDICATOR_KEYS.map(() => "1")], all);
    expect(issues).toEqual([]);
    expect(r.blanks).toEqual([]);
  });

  it("records a blank optional figure as blank and 0, listed before the columns the file lacks", () => {
    const { r, issues } = read(withCell(4, " "));
    expect(issues).toEqual([]);
    expect(r.values.warning_edu).toBe(0);
    expect(r.blanks[0]).toBe("warning_edu");
    expect(r.blanks).toContain("sanhui_yike");
  });

  it("refuses an empty unit code with E_UNIT_MISSING and names no unit on the row's other issues", () => {
    const { r, issues } = read(["", "2026-10", "3", "-50", "", "", "", "", "", "", ""]);
    expect(r.unit).toBe("");
    expect(issues.map((i) => [i.code, i.unit, i.column])).toEqual([
      ["E_UNIT_MISSING", null, "单位代码"],
      ["E_NEGATIVE", null, "党员总数"],
    ]);
    expect(issues[0]?.message).toBe("第9行 单位代码:单位代码为空,请填写本单位代码。");
  });

  it("refuses an empty period and an unreadable one with E_PERIOD_INVALID, quoting the cell", () => {
    const empty = read(withCell(1, " "));
    expect(empty.r.period).toBeNull();
    expect(empty.issues).toEqual([
      issue("E_PERIOD_INVALID", 9, "001001001", "报送期间", "报送期间为空,请填写如“2026-10”或“2026年10月”。"),
    ]);
    const bad = read(withCell(1, "十月"));
    expect(bad.r.period).toBeNull();
    expect(bad.issues).toEqual([
      issue(
        "E_PERIOD_INVALID",
        9,
        "001001001",
        "报送期间",
        "“十月”不是有效的报送期间,请填写如“2026-10”或“2026年10月”。",
      ),
    ]);
  });

  it.each([
    [
      4,
      "三",
      "E_NOT_NUMBER",
      "警示教育",
      "“三”不是有效的数字,请填写阿拉伯数字(不要使用科学计数法、文字或公式)。",
    ],
    [4, "-2", "E_NEGATIVE", "警示教育", "“-2”不能为负数,请核对后重新填报。"],
    [4, "2.5", "E_NOT_INTEGER", "警示教育", "“2.5”应填写整数。"],
    [5, "12.25", "E_NOT_NUMBER", "志愿服务时长", "“12.25”最多保留1位小数。"],
    [6, "1.255", "E_NOT_NUMBER", "捐款金额", "“1.255”最多保留2位小数。"],
    [6, " 1.255 ", "E_NOT_NUMBER", "捐款金额", "“1.255”最多保留2位小数。"],
  ])(
    "refuses column %i = %j with %s, leaving the figure at 0 and unread",
    (index, cell, code, column, message) => {
      const { r, issues } = read(withCell(index, cell));
      expect(issues).toEqual([issue(code as "E_NOT_NUMBER", 9, "001001001", column, message)]);
      const key = r.unread?.[0];
      expect(r.unread).toHaveLength(1);
      expect(key && r.values[key]).toBe(0);
      expect(r.blanks).not.toContain(key);
    },
  );

  it("lists every unreadable figure of the row, in column order", () => {
    const { r } = read(["001001001", "2026-10", "x", "", "-1", "", "", "", "", "", ""]);
    expect(r.unread).toEqual(["branches_total", "members_total", "warning_edu"]);
  });

  it("refuses a blank required figure with E_REQUIRED_MISSING and counts it unread, not blank", () => {
    const { r, issues } = read(withCell(3, ""));
    expect(issues).toEqual([issue("E_REQUIRED_MISSING", 9, "001001001", "党员总数", "为必填项,不能为空。")]);
    expect(r.unread).toEqual(["members_total"]);
    expect(r.blanks).not.toContain("members_total");
  });

  it("accepts a figure at the indicator's maximum and refuses one above it with E_OUT_OF_RANGE, keeping it", () => {
    expect(read(withCell(2, "10000")).issues).toEqual([]);
    expect(read(withCell(2, "10,000")).issues).toEqual([]);
    const over = read(withCell(2, "10001"));
    expect(over.issues).toEqual([
      issue(
        "E_OUT_OF_RANGE",
        9,
        "001001001",
        "党支部总数",
        "10001个超出合理范围(单个单位每月不超过10000个),请核对是否多填了位数。",
      ),
    ]);
    expect(over.r.values.branches_total).toBe(10001);
    expect("unread" in over.r).toBe(false);
    expect(read(withCell(2, "10,001")).issues.map((i) => i.code)).toEqual(["E_OUT_OF_RANGE"]);
  });

  it("reads figures off the careful path too: grouped, 全角, with the measure word", () => {
    const { r, issues } = read([
      "001001001",
      "2026-10",
      "３个",
      "1,050",
      "2次",
      "12.5 小时",
      "100.250",
      "",
      "",
      "",
      "",
    ]);
    expect(issues).toEqual([]);
    expect([
      r.values.branches_total,
      r.values.members_total,
      r.values.warning_edu,
      r.values.volunteer_hours,
      r.values.donations_yuan,
    ]).toEqual([3, 1050, 2, 12.5, 100.25]);
  });

  it("reads an empty record as a row without unit code or period", () => {
    const { r, issues } = read([]);
    expect([r.unit, r.period]).toEqual(["", null]);
    expect(issues.map((i) => i.code)).toEqual([
      "E_UNIT_MISSING",
      "E_PERIOD_INVALID",
      "E_REQUIRED_MISSING",
      "E_REQUIRED_MISSING",
    ]);
  });

  it("reads a record shorter than the header: the missing cells are blank", () => {
    const { r, issues } = read(["001001001", "2026-10", "3", "50"]);
    expect(issues).toEqual([]);
    expect(r.values.warning_edu).toBe(0);
    expect(r.blanks).toContain("warning_edu");
    expect(r.text).toEqual({ explanation: "", highlight: "", reporter: "", phone: "" });
  });

  it("refuses cells beyond the header with E_MALFORMED, counting the extra columns; blank extra cells are fine", () => {
    expect(read([...GOOD, "", " "]).issues).toEqual([]);
    const { issues } = read([...GOOD, "", "x"]);
    expect(issues).toEqual([
      issue(
        "E_MALFORMED",
        9,
        "001001001",
        null,
        "本行有13列,比表头多出2列,可能是某个单元格里的逗号没有加引号,请检查。",
      ),
    ]);
  });

  it("keeps the text columns verbatim but for surrounding blanks, formulas included", () => {
    const { r } = read([
      ...GOOD.slice(0, 7),
      "  本月支部暂停活动 ",
      '=HYPERLINK("x")',
      "张三",
      " 0123-4567890 ",
    ]);
    expect(r.text).toEqual({
      explanation: "本月支部暂停活动",
      highlight: '=HYPERLINK("x")',
      reporter: "张三",
      phone: "0123-4567890",
    });
  });

  it("leaves a text column the file does not have empty", () => {
    const { r } = read(
      ["001001001", "2026-10", "3", "50", "说明在此"],
      columnsOf(["单位代码", "报送期间", "党支部总数", "党员总数", "备注说明"]),
    );
    expect(r.text).toEqual({ explanation: "说明在此", highlight: "", reporter: "", phone: "" });
  });

  it.each([
    [7, "说明", 500],
    [8, "亮点工作", 2000],
    [9, "填报人", 50],
    [10, "联系电话", 40],
  ])(
    "accepts column %i (%s) at %i characters and refuses one more with E_TEXT_TOO_LONG",
    (index, name, max) => {
      expect(read(withCell(index, "字".repeat(max))).issues).toEqual([]);
      const { r, issues } = read(withCell(index, "字".repeat(max + 1)));
      expect(issues).toEqual([
        issue(
          "E_TEXT_TOO_LONG",
          9,
          "001001001",
          name,
          `共${max + 1}字,超过${max}字的上限,请精简后重新填报。`,
        ),
      ]);
      expect(Object.values(r.text).some((t) => t.length === max + 1)).toBe(true);
    },
  );

  it("counts characters, not UTF-16 units: 500 emoji fit in the 说明", () => {
    expect(read(withCell(7, "👍".repeat(500))).issues).toEqual([]);
    const { issues } = read(withCell(7, "👍".repeat(501)));
    expect(issues.map((i) => i.message)).toEqual(["第9行 说明:共501字,超过500字的上限,请精简后重新填报。"]);
  });
});
