/**
 * The row rules' messages and edges beyond the threshold boundaries of rules.test.ts: the median
 * and the outlier's direction, every stock of W_STOCK_DROP, what an unreadable cell skips and what
 * it does not, and which months count as history.
 */
import { describe, expect, it } from "vitest";
import { type Values, zeroValues } from "../../lib/domain/catalogue.ts";
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

const EXPLAIN = "如数据无误,请在“说明”栏写明情况后重新上传。";

function values(over: Partial<Values> = {}): Values {
  return { ...zeroValues(), branches_total: 3, members_total: 50, sanhui_yike: 12, ...over };
}

function row(over: Partial<Values> = {}, extra: Partial<ReturnRow> = {}): ReturnRow {
  return {
    row: 4,
    unit: "001001001",
    period: "2026-10",
    values: values(over),
    blanks: [],
    text: { explanation: "", highlight: "", reporter: "", phone: "" },
    ...extra,
  };
}

/** The months just before 2026-10, oldest first, each with `over` and sanhui_yike = series[i]. */
function history(series: readonly number[], over: Partial<Values> = {}): PriorReturn[] {
  return series.map((v, i) => ({
    period: addMonths("2026-10", i - series.length),
    values: values({ ...over, sanhui_yike: v }),
  }));
}

const consistency = (r: ReturnRow): ValidationIssue[] => {
  const out: ValidationIssue[] = [];
  checkConsistency(r, out);
  return out;
};
const againstHistory = (r: ReturnRow, prior: readonly PriorReturn[]): ValidationIssue[] => {
  const out: ValidationIssue[] = [];
  checkHistory(r, prior, out);
  return out;
};
const rule = (code: string) => {
  const found = ROW_RULES.find((r) => r.code === code);
  if (!found) throw new Error(code);
  return found;
};

describe("isOutlier: the median it compares with", () => {
  it("takes the middle value of an odd history and the mean of the two middle ones of an even one, in any order", () => {
    expect(isOutlier(10, [30, 9, 11, 10, 100]).median).toBe(11);
    expect(isOutlier(10, [9, 10, 11]).median).toBe(10);
    expect(isOutlier(10, [8, 100, 9, 10]).median).toBe(9.5);
    expect(isOutlier(10, [9, 11]).median).toBe(10);
  });

  it("measures the spread around the median as the median of the sorted deviations (MAD)", () => {
    // median 10; deviations 40, 0, 0, 1, 1 → MAD 1 (not 0): z = 0.6745 × 15 / 1 ≈ 10
    expect(isOutlier(25, [50, 10, 10, 11, 9]).outlier).toBe(true);
    // median 100; deviations 5, 5, 15, 15, 100, 200 → MAD 15 (sorted as numbers): z = 0.6745 × 100 / 15 ≈ 4.5
    expect(isOutlier(200, [95, 105, 85, 115, 0, 300]).outlier).toBe(true);
    // median 100; deviations all 40 → MAD 40: z = 0.6745 × 60 / 40 ≈ 1.0
    expect(isOutlier(160, [60, 140, 100, 60, 140]).outlier).toBe(false);
  });

  it("needs a score strictly above 3.5: exactly 3.5 is not an outlier", () => {
    // 志愿服务时长 with one decimal: median 810, MAD 404.7, and 0.6745 × 2100 / 404.7 is exactly 3.5.
    const hours = [405.3, 810, 1214.7, 405.3, 1214.7];
    expect(isOutlier(2910, hours).outlier).toBe(false);
    expect(isOutlier(2910.1, hours).outlier).toBe(true);
  });

  it("falls back to the mean absolute deviation (× 1.2533) when MAD is 0, over the whole history", () => {
    // median 10, MAD 0, mean absolute deviation 90/6 = 15: z = 40 / (1.2533 × 15) ≈ 2.1 and 70 / 18.8 ≈ 3.7
    expect(isOutlier(50, [10, 10, 10, 10, 100, 10]).outlier).toBe(false);
    expect(isOutlier(80, [10, 10, 10, 10, 100, 10]).outlier).toBe(true);
    expect(isOutlier(80, [10, 10, 10, 10, 10, 100]).median).toBe(10);
  });
});

