/**
 * The designed rows: figures that draw a warning on purpose, each with the 说明 a 党务干部 would
 * write. Outliers are grown until the real rule (isOutlier) agrees, so they stay outliers whatever
 * the unit's history looks like.
 */
import { type IndicatorKey, indicator, roundTo, type Values } from "../domain/catalogue.ts";
import { type Month, monthNumber } from "../domain/periods.ts";
import { isOutlier, type PriorReturn } from "../ingest/row-rules.ts";
import { type Rng, rngFor } from "./random.ts";
import type { ScenarioKind } from "./roles.ts";
import { outlierWindow } from "./steady.ts";
import type { SampleUnit } from "./units.ts";

export interface ScenarioInput {
  readonly seed: number;
  readonly unit: SampleUnit;
  readonly period: Month;
  readonly values: Values;
  /** The unit's figures a month earlier (null in the first month). */
  readonly previous: Values | null;
  readonly history: readonly PriorReturn[];
}

export interface DesignedReturn {
  readonly values: Values;
  /** 说明: empty when the design is an error, not a warning. */
  readonly explanation: string;
  /** Cells typed differently in a first, rejected upload (negative_typo). */
  readonly typo?: Partial<Record<IndicatorKey, string>>;
}

/** Raises `start` step by step until the outlier rule flags it against the unit's history. */
function outlierAbove(key: IndicatorKey, start: number, history: readonly PriorReturn[], rng: Rng): number {
  const window = outlierWindow(history, key) ?? [];
  const def = indicator(key);
  let value = roundTo(start, def.decimals);
  while (!isOutlier(value, window).outlier && value < def.max) {
    value = roundTo(value * 1.15 + (def.decimals ? rng.int(1, 99) / 100 : 1), def.decimals);
  }
  return Math.min(value, def.max);
}

function median(key: IndicatorKey, history: readonly PriorReturn[]): number {
  return isOutlier(0, outlierWindow(history, key) ?? [0]).median;
}

/** The month before carried_over leaves a few problems open, to be solved next month. */
export function leaveProblemsOpen(values: Values, rng: Rng): Values {
  const collected = Math.max(values.problems_collected, 5);
  const open = Math.min(collected - 1, rng.int(2, 4));
  return { ...values, problems_collected: collected, problems_solved: collected - open };
}

export function applyScenario(kind: ScenarioKind, input: ScenarioInput): DesignedReturn {
  const { seed, unit, period, history, previous } = input;
  const rng = rngFor(seed, "scenario", kind, unit.code, period);
  const v: Values = { ...input.values };
  const month = monthNumber(period);
  switch (kind) {
    case "study_spike": {
      const med = median("study_sessions", history);
      v.study_sessions = outlierAbove("study_sessions", med * 1.8 + 10, history, rng);
      const when = month === 7 ? "七一前后" : month === 6 ? "七一前夕" : "按照市直机关工委统一部署,本月";
      return {
        values: v,
        explanation: `${when}集中开展“学党章、守初心”专题研讨,各党支部结合主题党日分别组织,本月集中学习研讨${v.study_sessions}次,较往月明显增加,数据无误。`,
      };
    }
    case "charity_drive": {
      const start = Math.round(v.members_total * rng.range(80, 120) * 100 + rng.int(0, 99)) / 100;
      v.donations_yuan = outlierAbove("donations_yuan", Math.max(start, v.donations_yuan), history, rng);
      return {
        values: v,
        explanation: `9月组织开展中华慈善日和“99公益日”爱心捐款活动,机关干部职工踊跃参与,共捐款${v.donations_yuan.toFixed(2)}元,较往月明显增加,数据无误。`,
      };
    }
    case "carried_over": {
      const open = previous ? previous.problems_collected - previous.problems_solved : 2;
      const carried = rng.int(1, Math.max(1, open));
      v.problems_solved = v.problems_collected + carried;
      return {
        values: v,
        explanation: `本月解决问题中含上月结转问题${carried}个(上月收集问题${previous?.problems_collected ?? 0}个、当月解决${previous?.problems_solved ?? 0}个),均已办结销号。`,
      };
    }
    case "long_shifts": {
      v.volunteer_person_times = rng.int(10, 18);
      v.volunteer_hours = Math.round(v.volunteer_person_times * rng.range(13, 17) * 2) / 2;
      v.practical_matters = Math.min(v.practical_matters, rng.int(1, 3));
      const duty =
        month >= 5 && month <= 9
          ? `${month}月主汛期,组织党员突击队在水库、堤防等重点部位24小时轮班值守`
          : "组织党员参加森林防灭火卡点24小时轮班值守";
      return {
        values: v,
        explanation: `${duty},${v.volunteer_person_times}人次累计服务${v.volunteer_hours}小时,每人次服务时长较长,数据无误。`,
      };
    }
    case "reorganised": {
      const members = Math.round(v.members_total * rng.range(0.62, 0.72));
      const branches = v.branches_total - Math.max(1, Math.round(v.branches_total * 0.3));
      const movedMembers = v.members_total - members;
      const closed = v.branches_total - branches;
      v.members_total = members;
      v.branches_total = Math.max(1, branches);
      v.members_reported = Math.min(members, Math.round(members * unit.reportRatio));
      v.branches_new = 0;
      return {
        values: v,
        explanation: `根据机构改革方案,部分职能和人员划转至新组建部门,${movedMembers}名党员组织关系随之转出,撤并党支部${closed}个,党员总数、党支部总数相应减少,数据无误。`,
      };
    }
    case "explained_next_day": {
      if (history.length >= 6) {
        const med = median("households_visited", history);
        v.households_visited = outlierAbove("households_visited", med * 2.2 + 12, history, rng);
        return {
          values: v,
          explanation: `本月开展“走百家门、知百家情”大走访活动,机关党员分组入户走访辖区群众${v.households_visited}户,较往月明显增加,数据无误。`,
        };
      }
      v.problems_solved = v.problems_collected + 2;
      return { values: v, explanation: "本月解决问题中含上月结转问题2个,均已办结销号。" };
    }
    case "negative_typo": {
      // A branch was dissolved; the first upload typed it as 新成立党支部 −1.
      const before = previous?.branches_total ?? v.branches_total;
      if (before >= 6) v.branches_total = before - 1;
      v.branches_new = 0;
      return { values: v, explanation: "", typo: { branches_new: "-1" } };
    }
  }
}
