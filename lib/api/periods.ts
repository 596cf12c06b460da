/** Periods as the API reads and writes them: resolving a spec against the clock and the data. */
import {
  type Month,
  monthLabel,
  monthNumber,
  type PeriodRange,
  resolvePeriod,
  yearOf,
} from "../domain/periods.ts";
import type { RequestContext } from "./context.ts";
import { BadRequest } from "./errors.ts";

export interface PeriodView {
  readonly spec: string;
  readonly kind: PeriodRange["kind"];
  readonly label: string;
  readonly from: Month;
  readonly to: Month;
}

/** Year-to-date specs end at the latest month with data, which costs a read; others do not. */
function needsLatest(spec: string): boolean {
  const s = spec.trim().toUpperCase();
  return s === "THIS_YEAR" || /^\d{4}$/.test(s);
}

export async function resolveRange(ctx: RequestContext, spec: string): Promise<PeriodRange> {
  const latest = needsLatest(spec) ? await ctx.reads.rollups.latestMonth(ctx.registry.root.code) : undefined;
  const resolved = resolvePeriod(spec, ctx.now, latest);
  if (!resolved.ok) throw new BadRequest(resolved.message, [{ field: "period", message: resolved.message }]);
  return resolved.range;
}

export async function resolveMonth(ctx: RequestContext, spec: string): Promise<Month> {
  const range = await resolveRange(ctx, spec);
  if (range.kind !== "month") throw new BadRequest(`期间“${spec}”不是一个月份。`);
  return range.from;
}

/** "2026年10月", "2026年1—9月", "2025年11月—2026年10月". */
export function rangeLabel(from: Month, to: Month): string {
  if (from === to) return monthLabel(from);
  if (yearOf(from) === yearOf(to)) return `${yearOf(from)}年${monthNumber(from)}—${monthNumber(to)}月`;
  return `${monthLabel(from)}—${monthLabel(to)}`;
}

export function periodView(range: PeriodRange): PeriodView {
  return { spec: range.spec, kind: range.kind, label: range.label, from: range.from, to: range.to };
}
