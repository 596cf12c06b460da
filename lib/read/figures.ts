/**
 * A scope's figures as the aggregates route returns them. One read per scope covers the period and
 * both comparison periods: the scope's rollups (or a unit's own returns) of exactly those months,
 * combined three times. Who reported comes with the figures (the rollups' counters); the lists of
 * missing and late units are read only when asked for, once per request, and shared by the children.
 */

import { type PeriodView, periodView, rangeLabel } from "../api/periods.ts";
import { DERIVED, type DerivedKey, INDICATOR_KEYS, type IndicatorKey, roundTo } from "../domain/catalogue.ts";
import type { Month, PeriodRange } from "../domain/periods.ts";
import type { Unit } from "../domain/registry.ts";
import type { PeriodFigures } from "../write/aggregate.ts";
import type { StoredReturn } from "../write/plan.ts";
import { countsFromFigures, figureSource, type ReadDeps, reportingStatus, shiftRange } from "./queries.ts";

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

/** At most this many codes in each of the aggregates' lists; the full lists are /v1/completeness's. */
export const REPORTING_LIST_LIMIT = 100;

export interface ReportingView {
  readonly expected: number;
  readonly reported: number;
  readonly on_time: number;
  /** With include=missing: units without a return in the period (first REPORTING_LIST_LIMIT by code). */
  readonly missing?: readonly string[];
  /** With include=missing: units with a month reported late or not at all while others were. */
  readonly late?: readonly string[];
  /** With include=missing, only when either list was cut at REPORTING_LIST_LIMIT: true. */
  readonly truncated?: true;
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

export interface ScopeRequest {
  readonly range: PeriodRange;
  readonly selection: Selection;
  readonly compare: boolean;
  /**
   * With include=missing: the period's returns of every unit under the requested scope, by unit,
   * read once per request (the children's lists are parts of it).
   */
  readonly lists?: Promise<ReadonlyMap<string, readonly StoredReturn[]>> | undefined;
}

function codes(units: readonly Unit[]): { list: string[]; cut: boolean } {
  const sorted = units.map((u) => u.code).sort();
  return { list: sorted.slice(0, REPORTING_LIST_LIMIT), cut: sorted.length > REPORTING_LIST_LIMIT };
}

export async function scopeView(reads: ReadDeps, unit: Unit, request: ScopeRequest): Promise<ScopeView> {
  const { range, selection } = request;
  const previous = shiftRange(range, "previous");
  const lastYear = shiftRange(range, "last_year");
  const spans = request.compare ? [range, previous, lastYear] : [range];
  // The figures read and the lists read are independent: wait for both together.
  const [figuresOf, lists] = await Promise.all([figureSource(reads, unit.code, spans), request.lists]);
  const current = figuresOf(range.from, range.to);
  const counts = countsFromFigures(reads.registry, unit.code, current, reads.deadlineDay);
  let listed: Pick<ReportingView, "missing" | "late" | "truncated"> = {};
  if (lists) {
    const own = reads.registry.leavesUnder(unit.code).flatMap((u) => lists.get(u.code) ?? []);
    const status = reportingStatus(reads.registry, unit.code, range.from, range.to, own, reads.deadlineDay);
    const missing = codes(status.missing);
    const late = codes(status.late);
    listed = {
      missing: missing.list,
      late: late.list,
      ...(missing.cut || late.cut ? { truncated: true } : {}),
    };
  }
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
      expected: counts.expected,
      reported: counts.reported,
      on_time: counts.onTime,
      ...listed,
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
