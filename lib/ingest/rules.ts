/**
 * Row rules beyond single cells: who may report, which periods, consistency between figures
 * (强制性审核 errors) and plausibility against the unit's own history (核实性审核 warnings).
 */
import { FLOW_KEYS, type IndicatorKey, indicator, STOCK_KEYS, type Values } from "../domain/catalogue.ts";
import { type Month, monthIndex, monthLabel } from "../domain/periods.ts";
import type { Registry } from "../domain/registry.ts";
import { issue, type ValidationIssue } from "./issues.ts";
import type { Outcome, ReturnRow } from "./returns.ts";

const EXPLAIN = "如数据无误,请在“说明”栏写明情况后重新上传。";

/** A return the unit submitted earlier, as stored. */
export interface PriorReturn {
  readonly period: Month;
  readonly values: Values;
}

export interface RowContext {
  readonly registry: Registry;
  /** The latest month a return may be for (the current Beijing month). */
  readonly latestMonth: Month;
  /** When set, rows for units outside this subtree get E_UNIT_FORBIDDEN (API uploads by a unit key). */
  readonly uploaderScope?: string | undefined;
}

export function checkUnitAndPeriod(row: ReturnRow, ctx: RowContext, issues: ValidationIssue[]): void {
  const { registry } = ctx;
  if (row.unit) {
    const unit = registry.get(row.unit);
    if (!unit) {
      const suggestion = registry.suggestCode(row.unit);
      const hint = suggestion
        ? `是否是“${suggestion}”?Excel可能去掉了代码开头的0,请把该列设为“文本”格式后重新填写。`
        : "请核对单位代码,或联系市直机关工委确认。";
      issues.push(
        issue(
          "E_UNIT_UNKNOWN",
          row.row,
          row.unit,
          "单位代码",
          `单位代码“${row.unit}”不在单位名册中。${hint}`,
        ),
      );
    } else if (!registry.isLeaf(row.unit)) {
      issues.push(
        issue(
          "E_UNIT_UNKNOWN",
          row.row,
          row.unit,
          "单位代码",
          `“${unit.name}”(${row.unit})是汇总单位,不能直接填报;请填写其下属基层党组织的代码。`,
        ),
      );
    } else if (ctx.uploaderScope && !registry.contains(ctx.uploaderScope, row.unit)) {
      const scope = registry.get(ctx.uploaderScope);
      issues.push(
        issue(
          "E_UNIT_FORBIDDEN",
          row.row,
          row.unit,
          "单位代码",
          `“${unit.name}”不属于${scope?.name ?? ctx.uploaderScope},本账号无权代其报送。`,
        ),
      );
    }
  }
  // Canonical "YYYY-MM" strings sort like the months they name.
  if (row.period && row.period > ctx.latestMonth) {
    issues.push(
      issue(
        "E_PERIOD_FUTURE",
        row.row,
        row.unit || null,
        "报送期间",
        `报送期间${monthLabel(row.period)}尚未到来,请核对(当前最晚可报${monthLabel(ctx.latestMonth)})。`,
      ),
    );
  }
}

const ALL_READ = (): boolean => true;

function allZero(v: Values): boolean {
  for (const k of FLOW_KEYS) if (v[k] !== 0) return false;
  return true;
}

export function checkConsistency(row: ReturnRow, issues: ValidationIssue[]): void {
  const v = row.values;
  const unit = row.unit || null;
  // A cell that could not be read stands at 0: comparing it would add a second, misleading issue.
  const unread = row.unread;
  const read = unread?.length
    ? (...keys: IndicatorKey[]): boolean => !keys.some((k) => unread.includes(k))
    : ALL_READ;
  if (read("members_reported", "members_total") && v.members_reported > v.members_total) {
    issues.push(
      issue(
        "E_REPORTED_GT_MEMBERS",
        row.row,
        unit,
        indicator("members_reported").name,
        `在职党员到社区报到${v.members_reported}名,不能多于党员总数${v.members_total}名。`,
      ),
    );
  }
  if (read("problems_solved", "problems_collected") && v.problems_solved > v.problems_collected) {
    issues.push(
      issue(
        "W_SOLVED_GT_COLLECTED",
        row.row,
        unit,
        indicator("problems_solved").name,
        `解决问题${v.problems_solved}个,多于收集问题${v.problems_collected}个。若含以前月份收集的问题,请在“说明”栏注明。${EXPLAIN}`,
      ),
    );
  }
  const hours = v.volunteer_hours;
  const times = v.volunteer_person_times;
  if (read("volunteer_hours", "volunteer_person_times") && hours > 0 && (times === 0 || hours / times > 12)) {
    const per = times > 0 ? `平均每人次${(hours / times).toFixed(1)}小时` : "但志愿服务人次为0";
    issues.push(
      issue(
        "W_HOURS_PER_PERSON",
        row.row,
        unit,
        indicator("volunteer_hours").name,
        `志愿服务时长${hours}小时,${per},超过每人次12小时的常见上限,请核实。${EXPLAIN}`,
      ),
    );
  }
  if (read(...FLOW_KEYS) && allZero(v)) {
    issues.push(
      issue("W_ALL_ZERO", row.row, unit, null, `本月各项工作数据均为0或空白,请核实是否漏填。${EXPLAIN}`),
    );
  }
}

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  return n % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Modified z-score (Iglewicz & Hoaglin): 0.6745·(x − median)/MAD, with the mean absolute deviation
 * (×1.2533) standing in when MAD is 0. A score over 3.5 only counts when the change is also
 * material, so a flat history (MAD 0) never turns 4 → 5 into an outlier.
 */
