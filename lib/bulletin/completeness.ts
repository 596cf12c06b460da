/**
 * 报送情况: 报送率 = reported / expected, 及时率 = on time / expected (a late return counts as reported
 * but not on time), and every 未报 and 迟报 unit by name, in unit-code order.
 */
import type { ComposeContext } from "./context.ts";
import { chineseDate, formatPercent, percentOf } from "./format.ts";
import type { Completeness, NamedUnit } from "./input.ts";
import type { Block } from "./model.ts";
import { fill } from "./template.ts";

export interface CompletenessRates {
  readonly reportRate: string;
  readonly onTimeRate: string;
}

export function completenessRates(c: Completeness): CompletenessRates {
  const reported = percentOf(c.reported, c.expected);
  const onTime = percentOf(c.onTime, c.expected);
  return {
    reportRate: reported === null ? "—" : formatPercent(reported),
    onTimeRate: onTime === null ? "—" : formatPercent(onTime),
  };
}

export function isComplete(c: Completeness): boolean {
  return c.missing.length === 0 && c.late.length === 0 && c.onTime >= c.expected;
}

function namesOf(units: readonly NamedUnit[], separator: string): string {
  return [...units]
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((u) => u.name)
    .join(separator);
}

export function completenessSection(ctx: ComposeContext): Block[] {
  const w = ctx.wording.completeness;
  const c = ctx.input.completeness;
  let text = fill(w.summary, {
    expected: c.expected,
    reported: c.reported,
    onTime: c.onTime,
    deadline: chineseDate(c.deadline),
    ...completenessRates(c),
  });
  if (c.missing.length) {
    text += fill(w.missing, { count: c.missing.length, names: namesOf(c.missing, w.nameSeparator) });
  }
  if (c.late.length) text += fill(w.late, { count: c.late.length, names: namesOf(c.late, w.nameSeparator) });
  const reminded = c.remindedLate ?? [];
  if (reminded.length) {
    const f = ctx.wording.workflow;
    const names = [...reminded]
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
      .map((u) => fill(f.remindedName, { name: u.name, count: u.reminders }))
      .join(w.nameSeparator);
    text += fill(f.remindedLate, { names, count: reminded.length });
  }
  if (isComplete(c)) text += w.allOnTime;
  else text += w.reminder;
  const review = reviewSentence(ctx);
  if (review) text += review;
  return [{ kind: "paragraph", text }];
}

/** Whether the month's figures are final: absent without 逐级审核. */
export function isProvisional(ctx: ComposeContext): boolean {
  const r = ctx.input.review;
  return r !== undefined && r.pending.length > 0;
}

/** "本月数据已经…市级确认" or "……本期数据为初步统计……"; nothing without 逐级审核. */
export function reviewSentence(ctx: ComposeContext): string {
  const r = ctx.input.review;
  if (!r || r.areas === 0) return "";
  const f = ctx.wording.workflow;
  if (!r.pending.length) return fill(f.confirmed, { areas: r.areas });
  if (r.confirmed === 0 || r.areas === 1) return fill(f.provisionalNone, { areas: r.areas });
  return fill(f.provisional, {
    areas: r.areas,
    confirmed: r.confirmed,
    names: namesOf(r.pending, ctx.wording.completeness.nameSeparator),
  });
}
