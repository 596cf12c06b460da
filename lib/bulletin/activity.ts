/**
 * "Per-member activity", the 比学赶超 measure: the month's activity counts (flow indicators whose
 * measure word is one of the template's activityUnits, i.e. 次 and 场) summed, divided by 党员总数.
 * Measured on summed figures, never an average of units' ratios, so a 片区's figure is its own
 * total over its own members.
 */
import { CATALOGUE, type Indicator, type Values } from "../domain/catalogue.ts";

export function activityIndicators(activityUnits: readonly string[]): readonly Indicator[] {
  return CATALOGUE.filter((ind) => ind.time === "SUM" && activityUnits.includes(ind.unit));
}

export function activityTotal(values: Values, indicators: readonly Indicator[]): number {
  let total = 0;
  for (const ind of indicators) total += values[ind.key];
  return total;
}

export interface Ranked<T> {
  readonly item: T;
  readonly rank: number;
  readonly total: number;
  readonly members: number;
  readonly perMember: number;
}

/**
 * Ranks by activities per member, highest first; ties by code so the order never depends on input
 * order. Items without figures or without members are left out (nothing to divide by).
 */
export function rankByActivity<T extends { readonly code: string }>(
  items: readonly T[],
  valuesOf: (item: T) => Values | null,
  indicators: readonly Indicator[],
): Ranked<T>[] {
  const measured: Omit<Ranked<T>, "rank">[] = [];
  for (const item of items) {
    const values = valuesOf(item);
    if (!values || !(values.members_total > 0)) continue;
    const total = activityTotal(values, indicators);
    measured.push({ item, total, members: values.members_total, perMember: total / values.members_total });
  }
  measured.sort((a, b) => b.perMember - a.perMember || compareCodes(a.item.code, b.item.code));
  return measured.map((m, i) => ({ ...m, rank: i + 1 }));
}

export function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
