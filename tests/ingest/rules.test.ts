import { describe, expect, it } from "vitest";
import { type IndicatorKey, type Values, zeroValues } from "../../lib/domain/catalogue.ts";
import { addMonths } from "../../lib/domain/periods.ts";
import type { ValidationIssue } from "../../lib/ingest/issues.ts";
import type { ReturnRow } from "../../lib/ingest/returns.ts";
import {
  checkConsistency,
  checkHistory,
  isOutlier,
  type PriorReturn,
  ROW_RULES,
} from "../../lib/ingest/row-rules.ts";
import { checkUnitAndPeriod, outcomeOf } from "../../lib/ingest/rules.ts";
import { THRESHOLDS } from "../../lib/ingest/thresholds.ts";
import { loadRegistry } from "./corpus-manifest.ts";

function values(over: Partial<Values> = {}): Values {
  return {
    ...zeroValues(),
    branches_total: 3,
    members_total: 50,
    sanhui_yike: 12,
    ...over,
  };
}

function row(over: Partial<Values> = {}, extra: Partial<ReturnRow> = {}): ReturnRow {
  const text = { explanation: "", highlight: "", reporter: "", phone: "" };
  return {
    row: 2,
    unit: "001001001",
    period: "2026-10",
    values: values(over),
    blanks: [],
    text,
    ...extra,
  };
}

/** `series[i]` of `key` for the months just before 2026-10, oldest first. */
function months(key: IndicatorKey, series: readonly number[], over: Partial<Values> = {}): PriorReturn[] {
  return series.map((v, i) => ({
    period: addMonths("2026-10", i - series.length),
    values: values({ ...over, [key]: v }),
  }));
}

const codes = (issues: readonly ValidationIssue[]): string[] => issues.map((i) => `${i.code}:${i.column}`);

describe("isOutlier", () => {
  it("does not turn 4 → 5 into an outlier after a flat history (MAD 0)", () => {
    expect(isOutlier(5, [4, 4, 4, 4, 4, 4, 4, 4])).toEqual({
      outlier: false,
      median: 4,
    });
  });

  it("flags a material jump after a flat history", () => {
    expect(isOutlier(50, [4, 4, 4, 4, 4, 4, 4, 4])).toEqual({
      outlier: true,
      median: 4,
    });
  });

  it("needs the change to be material: |x − median| ≥ max(10, 50% of the median)", () => {
    const history = [100, 110, 90, 105, 95, 100, 102, 98];
    expect(isOutlier(149, history).outlier).toBe(false);
    expect(isOutlier(150, history).outlier).toBe(true);
    expect(isOutlier(51, history).outlier).toBe(false);
    expect(isOutlier(50, history).outlier).toBe(true);
  });

  it("needs at least 10 in absolute terms for small counts", () => {
    const history = [0, 1, 0, 2, 1, 0, 1, 0];
    expect(isOutlier(10, history).outlier).toBe(false);
    expect(isOutlier(11, history).outlier).toBe(true);
  });

  it("needs a modified z-score over 3.5: a material change in a wide history is not an outlier", () => {
    // median 45, MAD 20: z = 0.6745 × 75 / 20 ≈ 2.5
    expect(isOutlier(120, [10, 50, 20, 80, 30, 60, 40, 70]).outlier).toBe(false);
    // z = 0.6745 × 120 / 20 ≈ 4.0
    expect(isOutlier(165, [10, 50, 20, 80, 30, 60, 40, 70]).outlier).toBe(true);
  });

  it("falls back to the mean absolute deviation when MAD is 0 but the history is not flat", () => {
    // median 4, MAD 0, mean absolute deviation 4.5: z = 26 / (1.2533 × 4.5) ≈ 4.6 and 16 / 5.64 ≈ 2.8
    expect(isOutlier(30, [4, 4, 4, 4, 4, 4, 4, 40]).outlier).toBe(true);
    expect(isOutlier(20, [4, 4, 4, 4, 4, 4, 4, 40]).outlier).toBe(false);
  });

  it("flags a drop as well as a rise and reports the median it compared with", () => {
    expect(isOutlier(8, [40, 42, 38, 41, 39, 40, 43, 40])).toEqual({
      outlier: true,
      median: 40,
    });
  });
});

