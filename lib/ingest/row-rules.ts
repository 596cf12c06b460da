/**
 * The row rules as one list: consistency between a row's figures (强制性审核 errors, 核实性审核
 * warnings) and plausibility against the unit's own history. Ingest, the pipeline's history checks
 * and the sample generator all run this list; adding a rule is adding an entry here and its test.
 */
import { FLOW_KEYS, type IndicatorKey, indicator, STOCK_KEYS, type Values } from "../domain/catalogue.ts";
import { type Month, monthIndex, monthLabel } from "../domain/periods.ts";
import { type IssueCode, issue, type ValidationIssue } from "./issues.ts";
import type { ReturnRow } from "./returns.ts";
import { THRESHOLDS } from "./thresholds.ts";

const EXPLAIN = "如数据无误,请在“说明”栏写明情况后重新上传。";

/** A return the unit submitted earlier, as stored. */
export interface PriorReturn {
  readonly period: Month;
  readonly values: Values;
}

/** What a rule found: the column it is about (中文名, or null for the row) and the Chinese message. */
export interface Finding {
  readonly column: string | null;
  readonly message: string;
}

export interface RowRule {
  readonly code: IssueCode;
  /** "row": the row's own figures; "history": the row against the unit's earlier months. */
  readonly kind: "row" | "history";
  /** Figures the rule compares: a row with any of them unreadable (left at 0) is not judged. */
  readonly reads: readonly IndicatorKey[];
  /** For history rules: the earlier months, oldest first, at most THRESHOLDS.HISTORY_WINDOW. */
  check(row: ReturnRow, prior: readonly PriorReturn[]): readonly Finding[];
}

const NONE: readonly Finding[] = [];
const found = (column: string | null, message: string): readonly Finding[] => [{ column, message }];

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  return n % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Modified z-score (Iglewicz & Hoaglin): 0.6745·(x − median)/MAD, with the mean absolute deviation
 * (×1.2533) standing in when MAD is 0. A score over OUTLIER_Z only counts when the change is also
 * material, so a flat history (MAD 0) never turns 4 → 5 into an outlier.
 */
export function isOutlier(value: number, history: readonly number[]): { outlier: boolean; median: number } {
  const sorted = [...history].sort((a, b) => a - b);
  const med = median(sorted);
  const deviation = Math.abs(value - med);
  if (deviation < Math.max(THRESHOLDS.MATERIAL_ABSOLUTE, THRESHOLDS.MATERIAL_SHARE * med)) {
    return { outlier: false, median: med };
  }
  const mad = median(history.map((h) => Math.abs(h - med)).sort((a, b) => a - b));
  let z: number;
  if (mad > 0) z = (0.6745 * deviation) / mad;
  else {
    const meanAd = history.reduce((s, h) => s + Math.abs(h - med), 0) / history.length;
    z = meanAd > 0 ? deviation / (1.253314 * meanAd) : Number.POSITIVE_INFINITY;
  }
  return { outlier: z > THRESHOLDS.OUTLIER_Z, median: med };
}

