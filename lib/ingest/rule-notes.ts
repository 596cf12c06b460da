/**
 * The row rules (row-rules.ts, by code) in plain Chinese for 填报 users, with the indicators each is
 * shown at in the template's 填报说明 (none: the row as a whole). Thresholds come from THRESHOLDS, so
 * the wording cannot drift from the rule; a test checks every rule of ROW_RULES has its note.
 */
import { type IndicatorKey, STOCK_KEYS } from "../domain/catalogue.ts";
import type { IssueCode } from "./issues.ts";
import { THRESHOLDS } from "./thresholds.ts";

export interface RuleNote {
  readonly at: readonly IndicatorKey[];
  readonly text: string;
}

export const RULE_NOTES: Partial<Record<IssueCode, RuleNote>> = {
  E_REPORTED_GT_MEMBERS: { at: ["members_reported"], text: "不能多于党员总数(多于时该行不接收)" },
  W_SOLVED_GT_COLLECTED: {
    at: ["problems_solved"],
    text: "多于收集问题时提示核实(含以前月份收集的问题请在“说明”栏注明)",
  },
  W_HOURS_PER_PERSON: {
    at: ["volunteer_hours"],
    text: `平均每人次超过${THRESHOLDS.MAX_HOURS_PER_PERSON}小时(或有时长而志愿服务人次为0)时提示核实`,
  },
  W_ALL_ZERO: { at: [], text: "本月各项工作数据(时期指标)全为0或空白时提示核实是否漏填。" },
  W_OUTLIER: {
    at: [],
    text: `与本单位近${THRESHOLDS.HISTORY_WINDOW}个月的数据相比明显偏高或偏低时(至少有${THRESHOLDS.OUTLIER_MIN_HISTORY}个月的数据)提示核实。`,
  },
  W_STOCK_DROP: {
    at: STOCK_KEYS,
    text: `比本单位上次报送减少超过${THRESHOLDS.STOCK_DROP_SHARE * 100}%时提示核实`,
  },
};

/** The notes shown at one indicator. */
export function notesAt(key: IndicatorKey): string[] {
  return Object.values(RULE_NOTES)
    .filter((n): n is RuleNote => n?.at.includes(key) === true)
    .map((n) => n.text);
}

/** The notes about a row as a whole. */
export function rowNotes(): string[] {
  return Object.values(RULE_NOTES)
    .filter((n): n is RuleNote => n?.at.length === 0)
    .map((n) => n.text);
}