describe("checkHistory", () => {
  it("compares only with six or more prior months", () => {
    const five: ValidationIssue[] = [];
    checkHistory(row({ sanhui_yike: 60 }), months("sanhui_yike", [12, 12, 12, 12, 12]), five);
    expect(five).toEqual([]);
    const six: ValidationIssue[] = [];
    checkHistory(row({ sanhui_yike: 60 }), months("sanhui_yike", [12, 12, 12, 12, 12, 12]), six);
    expect(codes(six)).toEqual(["W_OUTLIER:三会一课"]);
    expect(six[0]?.message).toContain("明显高于本单位近6个月的一般水平(中位数12次)");
  });

  it("uses only the 12 months before the return, not later or older ones", () => {
    // 13 old months at 100, then 12 recent months at 10: within the window, 10 is normal.
    const history = months("sanhui_yike", [...Array(13).fill(100), ...Array(12).fill(10)]);
    const later = { period: "2026-11", values: values({ sanhui_yike: 500 }) };
    const issues: ValidationIssue[] = [];
    checkHistory(row({ sanhui_yike: 10 }), [later, ...history], issues);
    expect(issues).toEqual([]);
  });

  it("warns W_STOCK_DROP when a stock falls by more than 20%, not at exactly 20%", () => {
    const prior = months("members_total", [50, 50]);
    const exactly: ValidationIssue[] = [];
    checkHistory(row({ members_total: 40 }), prior, exactly);
    expect(exactly).toEqual([]);
    const more: ValidationIssue[] = [];
    checkHistory(row({ members_total: 39 }), prior, more);
    expect(codes(more)).toEqual(["W_STOCK_DROP:党员总数"]);
    expect(more[0]?.message).toContain("比2026年9月的50名减少22.0%");
  });

  it("compares a stock with the latest earlier return, however the history is ordered", () => {
    const prior = [
      { period: "2026-09", values: values({ branches_total: 3 }) },
      { period: "2026-05", values: values({ branches_total: 10 }) },
    ];
    const issues: ValidationIssue[] = [];
    checkHistory(row({ branches_total: 3 }), prior, issues);
    expect(issues).toEqual([]);
  });

  it("does nothing for a row whose period could not be read", () => {
    const issues: ValidationIssue[] = [];
    checkHistory(row({ members_total: 1 }, { period: null }), months("members_total", [50, 50]), issues);
    expect(issues).toEqual([]);
  });
});

describe("checkConsistency", () => {
  it("refuses 在职党员到社区报到 above 党员总数 and accepts it equal", () => {
    const over: ValidationIssue[] = [];
    checkConsistency(row({ members_reported: 51, volunteer_person_times: 1 }), over);
    expect(codes(over)).toEqual(["E_REPORTED_GT_MEMBERS:在职党员到社区报到"]);
    const equal: ValidationIssue[] = [];
    checkConsistency(row({ members_reported: 50 }), equal);
    expect(equal).toEqual([]);
  });

  it("does not compare with a cell that could not be read", () => {
    const issues: ValidationIssue[] = [];
    checkConsistency(
      row(
        { members_total: 0, members_reported: 40, problems_solved: 3 },
        { unread: ["members_total", "problems_collected"] },
      ),
      issues,
    );
    expect(issues).toEqual([]);
  });

  it("warns W_HOURS_PER_PERSON above 12 hours per person-time, not at 12", () => {
    const at12: ValidationIssue[] = [];
    checkConsistency(row({ volunteer_hours: 600, volunteer_person_times: 50 }), at12);
    expect(at12).toEqual([]);
    const above: ValidationIssue[] = [];
    checkConsistency(row({ volunteer_hours: 600.5, volunteer_person_times: 50 }), above);
    expect(codes(above)).toEqual(["W_HOURS_PER_PERSON:志愿服务时长"]);
  });

  it("warns W_ALL_ZERO when every flow is 0, whatever the stocks", () => {
    const issues: ValidationIssue[] = [];
    checkConsistency(row({ sanhui_yike: 0, members_reported: 20 }), issues);
    expect(codes(issues)).toEqual(["W_ALL_ZERO:null"]);
  });
});

