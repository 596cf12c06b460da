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
  if (isComplete(c)) text += w.allOnTime;
  else text += w.reminder;
  return [{ kind: "paragraph", text }];
}