export function isOutlier(value: number, history: readonly number[]): { outlier: boolean; median: number } {
  const sorted = [...history].sort((a, b) => a - b);
  const med = median(sorted);
  const deviation = Math.abs(value - med);
  if (deviation < Math.max(10, 0.5 * med)) return { outlier: false, median: med };
  const mad = median(history.map((h) => Math.abs(h - med)).sort((a, b) => a - b));
  let z: number;
  if (mad > 0) z = (0.6745 * deviation) / mad;
  else {
    const meanAd = history.reduce((s, h) => s + Math.abs(h - med), 0) / history.length;
    z = meanAd > 0 ? deviation / (1.253314 * meanAd) : Number.POSITIVE_INFINITY;
  }
  return { outlier: z > 3.5, median: med };
}

export const OUTLIER_MIN_HISTORY = 6;
export const OUTLIER_WINDOW = 12;
export const STOCK_DROP_RATIO = 0.2;

/** W_OUTLIER and W_STOCK_DROP against the unit's stored returns (earlier periods only). */
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
    .slice(-OUTLIER_WINDOW);
  if (prior.length === 0) return;
  const unit = row.unit || null;
  if (prior.length >= OUTLIER_MIN_HISTORY) {
    for (const key of FLOW_KEYS) {
      const { outlier, median: med } = isOutlier(
        row.values[key],
        prior.map((p) => p.values[key]),
      );
      if (outlier) {
        const def = indicator(key);
        const dir = row.values[key] > med ? "明显高于" : "明显低于";
        issues.push(
          issue(
            "W_OUTLIER",
            row.row,
            unit,
            def.name,
            `本月${row.values[key]}${def.unit},${dir}本单位近${prior.length}个月的一般水平(中位数${med}${def.unit}),请核实。${EXPLAIN}`,
          ),
        );
      }
    }
  }
  const last = prior[prior.length - 1] as PriorReturn;
  for (const key of STOCK_KEYS) {
    const before = last.values[key];
    const now = row.values[key];
    if (before > 0 && (before - now) / before > STOCK_DROP_RATIO) {
      const def = indicator(key);
      const pct = (((before - now) / before) * 100).toFixed(1);
      issues.push(
        issue(
          "W_STOCK_DROP",
          row.row,
          unit,
          def.name,
          `本月${now}${def.unit},比${monthLabel(last.period)}的${before}${def.unit}减少${pct}%,请核实。${EXPLAIN}`,
        ),
      );
    }
  }
}

/** Errors reject; warnings without a 说明 hold the row for explanation; otherwise accepted. */
export function outcomeOf(issues: readonly ValidationIssue[], explanation: string): Outcome {
  let warned = false;
  for (const i of issues) {
    if (i.code === "W_UNKNOWN_COLUMN") continue;
    if (i.severity === "error") return "rejected";
    warned = true;
  }
  return warned && explanation.trim() === "" ? "needs_explanation" : "accepted";
}

/**
 * The rules above in plain Chinese, per indicator they are about: the template's 填报说明 shows them,
 * so a rule and its wording for 填报 users sit in one place.
 */
export const RULE_NOTES: Partial<Record<IndicatorKey, readonly string[]>> = {
  members_reported: ["不能多于党员总数(多于时不接收)"],
  problems_solved: ["多于收集问题时提示核实(含以前月份收集的问题请在“说明”栏注明)"],
  volunteer_hours: ["平均每人次超过12小时(或有时长而人次为0)时提示核实", "可保留1位小数"],
  members_total: [`比本单位上次报送减少超过${STOCK_DROP_RATIO * 100}%时提示核实`],
  branches_total: [`比本单位上次报送减少超过${STOCK_DROP_RATIO * 100}%时提示核实`],
};

/** Rules about a whole row, for the 填报说明 too. */
export const ROW_RULE_NOTES: readonly string[] = [
  "本月各项工作数据(时期指标)全为0或空白时提示核实是否漏填。",
  `与本单位近${OUTLIER_WINDOW}个月的数据相比明显偏高或偏低时(至少有${OUTLIER_MIN_HISTORY}个月历史数据)提示核实。`,
  "有“提示”的行,如数据无误,请在“说明”栏写明情况后上传,即可接收;“错误”须改正后重新上传。",
];
