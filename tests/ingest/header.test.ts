/**
 * The return file's header row: every name a column may go by, how header text is compared, and
 * what is refused (a required column missing, a column twice) or only noted (an unknown column).
 */
import { describe, expect, it } from "vitest";
import { INDICATOR_KEYS, INDICATORS, indicator } from "../../lib/domain/catalogue.ts";
import { type ColumnMap, resolveHeader, TEXT_FIELDS, templateHeader } from "../../lib/ingest/header.ts";
import { issue } from "../../lib/ingest/issues.ts";

const REQUIRED = ["单位代码", "报送期间", "党支部总数", "党员总数"];

function columns(header: readonly string[]): ColumnMap {
  const r = resolveHeader(header);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join("\n"));
  return r.columns;
}

function refused(header: readonly string[]) {
  const r = resolveHeader(header);
  if (r.ok) throw new Error("the header was accepted");
  return r.issues;
}

describe("templateHeader", () => {
  it("lists 单位代码, 报送期间, every indicator in catalogue order and the text columns", () => {
    expect(templateHeader()).toEqual([
      "单位代码",
      "报送期间",
      ...INDICATORS.map((i) => i.name),
      "说明",
      "亮点工作",
      "填报人",
      "联系电话",
    ]);
  });

  it("reads back as itself: every column found where the template puts it, nothing absent", () => {
    const header = templateHeader();
    const c = columns(header);
    expect(c.unit).toBe(0);
    expect(c.period).toBe(1);
    expect(c.indicators.map((i) => [i.key, i.index, i.label, i.position])).toEqual(
      INDICATORS.map((ind, i) => [ind.key, i + 2, ind.name, i]),
    );
    expect(c.indicators.every((i) => i.def === indicator(i.key))).toBe(true);
    expect(c.absent).toEqual([]);
    const n = INDICATORS.length + 2;
    expect(c.text).toEqual({ explanation: n, highlight: n + 1, reporter: n + 2, phone: n + 3 });
    expect(c.width).toBe(header.length);
  });
});

describe("resolveHeader: the names a column goes by", () => {
  it.each(["单位代码", "unit_code", "code", "组织代码", "UNIT_CODE", "Code"])(
    "finds 单位代码 as %j",
    (name) => {
      expect(columns([name, "报送期间", "党支部总数", "党员总数"]).unit).toBe(0);
    },
  );

  it.each(["报送期间", "period", "期间", "报告期", "统计期间", "PERIOD"])("finds 报送期间 as %j", (name) => {
    expect(columns(["单位代码", name, "党支部总数", "党员总数"]).period).toBe(1);
  });

  it.each([
    ["说明", "explanation"],
    ["explanation", "explanation"],
    ["情况说明", "explanation"],
    ["备注说明", "explanation"],
    ["亮点工作", "highlight"],
    ["highlight", "highlight"],
    ["亮点", "highlight"],
    ["填报人", "reporter"],
    ["reporter", "reporter"],
    ["联系电话", "phone"],
    ["phone", "phone"],
    ["电话", "phone"],
  ])("finds the text column %j as %s", (name, key) => {
    expect(columns([...REQUIRED, name]).text).toEqual({ [key]: 4 });
  });

  it("finds every indicator by its key as well as by its 中文名, labelled with the 中文名", () => {
    const c = columns(["unit_code", "period", ...INDICATORS.map((i) => i.key)]);
    expect(c.indicators.map((i) => [i.key, i.label])).toEqual(INDICATORS.map((i) => [i.key, i.name]));
  });

  it("compares header text without blanks, 全角, a trailing (unit), a required-mark * or case", () => {
    const c = columns([
      " 单位 代码 ",
      "ＰＥＲＩＯＤ",
      "*党支部总数",
      "党员总数（名）",
      "志愿服务时长(小时)",
      "Donations_Yuan",
    ]);
    expect([c.unit, c.period]).toEqual([0, 1]);
    expect(c.indicators.map((i) => [i.key, i.label])).toEqual([
      ["branches_total", "党支部总数"],
      ["members_total", "党员总数"],
      ["volunteer_hours", "志愿服务时长"],
      ["donations_yuan", "捐款金额"],
    ]);
  });

  it("passes over blank header cells and keeps the width of the whole row", () => {
    const r = resolveHeader(["单位代码", "", "报送期间", " ", "党支部总数", "党员总数", ""]);
    expect(r.ok && r.notices).toEqual([]);
    const c = columns(["单位代码", "", "报送期间", " ", "党支部总数", "党员总数", ""]);
    expect([c.unit, c.period, c.width]).toEqual([0, 2, 7]);
    expect(c.indicators.map((i) => i.index)).toEqual([4, 5]);
  });

  it("lists the optional indicators the file has no column for as absent, in catalogue order", () => {
    const c = columns([...REQUIRED, "三会一课"]);
    expect(c.absent).toEqual(
      INDICATOR_KEYS.filter((k) => !["branches_total", "members_total", "sanhui_yike"].includes(k)),
    );
  });
});

