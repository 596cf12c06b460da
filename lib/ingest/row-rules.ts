/**
 * The row rules as one list: consistency between a row's figures (强制性审核 errors, 核实性审核
 * warnings) and plausibility against the unit's own history. Ingest, the pipeline's history checks
 * and the sample generator all run this list, and the template's 填报说明 reads each rule's note from
 * it. Adding a rule is adding an entry here and its test: the entry's code joins IssueCode (an
 * E_ code rejects the row, a W_ code asks for a 说明), its note joins the template.
 */
import { FLOW_KEYS, type IndicatorKey, indicator, STOCK_KEYS, type Values } from "../domain/catalogue.ts";
import { type Month, monthIndex, monthLabel } from "../domain/periods.ts";
import { issue, type RuleCode, type ValidationIssue } from "./issues.ts";
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

/** A rule in plain Chinese for 填报 users, shown at these indicators (none: among the whole-row notes). */
export interface RuleNote {
  readonly at: readonly IndicatorKey[];
  readonly text: string;
}

export interface RowRule<C extends RuleCode = RuleCode> {
  /** Stable code: E_… is an error (强制性审核, the row is refused), W_… a warning (核实性审核). */
  readonly code: C;
  /** "row": the row's own figures; "history": the row against the unit's earlier months. */
  readonly kind: "row" | "history";
  /** Figures the rule compares: a row with any of them unreadable (left at 0) is not judged. */
  readonly reads: readonly IndicatorKey[];
  /** For history rules: the earlier months, oldest first, at most THRESHOLDS.HISTORY_WINDOW. */
  check(row: ReturnRow, prior: readonly PriorReturn[]): readonly Finding[];
  /** The rule as the template's 填报说明 explains it; thresholds come from THRESHOLDS so it cannot drift. */
  readonly note: RuleNote;
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

const RULES = [
  {
    code: "E_REPORTED_GT_MEMBERS",
    note: { at: ["members_reported"], text: "不能多于党员总数(多于时该行不接收)" },
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
    note: {
      at: ["problems_solved"],
      text: "多于收集问题时提示核实(含以前月份收集的问题请在“说明”栏注明)",
    },
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
    note: {
      at: ["volunteer_hours"],
      text: `平均每人次超过${THRESHOLDS.MAX_HOURS_PER_PERSON}小时(或有时长而志愿服务人次为0)时提示核实`,
    },
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
    note: { at: [], text: "本月各项工作数据(时期指标)全为0或空白时提示核实是否漏填。" },
    kind: "row",
    reads: FLOW_KEYS,
    check: ({ values: v }) =>
      FLOW_KEYS.every((k) => v[k] === 0)
        ? found(null, `本月各项工作数据均为0或空白,请核实是否漏填。${EXPLAIN}`)
        : NONE,
  },
  {
    code: "W_OUTLIER",
    note: {
      at: [],
      text: `与本单位近${THRESHOLDS.HISTORY_WINDOW}个月的数据相比明显偏高或偏低时(至少有${THRESHOLDS.OUTLIER_MIN_HISTORY}个月的数据)提示核实。`,
    },
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
    note: {
      at: STOCK_KEYS,
      text: `比本单位上次报送减少超过${THRESHOLDS.STOCK_DROP_SHARE * 100}%时提示核实`,
    },
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
] as const satisfies readonly RowRule[];

/** The codes the row rules report: part of IssueCode (issues.ts imports this type only). */
export type RowRuleCode = (typeof RULES)[number]["code"];

export const ROW_RULES: readonly RowRule<RowRuleCode>[] = RULES;

/** The notes the template shows at one indicator. */
export function notesAt(key: IndicatorKey): string[] {
  return ROW_RULES.filter((r) => r.note.at.includes(key)).map((r) => r.note.text);
}

/** The notes about a row as a whole. */
export function rowNotes(): string[] {
  return ROW_RULES.filter((r) => r.note.at.length === 0).map((r) => r.note.text);
}

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