describe("W_OUTLIER", () => {
  it("says the figure is clearly above the unit's usual level, with the months and the median", () => {
    const issues = againstHistory(row({ sanhui_yike: 60 }), history([12, 12, 12, 11, 13, 12, 12]));
    expect(issues.map((i) => [i.code, i.column, i.unit, i.row])).toEqual([
      ["W_OUTLIER", "三会一课", "001001001", 4],
    ]);
    expect(issues[0]?.message).toBe(
      `第4行 三会一课:本月60次,明显高于本单位近7个月的一般水平(中位数12次),请核实。${EXPLAIN}`,
    );
  });

  it("says the figure is clearly below when it drops", () => {
    const issues = againstHistory(
      row({ sanhui_yike: 0, study_sessions: 5 }),
      history([40, 40, 41, 39, 40, 40]),
    );
    expect(issues.map((i) => i.code)).toEqual(["W_OUTLIER"]);
    expect(issues[0]?.message).toContain("本月0次,明显低于本单位近6个月的一般水平(中位数40次)");
  });

  it("judges every flow on its own and names each one", () => {
    const issues = againstHistory(
      row({ sanhui_yike: 60, lectures: 80 }),
      history([12, 12, 12, 12, 12, 12], { lectures: 2 }),
    );
    expect(issues.map((i) => i.column)).toEqual(["三会一课", "专题宣讲"]);
  });

  it("never judges a stock as an outlier", () => {
    const issues = againstHistory(
      row({ members_total: 5000 }),
      history([12, 12, 12, 12, 12, 12], { members_total: 50 }),
    );
    expect(issues.map((i) => i.code)).toEqual([]);
  });
});

describe("W_STOCK_DROP", () => {
  it("checks every stock against the last earlier return, 党员总数, 党支部总数 and 在职党员到社区报到", () => {
    const prior = [{ period: "2026-09", values: values({ branches_total: 10, members_reported: 40 }) }];
    const issues = againstHistory(row({ branches_total: 7, members_total: 30, members_reported: 20 }), prior);
    expect(issues.map((i) => i.column)).toEqual(["党支部总数", "党员总数", "在职党员到社区报到"]);
    expect(issues[0]?.message).toBe(`第4行 党支部总数:本月7个,比2026年9月的10个减少30.0%,请核实。${EXPLAIN}`);
  });

  it("is not raised when a stock grows or was 0 before", () => {
    const prior = [{ period: "2026-09", values: values({ members_total: 0, branches_total: 2 }) }];
    expect(againstHistory(row({ members_total: 50, branches_total: 3 }), prior)).toEqual([]);
  });

  it("finds nothing without an earlier return", () => {
    expect(rule("W_STOCK_DROP").check(row({ members_total: 1 }), [])).toEqual([]);
  });
});

