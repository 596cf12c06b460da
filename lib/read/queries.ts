/**
 * The read side shared by the API and the bulletin: a scope's figures over a period (from
 * rollups, or a unit's own returns), who reported and when, and period-over-period comparisons.
 */

import {
  addMonths,
  beijingDate,
  deadlineOf,
  type Month,
  monthsBetween,
  type PeriodRange,
} from "../domain/periods.ts";
import type { Registry, Unit } from "../domain/registry.ts";
import type { ReturnReads, RollupReads } from "../ports.ts";
import { mapLimit } from "../support/concurrency.ts";
import { aggregateMonths, type PeriodFigures, unitFigures } from "../write/aggregate.ts";
import type { StoredReturn } from "../write/plan.ts";

export interface ReadDeps {
  readonly returns: ReturnReads;
  readonly rollups: RollupReads;
  readonly registry: Registry;
  readonly deadlineDay: number;
}

/** A scope's figures; a reporting unit (leaf) is read from its own returns. */
export async function scopeFigures(
  deps: ReadDeps,
  scope: string,
  from: Month,
  to: Month,
): Promise<PeriodFigures> {
  if (deps.registry.isLeaf(scope)) {
    return unitFigures(await deps.returns.unitReturns(scope), from, to);
  }
  return aggregateMonths(await deps.rollups.rollups(scope, from, to), from, to);
}

/** Shifts a period back: the previous period of the same kind, or the same period a year earlier. */
export function shiftRange(range: PeriodRange, how: "previous" | "last_year"): { from: Month; to: Month } {
  const span = how === "last_year" ? 12 : range.kind === "month" ? 1 : range.kind === "quarter" ? 3 : 12;
  return { from: addMonths(range.from, -span), to: addMonths(range.to, -span) };
}

export interface ReportingStatus {
  /** Reporting units in the scope. */
  readonly expected: number;
  /** Units with at least one accepted return in the period. */
  readonly reported: number;
  /** Units whose every month in the period was reported by its deadline. */
  readonly onTime: number;
  readonly missing: readonly Unit[];
  /** Units with at least one return after the deadline (or a month not reported at all when others were). */
  readonly late: readonly Unit[];
  /** Unit-months: expected (units × months), received, received by the deadline. */
  readonly returnsExpected: number;
  readonly returnsReceived: number;
  readonly returnsOnTime: number;
  /** Deadline of each month, as Beijing dates. */
  readonly deadlines: readonly { readonly month: Month; readonly deadline: string }[];
}

/** Returns of every month in [from, to] for the units under a scope. */
export async function scopeReturns(
  deps: ReadDeps,
  scope: string,
  from: Month,
  to: Month,
): Promise<StoredReturn[]> {
  const months = monthsBetween(from, to);
  const perMonth = await mapLimit(months, 4, (m) => deps.returns.periodReturns(m));
  return perMonth.flat().filter((r) => deps.registry.contains(scope, r.unit));
}

/** 报送率/及时率 inputs: who reported, who was late, who is missing, over a period. */
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
  const byUnit = new Map<string, StoredReturn[]>();
  for (const r of returns) byUnit.set(r.unit, [...(byUnit.get(r.unit) ?? []), r]);
  const missing: Unit[] = [];
  const late: Unit[] = [];
  let onTime = 0;
  let received = 0;
  let receivedOnTime = 0;
  for (const unit of leaves) {
    const own = byUnit.get(unit.code) ?? [];
    received += own.length;
    const timely = own.filter((r) => r.onTime).length;
    receivedOnTime += timely;
    if (own.length === 0) missing.push(unit);
    else if (timely < months.length) late.push(unit);
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
    deadlines: months.map((month) => ({ month, deadline: beijingDate(deadlineOf(month, deadlineDay)) })),
  };
}