describe("resolveHeader: unknown and informational columns", () => {
  it("accepts 单位名称, unit_name, 序号 and 上级单位 without a notice", () => {
    for (const name of ["单位名称", "unit_name", "序号", "上级单位"]) {
      const r = resolveHeader([...REQUIRED, name]);
      expect(r.ok && r.notices, name).toEqual([]);
    }
  });

  it("notes an unknown column with W_UNKNOWN_COLUMN on row 1, quoting it trimmed", () => {
    const r = resolveHeader([...REQUIRED, " 备注 "]);
    expect(r.ok && r.notices).toEqual([
      issue("W_UNKNOWN_COLUMN", 1, null, " 备注 ", "未识别的列“备注”,已忽略该列。"),
    ]);
  });
});

describe("resolveHeader: refused headers", () => {
  it("refuses a header without the required columns with E_HEADER_MISSING, naming them in order", () => {
    expect(refused(["说明", "三会一课"])).toEqual([
      issue(
        "E_HEADER_MISSING",
        1,
        null,
        null,
        "表头缺少必填列:单位代码、报送期间、党支部总数、党员总数。请使用“dangjian template”生成的模板填报。",
      ),
    ]);
    expect(refused(["单位代码", "党支部总数", "党员总数"])[0]?.message).toContain("缺少必填列:报送期间。");
    expect(refused(["报送期间", "党支部总数", "党员总数"])[0]?.message).toContain("缺少必填列:单位代码。");
    expect(refused(["单位代码", "报送期间", "党支部总数"])[0]?.message).toContain("缺少必填列:党员总数。");
  });

  it("refuses a column given twice, under any of its names, with E_HEADER_DUPLICATE naming both positions", () => {
    expect(refused([...REQUIRED, "code"])).toEqual([
      issue("E_HEADER_DUPLICATE", 1, null, "code", "“单位代码”列出现了两次(第1列和第5列),请删除多余的一列。"),
    ]);
    expect(refused(["单位代码", "期间", "党支部总数", "党员总数", "报送期间"])[0]?.message).toContain(
      "“报送期间”列出现了两次(第2列和第5列)",
    );
    expect(refused([...REQUIRED, "sanhui_yike", "三会一课"])[0]?.message).toContain(
      "“三会一课”列出现了两次(第5列和第6列)",
    );
    expect(refused([...REQUIRED, "说明", "备注说明"])[0]?.message).toContain(
      "“说明”列出现了两次(第5列和第6列)",
    );
  });

  it("tells apart two indicators and two text columns: they are no duplicates of each other", () => {
    const c = columns([...REQUIRED, "三会一课", "警示教育", "说明", "亮点工作"]);
    expect(c.indicators.map((i) => i.key)).toEqual([
      "branches_total",
      "members_total",
      "sanhui_yike",
      "warning_edu",
    ]);
    expect(c.text).toEqual({ explanation: 6, highlight: 7 });
  });

  it("gives every problem at once: a duplicate and a missing column", () => {
    expect(refused(["单位代码", "code", "党员总数"]).map((i) => i.code)).toEqual([
      "E_HEADER_DUPLICATE",
      "E_HEADER_MISSING",
    ]);
  });
});

describe("TEXT_FIELDS", () => {
  it("keys the four text columns with their limits in characters", () => {
    expect(TEXT_FIELDS.map((t) => [t.key, t.name, t.maxLength])).toEqual([
      ["explanation", "说明", 500],
      ["highlight", "亮点工作", 2000],
      ["reporter", "填报人", 50],
      ["phone", "联系电话", 40],
    ]);
  });
});
