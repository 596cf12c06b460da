/**
 * What every part of the composition shares: the input, the wording, and the few phrases derived
 * once from them (who "we" are, how the month is named, which indicators count as activities).
 */
import type { Indicator } from "../domain/catalogue.ts";
import { monthLabel, monthNumber } from "../domain/periods.ts";
import { typesetChinese } from "../domain/text.ts";
import { activityIndicators, activityTotal } from "./activity.ts";
import type { BulletinInput, NamedUnit } from "./input.ts";
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

/**
 * The names the bulletin prints (scope, 片区, units) come from units.csv as typed: typeset once,
 * here, so "市委办公室(市档案局)" prints as "市委办公室（市档案局）" in every table and sentence.
 * 亮点工作 text is typeset where it is cleaned (cases.ts), after formulas and addresses are gone.
 */
export function typesetNames(input: BulletinInput): BulletinInput {
  const named = <T extends NamedUnit>(u: T): T => ({ ...u, name: typesetChinese(u.name) });
  const withParent = <T extends NamedUnit & { readonly parentName: string }>(u: T): T => ({
    ...named(u),
    parentName: typesetChinese(u.parentName),
  });
  const c = input.completeness;
  return {
    ...input,
    scope: named(input.scope),
    children: input.children.map(named),
    units: input.units.map(withParent),
    highlights: input.highlights.map(withParent),
    completeness: {
      ...c,
      missing: c.missing.map(named),
      late: c.late.map(named),
      ...(c.remindedLate ? { remindedLate: c.remindedLate.map(named) } : {}),
    },
    ...(input.review ? { review: { ...input.review, pending: input.review.pending.map(named) } } : {}),
  };
}
