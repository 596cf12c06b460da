/**
 * Lists of a scope's units and returns, read in proportion to what they list. Returns are indexed
 * by their unit's direct parent and month (lib/aws/table.ts): a scope's units, taken in code
 * order, are read parent by parent, and a page of a list reads only the units it covers.
 * Pages are continued with an opaque cursor naming the last unit (and month) given out.
 */

import { deadlineOf, type Month, monthIndex, monthsBetween } from "../domain/periods.ts";
import type { Registry, Unit } from "../domain/registry.ts";
import type { MonthSpan } from "../ports.ts";
import { mapLimit } from "../support/concurrency.ts";
import type { StoredReturn } from "../write/plan.ts";
import { classifyUnit, groupByUnit, type ReadDeps } from "./queries.ts";

/** Index queries in flight for one list. */
const READ_CONCURRENCY = 8;

const ordered = new WeakMap<Registry, Map<string, readonly Unit[]>>();

/** A scope's reporting units in code order: the order of every list and cursor of the read side. */
export function unitsInOrder(registry: Registry, scope: string): readonly Unit[] {
  let byScope = ordered.get(registry);
  if (!byScope) {
    byScope = new Map();
    ordered.set(registry, byScope);
  }
  let units = byScope.get(scope);
  if (!units) {
    units = [...registry.leavesUnder(scope)].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    byScope.set(scope, units);
  }
  return units;
}

/** Position of the first unit whose code sorts after `code` (0 without a code). */
export function positionAfter(units: readonly Unit[], code: string | undefined): number {
  if (code === undefined) return 0;
  let lo = 0;
  let hi = units.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((units[mid] as Unit).code <= code) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The returns of `units` (a run of unitsInOrder, so each parent's share is a run of its children
 * in code order) for the months of `span`, by unit. Per parent: one index query per month over
 * the run of codes, or one query per unit where the run is shorter than the span; either way only
 * these units' items are read.
 */
export async function returnsOfUnits(
  deps: Pick<ReadDeps, "returns">,
  units: readonly Unit[],
  span: MonthSpan,
): Promise<Map<string, StoredReturn[]>> {
  const months = monthsBetween(span.from, span.to);
  const groups = new Map<string, Unit[]>();
  for (const u of units) {
    const key = u.parentCode ?? "";
    const list = groups.get(key);
    if (list) list.push(u);
    else groups.set(key, [u]);
  }
  const reads: (() => Promise<StoredReturn[]>)[] = [];
  for (const [parent, group] of groups) {
    if (parent === "" || group.length < months.length) {
      for (const u of group) reads.push(() => deps.returns.unitReturns(u.code, span));
    } else {
      const codes = { first: (group[0] as Unit).code, last: (group[group.length - 1] as Unit).code };
      for (const m of months) reads.push(() => deps.returns.childReturns(parent, m, codes));
    }
  }
  const wanted = new Set(units.map((u) => u.code));
  const parts = await mapLimit(reads, READ_CONCURRENCY, (read) => read());
  // A unit moved to another parent since it reported may appear under its old one: keep ours.
  return groupByUnit(parts.flat().filter((r) => wanted.has(r.unit)));
}

/** A position in a list: the last unit (and, for lists of returns, month) given out. */
export interface Cursor {
  readonly unit: string;
  readonly period?: Month | undefined;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ u: cursor.unit, p: cursor.period })).toString("base64url");
}

/** The cursor a previous page gave out, or undefined when the text is not one. */
export function decodeCursor(text: string): Cursor | undefined {
  try {
    const raw = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as unknown;
    if (!raw || typeof raw !== "object") return undefined;
    const { u, p } = raw as { u?: unknown; p?: unknown };
    if (typeof u !== "string" || u === "") return undefined;
    if (p !== undefined && (typeof p !== "string" || !/^\d{4}-\d{2}$/.test(p))) return undefined;
    return { unit: u, period: p };
  } catch {
    return undefined;
  }
}

/** Loads the returns of a run of units for the list's span (from the store, or from memory). */
export type UnitLoader = (units: readonly Unit[]) => Promise<Map<string, StoredReturn[]>>;

export interface ChasedUnit {
  readonly unit: Unit;
  readonly kind: "missing" | "late";
  /** The unit's returns in the period (none for a missing unit). */
  readonly returns: readonly StoredReturn[];
}

