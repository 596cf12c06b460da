/**
 * The read side shared by the API and the bulletin: a scope's figures over a period (from its own
 * rollups, or a unit's own returns), who reported and when, and period-over-period comparisons.
 * Counts (报送 and 按时 units) come with the figures: a scope's answer reads its rollups only
 * (months × shards), a unit's its own return items only.
 */

import {
  addMonths,
  beijingDate,
  deadlineOf,
  type Month,
  monthIndex,
  monthsBetween,
  type PeriodRange,
} from "../domain/periods.ts";
import type { Registry, Unit } from "../domain/registry.ts";
import { DangjianError } from "../errors.ts";
import type { MonthSpan, ReturnReads, RollupReads } from "../ports.ts";
import {
  aggregateMonths,
  type MonthRollup,
  ON_TIME_WINDOW,
  type PeriodFigures,
  unitFigures,
} from "../write/aggregate.ts";
import type { StoredReturn } from "../write/plan.ts";

export interface ReadDeps {
  readonly returns: ReturnReads;
  readonly rollups: RollupReads;
  readonly registry: Registry;
  readonly deadlineDay: number;
}

/** Spans merged where they overlap or lie at most `gap` months apart, in month order. */
export function mergeSpans(spans: readonly MonthSpan[], gap = 0): MonthSpan[] {
  const sorted = [...spans].sort((a, b) => monthIndex(a.from) - monthIndex(b.from));
  const out: { from: Month; to: Month }[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && monthIndex(s.from) <= monthIndex(last.to) + 1 + gap) {
      if (monthIndex(s.to) > monthIndex(last.to)) last.to = s.to;
    } else {
      out.push({ from: s.from, to: s.to });
    }
  }
  return out;
}

/** Figures of a scope for any sub-span of the spans read. */
export type FigureSource = (from: Month, to: Month) => PeriodFigures;

/**
 * A unit has at most one item a month: reading across a gap this short (a year to date and the
 * same months last year leave November and December between them) costs fewer items than a query.
 */
const UNIT_SPAN_GAP = 2;

/**
 * Reads what a scope's figures over the given spans need, and nothing else: a reporting unit's
 * own returns of those months, or the scope's rollups of those months (every shard).
 */
export async function figureSource(
  deps: ReadDeps,
  scope: string,
  spans: readonly MonthSpan[],
): Promise<FigureSource> {
  if (deps.registry.isLeaf(scope)) {
    const merged = mergeSpans(spans, UNIT_SPAN_GAP);
    const parts = await Promise.all(merged.map((s) => deps.returns.unitReturns(scope, s)));
    const returns = parts.flat();
    return (lo, hi) => unitFigures(returns, lo, hi);
  }
  const merged = mergeSpans(spans);
  const parts = await Promise.all(merged.map((s) => deps.rollups.rollups(scope, s.from, s.to)));
  const rollups: MonthRollup[] = parts.flat();
  return (lo, hi) => aggregateMonths(rollups, lo, hi);
}

/** A scope's figures over one span. */
export async function scopeFigures(
  deps: ReadDeps,
  scope: string,
  from: Month,
  to: Month,
): Promise<PeriodFigures> {
  return (await figureSource(deps, scope, [{ from, to }]))(from, to);
}

/** Shifts a period back: the previous period of the same kind, or the same period a year earlier. */
export function shiftRange(range: PeriodRange, how: "previous" | "last_year"): { from: Month; to: Month } {
  const span = how === "last_year" ? 12 : range.kind === "month" ? 1 : range.kind === "quarter" ? 3 : 12;
  return { from: addMonths(range.from, -span), to: addMonths(range.to, -span) };
}