describe("outcomeOf", () => {
  const warning = {
    row: 2,
    unit: "001001001",
    column: null,
    code: "W_ALL_ZERO",
    severity: "warning",
  } as const;
  const error = { ...warning, code: "E_NEGATIVE", severity: "error" } as const;

  it("rejects on any error, even with a 说明", () => {
    expect(
      outcomeOf(
        [
          { ...warning, message: "" },
          { ...error, message: "" },
        ],
        "已核实",
      ),
    ).toBe("rejected");
  });

  it("holds a warning without 说明, and a 说明 of blanks is no 说明", () => {
    expect(outcomeOf([{ ...warning, message: "" }], "")).toBe("needs_explanation");
    expect(outcomeOf([{ ...warning, message: "" }], " 　")).toBe("needs_explanation");
  });

  it("accepts a warning with a 说明", () => {
    expect(outcomeOf([{ ...warning, message: "" }], "本月支部暂停活动")).toBe("accepted");
  });
});

describe("checkUnitAndPeriod: who may report", () => {
  const registry = loadRegistry();
  const ctx = { registry, latestMonth: "2026-11", uploaderScope: "001001" };
  const check = (unit: string, over: Partial<typeof ctx> = {}): ValidationIssue[] => {
    const issues: ValidationIssue[] = [];
    checkUnitAndPeriod(row({}, { unit }), { ...ctx, ...over }, issues);
    return issues;
  };

  it("tells a 片区 key only that a code outside its subtree is not theirs: no name, no 汇总单位, no existence", () => {
    for (const code of ["001002001", "001002", "001", "009009009"]) {
      const issues = check(code);
      expect(
        issues.map((i) => i.code),
        code,
      ).toEqual(["E_UNIT_FORBIDDEN"]);
      const message = issues[0]?.message ?? "";
      for (const secret of ["市财政局", "第二片区", "汇总单位", "不在单位名册", "市直机关工委"]) {
        expect(message, code).not.toContain(secret);
      }
    }
  });

  it("still suggests the zero-padded code when the stripped code is inside the caller's subtree", () => {
    const issues = check("1001002");
    expect(issues.map((i) => i.code)).toEqual(["E_UNIT_UNKNOWN"]);
    expect(issues[0]?.message).toContain("001001002");
  });

  it("names units and 汇总单位 inside the subtree, and everything for ops (the root)", () => {
    expect(check("001001")[0]?.message).toContain("汇总单位");
    const ops = { uploaderScope: "001" };
    expect(check("001002", ops)[0]?.message).toContain("第二片区");
    expect(check("009009009", ops).map((i) => i.code)).toEqual(["E_UNIT_UNKNOWN"]);
  });

  it("rejects periods before the first reporting month and notes rows filed under another month", () => {
    const early: ValidationIssue[] = [];
    checkUnitAndPeriod(row({}, { period: "2019-12" }), { ...ctx, firstMonth: "2020-01" }, early);
    expect(early.map((i) => i.code)).toEqual(["E_PERIOD_TOO_EARLY"]);
    const other: ValidationIssue[] = [];
    checkUnitAndPeriod(row({}, { period: "2026-09" }), { ...ctx, uploadPeriod: "2026-10" }, other);
    expect(other.map((i) => i.code)).toEqual(["W_PERIOD_MISMATCH"]);
    // A notice, not a warning that needs a 说明: the row is accepted.
    expect(outcomeOf(other, "")).toBe("accepted");
  });
});