export interface ChasePage {
  readonly units: readonly ChasedUnit[];
  /** Where the next page starts; null when the scope's units are exhausted. */
  readonly next: Cursor | null;
}

/**
 * The next `limit` units of a scope that are missing or late over the span, walking its units in
 * code order after the cursor, `batch` units at a time: a page reads the units it walks past.
 */
export async function unitsToChase(
  units: readonly Unit[],
  months: number,
  load: UnitLoader,
  options: { readonly after?: string | undefined; readonly limit: number; readonly batch: number },
): Promise<ChasePage> {
  const out: ChasedUnit[] = [];
  let i = positionAfter(units, options.after);
  while (i < units.length) {
    const batch = units.slice(i, i + options.batch);
    const returns = await load(batch);
    for (const unit of batch) {
      i++;
      const own = returns.get(unit.code) ?? [];
      const kind = classifyUnit(months, own);
      if (kind === "on_time") continue;
      out.push({ unit, kind, returns: own });
      if (out.length >= options.limit) {
        return { units: out, next: i < units.length ? { unit: unit.code } : null };
      }
    }
  }
  return { units: out, next: null };
}

export interface ReturnsPage {
  readonly returns: readonly StoredReturn[];
  readonly next: Cursor | null;
}

function byUnitThenPeriod(a: StoredReturn, b: StoredReturn): number {
  if (a.unit !== b.unit) return a.unit < b.unit ? -1 : 1;
  return monthIndex(a.period) - monthIndex(b.period);
}

/**
 * The next `limit` returns of a scope's units over the span, ordered by unit code and month,
 * after the cursor. Reads about `limit` returns (a batch of units sized to the page) per page.
 */
export async function returnsPage(
  deps: Pick<ReadDeps, "returns">,
  units: readonly Unit[],
  span: MonthSpan,
  options: { readonly after?: Cursor | undefined; readonly limit: number },
): Promise<ReturnsPage> {
  const months = monthsBetween(span.from, span.to).length;
  const after = options.after;
  // The cursor's own unit may have months left: start with it.
  let i = after ? positionAfter(units, after.unit) : 0;
  if (after && i > 0 && (units[i - 1] as Unit).code === after.unit) i--;
  const batchSize = Math.max(1, Math.ceil(options.limit / months) + 1);
  const out: StoredReturn[] = [];
  while (i < units.length) {
    const batch = units.slice(i, i + batchSize);
    i += batch.length;
    const found = [...(await returnsOfUnits(deps, batch, span)).values()].flat().sort(byUnitThenPeriod);
    for (const r of found) {
      if (
        after &&
        (r.unit < after.unit ||
          (r.unit === after.unit && monthIndex(r.period) <= monthIndex(after.period ?? "0000-00")))
      ) {
        continue;
      }
      out.push(r);
      if (out.length === options.limit) {
        const more = i < units.length || r !== found[found.length - 1];
        return { returns: out, next: more ? { unit: r.unit, period: r.period } : null };
      }
    }
  }
  return { returns: out, next: null };
}

/** Beijing calendar day number of an instant (days since 1970-01-01, Beijing time). */
function beijingDay(instant: Date): number {
  return Math.floor((instant.getTime() + 8 * 3600 * 1000) / 86_400_000);
}

/**
 * Whole Beijing days a unit is behind over the months of a period, judged against `now`: for a
 * month reported late, from its deadline to the first submission; for a month not reported whose
 * deadline has passed, from the deadline to today. The largest of these; undefined when no month
 * of the period is overdue.
 */
export function daysLate(
  months: readonly Month[],
  own: readonly StoredReturn[],
  deadlineDay: number,
  now: Date,
): number | undefined {
  let worst: number | undefined;
  const byMonth = new Map(own.map((r) => [r.period, r]));
  for (const m of months) {
    const deadline = deadlineOf(m, deadlineDay);
    const r = byMonth.get(m);
    let days: number | undefined;
    if (r && !r.onTime) days = beijingDay(new Date(r.firstSubmittedAt)) - beijingDay(deadline);
    else if (!r && now.getTime() > deadline.getTime()) days = beijingDay(now) - beijingDay(deadline);
    if (days !== undefined && days > 0 && (worst === undefined || days > worst)) worst = days;
  }
  return worst;
}