describe("the row rules' messages", () => {
  it("E_REPORTED_GT_MEMBERS gives both figures", () => {
    const issues = consistency(row({ members_reported: 51 }));
    expect(issues.map((i) => [i.code, i.severity, i.column])).toEqual([
      ["E_REPORTED_GT_MEMBERS", "error", "在职党员到社区报到"],
    ]);
    expect(issues[0]?.message).toBe("第4行 在职党员到社区报到:在职党员到社区报到51名,不能多于党员总数50名。");
  });

  it("W_SOLVED_GT_COLLECTED warns above the problems collected, not at them", () => {
    expect(consistency(row({ problems_solved: 5, problems_collected: 5 }))).toEqual([]);
    const issues = consistency(row({ problems_solved: 6, problems_collected: 5 }));
    expect(issues.map((i) => [i.code, i.severity, i.column])).toEqual([
      ["W_SOLVED_GT_COLLECTED", "warning", "解决问题"],
    ]);
    expect(issues[0]?.message).toBe(
      `第4行 解决问题:解决问题6个,多于收集问题5个。若含以前月份收集的问题,请在“说明”栏注明。${EXPLAIN}`,
    );
  });

  it("W_HOURS_PER_PERSON gives the hours per person-time, or says there were no person-times", () => {
    const per = consistency(row({ volunteer_hours: 130, volunteer_person_times: 10 }));
    expect(per[0]?.message).toBe(
      `第4行 志愿服务时长:志愿服务时长130小时,平均每人次13.0小时,超过每人次12小时的常见上限,请核实。${EXPLAIN}`,
    );
    const none = consistency(row({ volunteer_hours: 3, volunteer_person_times: 0 }));
    expect(none[0]?.message).toContain("志愿服务时长3小时,但志愿服务人次为0,超过每人次12小时");
    expect(consistency(row({ volunteer_hours: 0, volunteer_person_times: 5 }))).toEqual([]);
  });

  it("W_ALL_ZERO is raised only when every flow is 0: one flow of 1 is enough", () => {
    expect(consistency(row({ sanhui_yike: 0, supervision_visits: 1 }))).toEqual([]);
    expect(consistency(row({ sanhui_yike: 0, volunteer_hours: 0.5, volunteer_person_times: 1 }))).toEqual([]);
    const issues = consistency(row({ sanhui_yike: 0 }));
    expect(issues.map((i) => [i.code, i.column])).toEqual([["W_ALL_ZERO", null]]);
    expect(issues[0]?.message).toBe(`第4行:本月各项工作数据均为0或空白,请核实是否漏填。${EXPLAIN}`);
  });

  it("names no unit on a row without a unit code", () => {
    expect(consistency(row({ sanhui_yike: 0 }, { unit: "" }))[0]?.unit).toBeNull();
  });
});

describe("running the list", () => {
  it("skips only the rules that read an unreadable cell; the others still run", () => {
    // donations_yuan is a flow: W_ALL_ZERO reads it, E_REPORTED_GT_MEMBERS does not.
    const issues = consistency(row({ sanhui_yike: 0, members_reported: 60 }, { unread: ["donations_yuan"] }));
    expect(issues.map((i) => i.code)).toEqual(["E_REPORTED_GT_MEMBERS"]);
    const none = consistency(row({ sanhui_yike: 0, members_reported: 60 }, { unread: [] }));
    expect(none.map((i) => i.code)).toEqual(["E_REPORTED_GT_MEMBERS", "W_ALL_ZERO"]);
  });

  it("does not take an unreadable 志愿服务人次 for 0 person-times", () => {
    const r = row({ volunteer_hours: 10, volunteer_person_times: 0 }, { unread: ["volunteer_person_times"] });
    expect(consistency(r)).toEqual([]);
  });

  it("skips history rules on an unreadable cell too", () => {
    const prior = [{ period: "2026-09", values: values({ members_total: 100 }) }];
    expect(againstHistory(row({ members_total: 0 }, { unread: ["members_total"] }), prior)).toEqual([]);
    expect(againstHistory(row({ members_total: 0 }, { unread: ["sanhui_yike"] }), prior)).toHaveLength(1);
  });

  it("runs the row rules in checkConsistency and the history rules in checkHistory, never both", () => {
    const prior = history([12, 12, 12, 12, 12, 12], { members_total: 100 });
    const r = row({ sanhui_yike: 60, members_reported: 60 });
    expect(consistency(r).map((i) => i.code)).toEqual(["E_REPORTED_GT_MEMBERS"]);
    expect(againstHistory(r, prior).map((i) => i.code)).toEqual(["W_OUTLIER", "W_STOCK_DROP"]);
  });

  it("takes only months before the row's as history, not a stored return of the same month", () => {
    const prior = [
      { period: "2026-09", values: values({ members_total: 50 }) },
      { period: "2026-10", values: values({ members_total: 100 }) },
    ];
    expect(againstHistory(row({ members_total: 50 }), prior)).toEqual([]);
  });

  it("uses the latest 12 earlier months, whatever order the history comes in", () => {
    // 14 months: the two oldest at 500 would make 12 an outlier low if they counted… they must not.
    const prior = history([500, 500, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12]).reverse();
    expect(againstHistory(row({ sanhui_yike: 12 }), prior)).toEqual([]);
    const issues = againstHistory(row({ sanhui_yike: 80 }), prior);
    expect(issues[0]?.message).toContain("近12个月的一般水平(中位数12次)");
  });
});
