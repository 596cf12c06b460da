/**
 * A scope's figures as the aggregates route returns them. One read per scope covers the period and
 * both comparison periods: the monthly rollups from a year before the period to its end (or a
 * unit's own returns), combined three times. Who reported comes from the period's returns, read
 * once for the whole request and shared by the children.
 */

import { type PeriodView, periodView, rangeLabel } from "../api/periods.ts";
import { DERIVED, type DerivedKey, INDICATOR_KEYS, type IndicatorKey, roundTo } from "../domain/catalogue.ts";
import { type Month, monthIndex, type PeriodRange } from "../domain/periods.ts";
import type { Unit } from "../domain/registry.ts";
import { aggregateMonths, type PeriodFigures, unitFigures } from "../write/aggregate.ts";
import type { StoredReturn } from "../write/plan.ts";
import { type ReadDeps, reportingStatus, shiftRange } from "./queries.ts";

/** Which figures to return: all by default, or the keys a caller listed. */
export interface Selection {
  readonly indicators: readonly IndicatorKey[];
  readonly derived: readonly DerivedKey[];
}

export const ALL_FIGURES: Selection = { indicators: INDICATOR_KEYS, derived: DERIVED.map((d) => d.key) };

export function selectionOf(keys: readonly string[] | undefined): Selection {
  if (!keys) return ALL_FIGURES;
  const wanted = new Set(keys);
  return {
    indicators: INDICATOR_KEYS.filter((k) => wanted.has(k)),
    derived: DERIVED.map((d) => d.key).filter((k) => wanted.has(k)),
  };
}

export interface FiguresView {
  readonly values: Partial<Record<IndicatorKey, number>>;
  /** Rates from summed numerators and denominators, rounded to 0.01; null when the denominator is 0. */
  readonly derived: Partial<Record<DerivedKey, number | null>>;
}

export interface ReportingView {
  readonly expected: number;
  readonly reported: number;
  readonly on_time: number;
  readonly missing: readonly string[];
  /** Extra: units with a month reported after the deadline (or not at all while others were). */
  readonly late: readonly string[];
}

export interface CompareView extends FiguresView {
  readonly period: Omit<PeriodView, "spec" | "kind">;
  readonly reported_units: number;
}

export interface ScopeView extends FiguresView {
  readonly scope: { readonly code: string; readonly name: string; readonly parent: string | null };
  readonly period: PeriodView;
  readonly reporting: ReportingView;
  /** Extra: months of the period that have any accepted return. */
  readonly months_with_data: readonly Month[];
  readonly children?: readonly ScopeView[];
  readonly compare?: {
    readonly previous_period: CompareView;
    readonly same_period_last_year: CompareView;
  };
}

export function figuresView(figures: PeriodFigures, selection: Selection): FiguresView {
  const values: Partial<Record<IndicatorKey, number>> = {};
  for (const key of selection.indicators) values[key] = figures.values[key];
  const derived: Partial<Record<DerivedKey, number | null>> = {};
  for (const key of selection.derived) {
    const v = figures.derived[key];
    derived[key] = v === null ? null : roundTo(v, 2);
  }
  return { values, derived };
}

/** Reads what a scope's figures over [from, to] need, for every sub-range of it. */
export async function monthlySource(
  reads: ReadDeps,
  scope: string,
  from: Month,
  to: Month,
): Promise<(lo: Month, hi: Month) => PeriodFigures> {
  if (reads.registry.isLeaf(scope)) {
    const returns = await reads.returns.unitReturns(scope);
    return (lo, hi) => unitFigures(returns, lo, hi);
  }
  const rollups = await reads.rollups.rollups(scope, from, to);
  return (lo, hi) => aggregateMonths(rollups, lo, hi);
}

export interface ScopeRequest {
  readonly range: PeriodRange;
  readonly selection: Selection;
  readonly compare: boolean;
  /** Every return of the period under the requested scope (reporting status), read once per request. */
  readonly returns: Promise<readonly StoredReturn[]>;
}

export async function scopeView(reads: ReadDeps, unit: Unit, request: ScopeRequest): Promise<ScopeView> {
  const { range, selection } = request;
  const previous = shiftRange(range, "previous");
  const lastYear = shiftRange(range, "last_year");
  const earliest = request.compare
    ? [previous.from, lastYear.from].reduce((a, b) => (monthIndex(a) < monthIndex(b) ? a : b))
    : range.from;
  // The rollup read and the returns read are independent: wait for both together.
  const [figuresOf, returns] = await Promise.all([
    monthlySource(reads, unit.code, earliest, range.to),
    request.returns,
  ]);
  const current = figuresOf(range.from, range.to);
  const status = reportingStatus(reads.registry, unit.code, range.from, range.to, returns, reads.deadlineDay);
  const compareView = (span: { from: Month; to: Month }): CompareView => {
    const f = figuresOf(span.from, span.to);
    return {
      period: { label: rangeLabel(span.from, span.to), from: span.from, to: span.to },
      ...figuresView(f, selection),
      reported_units: f.reportedUnits,
    };
  };
  return {
    scope: { code: unit.code, name: unit.name, parent: unit.parentCode },
    period: periodView(range),
    ...figuresView(current, selection),
    reporting: {
      expected: status.expected,
      reported: status.reported,
      on_time: status.onTime,
      missing: status.missing.map((u) => u.code),
      late: status.late.map((u) => u.code),
    },
    months_with_data: current.monthsWithData,
    ...(request.compare
      ? {
          compare: {
            previous_period: compareView(previous),
            same_period_last_year: compareView(lastYear),
          },
        }
      : {}),
  };
}