/** 报送率/及时率 inputs for a scope over a period, as counts. */
export interface ReportingCounts {
  /** Reporting units in the scope. */
  readonly expected: number;
  /** Units with at least one accepted return in the period. */
  readonly reported: number;
  /** Units whose every month in the period was reported by its deadline. */
  readonly onTime: number;
  /** Unit-months: expected (units × months), received, received by the deadline. */
  readonly returnsExpected: number;
  readonly returnsReceived: number;
  readonly returnsOnTime: number;
  /** Deadline of each month, as Beijing dates. */
  readonly deadlines: readonly { readonly month: Month; readonly deadline: string }[];
}

export function deadlinesOf(
  from: Month,
  to: Month,
  deadlineDay: number,
): { readonly month: Month; readonly deadline: string }[] {
  return monthsBetween(from, to).map((month) => ({
    month,
    deadline: beijingDate(deadlineOf(month, deadlineDay)),
  }));
}

/**
 * The counts from a scope's figures (its rollups' 报送 and on-time-run counters): no read beyond
 * the figures. `expected` is the registry's count of reporting units in the scope.
 */
export function countsFromFigures(
  registry: Registry,
  scope: string,
  figures: PeriodFigures,
  deadlineDay: number,
): ReportingCounts {
  if (figures.onTimeUnits === null) {
    throw new DangjianError(
      "E_PERIOD_TOO_LONG",
      `on-time units are kept for periods of at most ${ON_TIME_WINDOW} months (${figures.from}–${figures.to})`,
    );
  }
  const expected = registry.leavesUnder(scope).length;
  const months = monthsBetween(figures.from, figures.to).length;
  return {
    expected,
    reported: figures.reportedUnits,
    onTime: figures.onTimeUnits,
    returnsExpected: expected * months,
    returnsReceived: figures.returns,
    returnsOnTime: figures.onTimeReturns,
    deadlines: deadlinesOf(figures.from, figures.to, deadlineDay),
  };
}

/** How a unit did over a period, from its returns of that period. */
export type UnitReporting = "missing" | "late" | "on_time";

/** Missing: no return; late: a return after the deadline or a month not reported; else on time. */
export function classifyUnit(months: number, own: readonly StoredReturn[]): UnitReporting {
  if (own.length === 0) return "missing";
  return own.filter((r) => r.onTime).length < months ? "late" : "on_time";
}

export interface ReportingStatus extends ReportingCounts {
  readonly missing: readonly Unit[];
  /** Units with at least one return after the deadline (or a month not reported at all when others were). */
  readonly late: readonly Unit[];
}

/** Counts and lists straight from the period's returns of the units under a scope (any order). */
export function reportingStatus(
  registry: Registry,
  scope: string,
  from: Month,
  to: Month,
  returns: readonly StoredReturn[],
  deadlineDay: number,
): ReportingStatus {
  const months = monthsBetween(from, to);
  const leaves = registry.leavesUnder(scope);
  const byUnit = groupByUnit(returns);
  const missing: Unit[] = [];
  const late: Unit[] = [];
  let onTime = 0;
  let received = 0;
  let receivedOnTime = 0;
  for (const unit of leaves) {
    const own = byUnit.get(unit.code) ?? [];
    received += own.length;
    receivedOnTime += own.filter((r) => r.onTime).length;
    const kind = classifyUnit(months.length, own);
    if (kind === "missing") missing.push(unit);
    else if (kind === "late") late.push(unit);
    else onTime++;
  }
  return {
    expected: leaves.length,
    reported: leaves.length - missing.length,
    onTime,
    missing,
    late,
    returnsExpected: leaves.length * months.length,
    returnsReceived: received,
    returnsOnTime: receivedOnTime,
    deadlines: deadlinesOf(from, to, deadlineDay),
  };
}

/** Returns grouped by unit code. */
export function groupByUnit(returns: readonly StoredReturn[]): Map<string, StoredReturn[]> {
  const byUnit = new Map<string, StoredReturn[]>();
  for (const r of returns) {
    const list = byUnit.get(r.unit);
    if (list) list.push(r);
    else byUnit.set(r.unit, [r]);
  }
  return byUnit;
}
