/**
 * Workbook cells → the text the CSV path reads, and the choice of sheet, on the neutral model
 * (no library involved): Excel's date serials, number display, percent and zero-padded formats.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FileProblem } from "../../lib/errors.ts";
import { cellText, chooseSheet, mergeNotes, numberText, serialToText } from "../../lib/ingest/sheet.ts";
import type { Cell, Sheet, Workbook } from "../../lib/ingest/workbook.ts";

const number = (value: number, format = "General", date = false): Cell => ({
  kind: "number",
  value,
  format,
  date,
});

function sheet(name: string, rows: (string | undefined)[][], extra: Partial<Sheet> = {}): Sheet {
  return {
    name,
    hidden: false,
    chart: false,
    rowCount: rows.length,
    merges: [],
    row: (r) =>
      rows[r]?.map((t): Cell | undefined => (t === undefined ? undefined : { kind: "text", text: t })),
    release: () => {},
    ...extra,
  };
}
const book = (...sheets: Sheet[]): Workbook => ({ format: "xlsx", date1904: false, sheets });
const HEADER = ["单位代码", "报送期间", "党支部总数", "党员总数"];

describe("Excel date serials", () => {
  it.each([
    [1, "1900-01-01"],
    [59, "1900-02-28"],
    [60, "1900-02-29"], // Excel's phantom leap day (kept, so the period check refuses it)
    [61, "1900-03-01"],
    [46296, "2026-10-01"],
    [46326, "2026-10-31"],
    [46327, "2026-11-01"],
    [46296.5, "2026-10-01 12:00"],
  ])("1900 system: %f is %s", (serial, text) => {
    expect(serialToText(serial, false)).toBe(text);
  });

  it("1904 system (old Mac Excel) counts from 1904-01-01", () => {
    expect(serialToText(0, true)).toBe("1904-01-01");
    expect(serialToText(46296 - 1462, true)).toBe("2026-10-01");
  });

  it("agrees with calendar arithmetic for every day from 1901 to 2099", () => {
    fc.assert(
      fc.property(fc.integer({ min: 367, max: 73050 }), (serial) => {
        const expected = new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);
        expect(serialToText(serial, false)).toBe(expected);
      }),
    );
  });
});

describe("cells as text", () => {
  it("shows numbers as Excel's General format does: 15 significant digits, no float noise", () => {
    expect(numberText(0.1 + 0.2)).toBe("0.3");
    expect(numberText(1106)).toBe("1106");
    expect(numberText(-0)).toBe("0");
    expect(numberText(12345.6)).toBe("12345.6");
    expect(cellText(number(2.5, "0"), false)).toBe("2.5"); // the value, not the rounded display "3"
  });

  it("shows percent cells with their percent sign, whatever the decimals", () => {
    expect(cellText(number(0.8, "0%"), false)).toBe("80%");
    expect(cellText(number(0.125, "0.0%"), false)).toBe("12.5%");
    expect(cellText(number(0.8, '0"%以上"'), false)).toBe("0.8"); // a quoted % is only a label
  });

  it("pads codes shown with a zeros format, and only those", () => {
    expect(cellText(number(1001001, "000000000"), false)).toBe("001001001");
    expect(cellText(number(1001001, "General"), false)).toBe("1001001");
    expect(cellText(number(1001001, "#,##0"), false)).toBe("1001001");
  });

  it("writes dates as YYYY-MM-DD, booleans and errors as Excel's CSV does, formulas without a value as =…", () => {
    expect(cellText(number(46296, "yyyy-mm", true), false)).toBe("2026-10-01");
    expect(cellText({ kind: "boolean", value: false }, false)).toBe("FALSE");
    expect(cellText({ kind: "error", text: "#N/A" }, false)).toBe("#N/A");
    expect(cellText({ kind: "formula", formula: "SUM(C2:C9)" }, false)).toBe("=SUM(C2:C9)");
    expect(cellText(undefined, false)).toBe("");
  });
});

describe("choosing the sheet", () => {
  it("takes 月报表 wherever it is, and names the other sheets that hold data (not 填报说明, not hidden ones)", () => {
    const chosen = chooseSheet(
      book(
        sheet("填报说明", [["请按名册填写"]]),
        sheet("历史", [HEADER, ["001001001", "2026-09", "3", "46"]]),
        sheet("隐藏", [["x"]], { hidden: true }),
        sheet("空表", []),
        sheet(" 月报表 ", [HEADER]),
      ),
    );
    expect(chosen.sheet.name).toBe(" 月报表 ");
    expect(chosen.notices.map((n) => n.code)).toEqual(["W_OTHER_SHEETS"]);
    expect(chosen.notices[0]?.message).toContain("“历史”");
    expect(chosen.notices[0]?.message).not.toContain("填报说明");
    expect(chosen.notices[0]?.message).not.toContain("隐藏");
  });

  it("else takes the first visible sheet with a header within the first five rows", () => {
    const late = sheet("迟", [["标题"], ["a"], ["b"], ["c"], ["d"], ["e"], HEADER]);
    const good = sheet("好", [["2026年10月月报"], [], HEADER]);
    expect(chooseSheet(book(late, good)).sheet.name).toBe("好");
    // Nothing recognisable anywhere: the first sheet with cells, which then fails on its header.
    expect(chooseSheet(book(sheet("空", []), late)).sheet.name).toBe("迟");
  });

  it("refuses a workbook with nothing but empty sheets or charts, saying which", () => {
    const refuse = (b: Workbook): string => {
      try {
        chooseSheet(b);
      } catch (err) {
        expect(err).toBeInstanceOf(FileProblem);
        expect((err as FileProblem).issueCode).toBe("E_EMPTY");
        return (err as Error).message;
      }
      throw new Error("not refused");
    };
    expect(refuse(book(sheet("Sheet1", [])))).toContain("工作簿是空的");
    expect(refuse(book(sheet("Chart1", [], { chart: true })))).toContain("只有图表");
    expect(refuse(book(sheet("月报表", [[HEADER[0]]], { hidden: true })))).toContain("工作簿是空的");
  });
});

describe("merged cells", () => {
  it("notes every row a merged range covers, naming the range; single cells are not merges", () => {
    const notes = mergeNotes([
      { r1: 1, c1: 1, r2: 3, c2: 1 },
      { r1: 4, c1: 29, r2: 4, c2: 31 },
      { r1: 6, c1: 0, r2: 6, c2: 0 },
    ]);
    expect([...notes.keys()]).toEqual([1, 2, 3, 4]);
    expect(notes.get(2)?.[0]?.detail).toContain("B2:B4");
    expect(notes.get(4)?.[0]?.detail).toContain("AD5:AF5");
  });
});
