/**
 * What every part of the composition shares: the input, the wording, and the few phrases derived
 * once from them (who "we" are, how the month is named, which indicators count as activities).
 */
import type { Indicator } from "../domain/catalogue.ts";
import { monthLabel, monthNumber } from "../domain/periods.ts";
import { activityIndicators, activityTotal } from "./activity.ts";
import type { BulletinInput } from "./input.ts";
import { fill } from "./template.ts";
import type { BulletinWording } from "./wording.ts";

/** rising: activities did not fall against the comparison base; steady: they fell. */
export type Tone = "rising" | "steady";

export interface ComposeContext {
  readonly input: BulletinInput;
  readonly wording: BulletinWording;
  /** "全市各级机关党组织" */
  readonly subject: string;
  /** "10月份" */
  readonly month: string;
  /** "2026年10月" */
  readonly yearMonth: string;
  readonly activity: readonly Indicator[];
  readonly tone: Tone;
}

/**
 * Tone compares the month's activity total with the same month last year, or the previous month
 * when last year is missing or empty; with nothing to compare it is "rising".
 */
function toneOf(input: BulletinInput, activity: readonly Indicator[]): Tone {
  const now = activityTotal(input.figures.month.values, activity);
  for (const base of [input.figures.sameMonthLastYear, input.figures.previousMonth]) {
    const before = base ? activityTotal(base.values, activity) : 0;
    if (before > 0) return now >= before ? "rising" : "steady";
  }
  return "rising";
}

export function contextOf(input: BulletinInput, wording: BulletinWording): ComposeContext {
  const activity = activityIndicators(wording.ranking.activityUnits);
  const subjectPattern = input.children.length
    ? wording.subject.withChildren
    : wording.subject.withoutChildren;
  return {
    input,
    wording,
    subject: fill(subjectPattern, { scope: input.scope.name }),
    month: `${monthNumber(input.month)}月份`,
    yearMonth: monthLabel(input.month),
    activity,
    tone: toneOf(input, activity),
  };
}

/** Deterministic pick from a list of alternatives: the issue number walks through them. */
export function pick<T>(options: readonly [T, ...T[]] | readonly T[], issueNumber: number): T {
  const index = (((issueNumber - 1) % options.length) + options.length) % options.length;
  const chosen = options[index];
  if (chosen === undefined) throw new Error("pick: no options");
  return chosen;
}
