/**
 * Keeps generated figures inside what the validator calls plausible, so that only the rows the
 * sample means to flag get warnings. It asks the real rules (lib/rules.ts), not a copy of them.
 */
import { INDICATORS, type IndicatorKey, indicator, roundTo, type Values } from "../domain/catalogue.ts";
import type { Month } from "../domain/periods.ts";
import type { ValidationIssue } from "../ingest/issues.ts";
import { checkConsistency, checkHistory, isOutlier, type PriorReturn } from "../ingest/row-rules.ts";
import { THRESHOLDS } from "../ingest/thresholds.ts";
import type { Rng } from "./random.ts";

/** The stored returns the outlier rule compares a month with (the last twelve before it). */
export function outlierWindow(history: readonly PriorReturn[], key: IndicatorKey): number[] | undefined {
  if (history.length < THRESHOLDS.OUTLIER_MIN_HISTORY) return undefined;
  return history.slice(-THRESHOLDS.HISTORY_WINDOW).map((h) => h.values[key]);
}

/**
 * A flow that would stand out against the unit's own months is pulled back inside the range the
 * rule accepts (and a little further, so capped months do not all sit on the edge). A flow that is
 * usually 0 (an occasional donation) is dropped when the cap would shrink it to a token amount.
 */
export function steadyFlow(
  value: number,
  window: readonly number[] | undefined,
  decimals: number,
  rng: Rng,
): number {
  if (!window) return value;
  const first = isOutlier(value, window);
  if (!first.outlier) return value;
  let lo = roundTo(first.median, decimals);
  let hi = value;
  for (let i = 0; i < 40; i++) {
    const mid = roundTo((lo + hi) / 2, decimals);
    if (mid === lo || mid === hi) break;
    if (isOutlier(mid, window).outlier) hi = mid;
    else lo = mid;
  }
  if (first.median === 0 && lo < value * 0.3) return 0;
  return roundTo(lo + (first.median - lo) * rng.range(0.1, 0.4), decimals);
}

/** A stock never falls by more than the W_STOCK_DROP ratio from the last stored return. */
export function steadyStock(value: number, key: IndicatorKey, history: readonly PriorReturn[]): number {
  const last = history[history.length - 1];
  if (!last) return value;
  const before = last.values[key];
  const floor = Math.ceil(before * (1 - THRESHOLDS.STOCK_DROP_SHARE));
  return before > 0 && value < floor ? floor : value;
}

/** What the validator would say about a return with these figures and this history. */
export function predictIssues(
  values: Values,
  history: readonly PriorReturn[],
  period: Month,
  unit = "",
): ValidationIssue[] {
  const row = {
    row: 2,
    unit,
    period,
    values,
    blanks: [],
    text: { explanation: "", highlight: "", reporter: "", phone: "" },
  };
  const issues: ValidationIssue[] = [];
  checkConsistency(row, issues);
  checkHistory(row, history, issues);
  return issues;
}

const KEY_BY_NAME = new Map<string, IndicatorKey>(INDICATORS.map((i) => [i.name, i.key]));

/**
 * Last resort for an ordinary month that still draws a warning after generation (rare: a derived
 * figure landing on an edge): fixes the named figure and asks again.
 */
export function settle(
  values: Values,
  history: readonly PriorReturn[],
  period: Month,
): { values: Values; issues: ValidationIssue[] } {
  const out = { ...values };
  for (let round = 0; ; round++) {
    const issues = predictIssues(out, history, period);
    if (issues.length === 0 || round === 6) return { values: out, issues };
    for (const found of issues) {
      const key = found.column ? KEY_BY_NAME.get(found.column) : undefined;
      switch (found.code) {
        case "W_SOLVED_GT_COLLECTED":
          out.problems_solved = out.problems_collected;
          break;
        case "W_HOURS_PER_PERSON":
          // The hours were already steadied against their own history; the person-times follow them.
          out.volunteer_person_times = Math.max(
            out.volunteer_person_times,
            Math.ceil(out.volunteer_hours / 3),
          );
          break;
        case "W_ALL_ZERO":
          out.sanhui_yike = Math.max(1, out.sanhui_yike);
          break;
        case "E_REPORTED_GT_MEMBERS":
          out.members_reported = out.members_total;
          break;
        case "W_STOCK_DROP":
          if (key) out[key] = steadyStock(out[key], key, history);
          break;
        case "W_OUTLIER":
          if (key) {
            const window = outlierWindow(history, key) ?? [];
            out[key] = roundTo(isOutlier(out[key], window).median, indicator(key).decimals);
          }
          break;
        default:
          break;
      }
    }
  }
}
