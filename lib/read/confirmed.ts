/**
 * Confirmed figures (status=confirmed): what 市级确认 has locked. A 片区's figures for a period count
 * as confirmed when every month of the period is locked for it; a scope's confirmed figures are the
 * sum over its 片区 that are (flows and stocks both add across units; rates from the sums). Reads:
 * each 片区's locks and rollups over the period — O(片区 in the scope).
 */
import { derive, INDICATOR_KEYS, roundTo, zeroValues } from "../domain/catalogue.ts";
import { type Month, monthsBetween, type PeriodRange } from "../domain/periods.ts";
import type { Unit } from "../domain/registry.ts";
import type { ReviewStore } from "../ports.ts";
import { mapLimit } from "../support/concurrency.ts";
import type { PeriodFigures } from "../write/aggregate.ts";
import { countsFromFigures, type ReadDeps, scopeFigures } from "./queries.ts";

export interface Confirmation {
  readonly status: "confirmed";
  /** 片区 whose every month of the period is confirmed (their figures are counted). */
  readonly confirmed: readonly string[];
  /** 片区 with months not yet confirmed (left out), and those months. */
  readonly unconfirmed: readonly { readonly scope: string; readonly months: readonly Month[] }[];
}

/** The 片区 (direct parents of reporting units) a scope's figures are made of. */
export function areasUnder(reads: Pick<ReadDeps, "registry">, scope: string): string[] {
  const { registry } = reads;
  if (registry.isLeaf(scope)) {
    const parent = registry.get(scope)?.parentCode;
    return parent ? [parent] : [];
  }
  return [...new Set(registry.leavesUnder(scope).map((u) => u.parentCode))]
    .filter((p): p is string => p !== null)
    .sort();
}

function addFigures(a: PeriodFigures, b: PeriodFigures): PeriodFigures {
  const values = zeroValues();
  for (const key of INDICATOR_KEYS) values[key] = roundTo(a.values[key] + b.values[key], 2);
  return {
    from: a.from,
    to: a.to,
    values,
    derived: derive(values),
    reportedUnits: a.reportedUnits + b.reportedUnits,
    onTimeUnits: a.onTimeUnits === null || b.onTimeUnits === null ? null : a.onTimeUnits + b.onTimeUnits,
    returns: a.returns + b.returns,
    onTimeReturns: a.onTimeReturns + b.onTimeReturns,
    monthsWithData: [...new Set([...a.monthsWithData, ...b.monthsWithData])].sort(),
  };
}

function empty(from: Month, to: Month): PeriodFigures {
  const values = zeroValues();
  return {
    from,
    to,
    values,
    derived: derive(values),
    reportedUnits: 0,
    onTimeUnits: 0,
    returns: 0,
    onTimeReturns: 0,
    monthsWithData: [],
  };
}

/** A scope's confirmed figures over a period, with which 片区 are in them and which are not yet. */
export async function confirmedFigures(
  reads: ReadDeps,
  reviews: Pick<ReviewStore, "locksOf">,
  unit: Unit,
  range: Pick<PeriodRange, "from" | "to">,
): Promise<{ figures: PeriodFigures; confirmation: Confirmation }> {
  const confirmation = await confirmationOf(reads, reviews, unit.code, range);
  const { confirmed } = confirmation;
  // A unit's confirmed figures are its own; a scope's, the sum over its confirmed 片区.
  const parts = reads.registry.isLeaf(unit.code)
    ? confirmed.length
      ? [await scopeFigures(reads, unit.code, range.from, range.to)]
      : []
    : await mapLimit(confirmed, 8, (area) => scopeFigures(reads, area, range.from, range.to));
  return {
    figures: parts.reduce(addFigures, empty(range.from, range.to)),
    confirmation,
  };
}

/**
 * Which 片区 of a scope are 市级确认 for every month of the period and which are not yet (with the
 * open months): one lock read per 片区. The confirmed figures and the bulletin's 初步统计 both ask this.
 */
export async function confirmationOf(
  reads: Pick<ReadDeps, "registry">,
  reviews: Pick<ReviewStore, "locksOf">,
  scope: string,
  range: Pick<PeriodRange, "from" | "to">,
): Promise<Confirmation> {
  const months = monthsBetween(range.from, range.to);
  const states = await mapLimit(areasUnder(reads, scope), 8, async (area) => {
    const locks = await reviews.locksOf(area, range.from, range.to);
    const locked = new Set(locks.filter((l) => l.state === "locked").map((l) => l.month));
    return { area, open: months.filter((m) => !locked.has(m)) };
  });
  return {
    status: "confirmed",
    confirmed: states.filter((s) => s.open.length === 0).map((s) => s.area),
    unconfirmed: states.filter((s) => s.open.length).map((s) => ({ scope: s.area, months: s.open })),
  };
}

/** The counts (应报 of the scope; 已报 and 按时 among confirmed 片区 only) from confirmed figures. */
export function confirmedCounts(reads: ReadDeps, unit: Unit, figures: PeriodFigures) {
  return countsFromFigures(reads.registry, unit.code, figures, reads.deadlineDay);
}