export const ROW_RULES: readonly RowRule[] = [
  {
    code: "E_REPORTED_GT_MEMBERS",
    kind: "row",
    reads: ["members_reported", "members_total"],
    check: ({ values: v }) =>
      v.members_reported > v.members_total
        ? found(
            indicator("members_reported").name,
            `在职党员到社区报到${v.members_reported}名,不能多于党员总数${v.members_total}名。`,
          )
        : NONE,
  },
  {
    code: "W_SOLVED_GT_COLLECTED",
    kind: "row",
    reads: ["problems_solved", "problems_collected"],
    check: ({ values: v }) =>
      v.problems_solved > v.problems_collected
        ? found(
            indicator("problems_solved").name,
            `解决问题${v.problems_solved}个,多于收集问题${v.problems_collected}个。若含以前月份收集的问题,请在“说明”栏注明。${EXPLAIN}`,
          )
        : NONE,
  },
  {
    code: "W_HOURS_PER_PERSON",
    kind: "row",
    reads: ["volunteer_hours", "volunteer_person_times"],
    check: ({ values: v }) => {
      const hours = v.volunteer_hours;
      const times = v.volunteer_person_times;
      if (hours <= 0 || (times > 0 && hours / times <= THRESHOLDS.MAX_HOURS_PER_PERSON)) return NONE;
      const per = times > 0 ? `平均每人次${(hours / times).toFixed(1)}小时` : "但志愿服务人次为0";
      return found(
        indicator("volunteer_hours").name,
        `志愿服务时长${hours}小时,${per},超过每人次${THRESHOLDS.MAX_HOURS_PER_PERSON}小时的常见上限,请核实。${EXPLAIN}`,
      );
    },
  },
  {
    code: "W_ALL_ZERO",
    kind: "row",
    reads: FLOW_KEYS,
    check: ({ values: v }) =>
      FLOW_KEYS.every((k) => v[k] === 0)
        ? found(null, `本月各项工作数据均为0或空白,请核实是否漏填。${EXPLAIN}`)
        : NONE,
  },
  {
    code: "W_OUTLIER",
    kind: "history",
    reads: FLOW_KEYS,
    check: (row, prior) => {
      if (prior.length < THRESHOLDS.OUTLIER_MIN_HISTORY) return NONE;
      const out: Finding[] = [];
      for (const key of FLOW_KEYS) {
        const { outlier, median: med } = isOutlier(
          row.values[key],
          prior.map((p) => p.values[key]),
        );
        if (!outlier) continue;
        const def = indicator(key);
        const dir = row.values[key] > med ? "明显高于" : "明显低于";
        out.push({
          column: def.name,
          message: `本月${row.values[key]}${def.unit},${dir}本单位近${prior.length}个月的一般水平(中位数${med}${def.unit}),请核实。${EXPLAIN}`,
        });
      }
      return out;
    },
  },
  {
    code: "W_STOCK_DROP",
    kind: "history",
    reads: STOCK_KEYS,
    check: (row, prior) => {
      const last = prior[prior.length - 1];
      if (!last) return NONE;
      const out: Finding[] = [];
      for (const key of STOCK_KEYS) {
        const before = last.values[key];
        const now = row.values[key];
        if (before > 0 && (before - now) / before > THRESHOLDS.STOCK_DROP_SHARE) {
          const def = indicator(key);
          const pct = (((before - now) / before) * 100).toFixed(1);
          out.push({
            column: def.name,
            message: `本月${now}${def.unit},比${monthLabel(last.period)}的${before}${def.unit}减少${pct}%,请核实。${EXPLAIN}`,
          });
        }
      }
      return out;
    },
  },
];

function run(
  kind: RowRule["kind"],
  row: ReturnRow,
  prior: readonly PriorReturn[],
  issues: ValidationIssue[],
): void {
  const unread = row.unread;
  for (const rule of ROW_RULES) {
    if (rule.kind !== kind) continue;
    // A cell that could not be read stands at 0: comparing it would add a second, misleading issue.
    if (unread?.length && rule.reads.some((k) => unread.includes(k))) continue;
    for (const f of rule.check(row, prior))
      issues.push(issue(rule.code, row.row, row.unit || null, f.column, f.message));
  }
}

/** The row rules on the row's own figures. */
export function checkConsistency(row: ReturnRow, issues: ValidationIssue[]): void {
  run("row", row, [], issues);
}

/** The history rules against the unit's stored returns (earlier periods only, the last HISTORY_WINDOW). */
export function checkHistory(
  row: ReturnRow,
  history: readonly PriorReturn[],
  issues: ValidationIssue[],
): void {
  if (!row.period) return;
  const current = monthIndex(row.period);
  const prior = history
    .filter((h) => monthIndex(h.period) < current)
    .sort((a, b) => monthIndex(a.period) - monthIndex(b.period))
    .slice(-THRESHOLDS.HISTORY_WINDOW);
  if (prior.length === 0) return;
  run("history", row, prior, issues);
}