describe("THRESHOLDS: every boundary pinned", () => {
  // median 10, MAD 5: z = 0.6745 · |x − 10| / 5; material from |x − 10| ≥ 10.
  const wide = [0, 5, 10, 10, 15, 20];

  it(`flags W_OUTLIER above a modified z-score of ${THRESHOLDS.OUTLIER_Z}, not at 3.49`, () => {
    expect(isOutlier(10 + (3.49 * 5) / 0.6745, wide).outlier).toBe(false);
    expect(isOutlier(10 + (3.51 * 5) / 0.6745, wide).outlier).toBe(true);
    expect(isOutlier(10 - (3.51 * 5) / 0.6745, wide).outlier).toBe(true);
  });

  it("needs a material change: at max(10, 50% of the median) counts, just under does not", () => {
    const flat = [4, 4, 4, 4, 4, 4, 4, 4];
    expect(isOutlier(14, flat).outlier).toBe(true);
    expect(isOutlier(13.99, flat).outlier).toBe(false);
    const big = [100, 100, 100, 100, 100, 100];
    expect(isOutlier(150, big).outlier).toBe(true);
    expect(isOutlier(149.99, big).outlier).toBe(false);
  });

  it("compares with the last 12 months only, and only from 6 months of history", () => {
    const issues = (prior: readonly PriorReturn[]) => {
      const out: ValidationIssue[] = [];
      checkHistory(row({ sanhui_yike: 60 }), prior, out);
      return out.filter((i) => i.code === "W_OUTLIER");
    };
    const thirteen = months(
      "sanhui_yike",
      Array.from({ length: 13 }, () => 12),
    );
    expect(issues(thirteen)[0]?.message).toContain(`近${THRESHOLDS.HISTORY_WINDOW}个月`);
    expect(THRESHOLDS.HISTORY_WINDOW).toBe(12);
    expect(issues(months("sanhui_yike", [12, 12, 12, 12, 12]))).toEqual([]);
    expect(issues(months("sanhui_yike", [12, 12, 12, 12, 12, 12]))).toHaveLength(1);
    // Only earlier months count: the same months after 2026-10 are no history for it.
    const later = months("sanhui_yike", [12, 12, 12, 12, 12, 12]).map((p, i) => ({
      ...p,
      period: addMonths("2026-11", i),
    }));
    expect(issues(later)).toEqual([]);
  });

  it(`warns W_STOCK_DROP when a stock falls by more than ${THRESHOLDS.STOCK_DROP_SHARE * 100}%, not by exactly that`, () => {
    const drop = (now: number) => {
      const out: ValidationIssue[] = [];
      checkHistory(
        row({ members_total: now }),
        [{ period: "2026-09", values: values({ members_total: 1000 }) }],
        out,
      );
      return out.map((i) => i.code);
    };
    expect(drop(800)).toEqual([]);
    expect(drop(799)).toEqual(["W_STOCK_DROP"]);
  });

  it(`warns W_HOURS_PER_PERSON above ${THRESHOLDS.MAX_HOURS_PER_PERSON} hours per person-time, not at it`, () => {
    const hours = (h: number, times: number) => {
      const out: ValidationIssue[] = [];
      checkConsistency(row({ volunteer_hours: h, volunteer_person_times: times }), out);
      return out.map((i) => i.code);
    };
    expect(hours(120, 10)).toEqual([]);
    expect(hours(120.1, 10)).toEqual(["W_HOURS_PER_PERSON"]);
    expect(hours(0.5, 0)).toEqual(["W_HOURS_PER_PERSON"]);
    expect(hours(0, 0)).toEqual([]);
  });

  it("runs every rule of the one list, and none whose figures could not be read", () => {
    expect(ROW_RULES.map((r) => r.code)).toEqual([
      "E_REPORTED_GT_MEMBERS",
      "W_SOLVED_GT_COLLECTED",
      "W_HOURS_PER_PERSON",
      "W_ALL_ZERO",
      "W_OUTLIER",
      "W_STOCK_DROP",
    ]);
    const out: ValidationIssue[] = [];
    checkConsistency(row({ members_reported: 60, members_total: 0 }, { unread: ["members_total"] }), out);
    expect(out.map((i) => i.code)).toEqual([]);
  });
});
