/**
 * Who does what in the sample: the units that save GB18030, the habitual late ones, the ones
 * missing a month, the ones with a quirk, and the units that carry the designed warnings and
 * corrections. Each role goes to a different unit so the outcomes stay easy to check.
 */
import type { Month } from "../domain/periods.ts";
import { rngFor } from "./random.ts";
import { BATCH_AREAS, type SampleUnit } from "./units.ts";

export type ScenarioKind =
  /** W_OUTLIER on 集中学习研讨, explained: 七一前后集中开展专题研讨. */
  | "study_spike"
  /** W_OUTLIER on 捐款金额, explained: 99公益日. */
  | "charity_drive"
  /** W_SOLVED_GT_COLLECTED, explained: 含上月结转问题 (the month before leaves problems open). */
  | "carried_over"
  /** W_HOURS_PER_PERSON, explained: 防汛 or 森林防灭火 duty in long shifts. */
  | "long_shifts"
  /** W_STOCK_DROP, explained: 机构改革 moved members and branches elsewhere. */
  | "reorganised"
  /** A warning without 说明 first; the next day the same figures again, with 说明. */
  | "explained_next_day"
  /** A file rejected for a negative figure (撤销 typed as −1), re-uploaded corrected hours later. */
  | "negative_typo";

export interface Scenario {
  readonly kind: ScenarioKind;
  readonly unit: string;
  readonly period: Month;
}

export interface Roles {
  readonly gb18030: ReadonlySet<string>;
  readonly habituallyLate: ReadonlySet<string>;
  /** Unit → months it sends nothing. */
  readonly missing: ReadonlyMap<string, ReadonlySet<Month>>;
  /** Types figures with 全角 digits. */
  readonly fullWidth: string | undefined;
  /** Keeps Excel's 千位分隔符 format: "1,106". */
  readonly thousands: string | undefined;
  /** Writes the period as "2026年10月". */
  readonly chinesePeriod: string | undefined;
  /** Saves UTF-8 without a BOM and with LF line ends (WPS on a Mac). */
  readonly plainUtf8: string | undefined;
  /** Writes the one story with ASCII quotes and a line break in the latest month. */
  readonly storyteller: string | undefined;
  readonly scenarios: readonly Scenario[];
}

type Predicate = (u: SampleUnit) => boolean;

/**
 * Hands out roles from a seeded shuffle. Designed scenarios need history (W_OUTLIER compares with at
 * least six stored months), so they are only planned when the range is long enough.
 */
export function assignRoles(units: readonly SampleUnit[], months: readonly Month[], seed: number): Roles {
  const rng = rngFor(seed, "roles");
  const order = rng.shuffle(units);
  const taken = new Set<string>();
  const ownFile: Predicate = (u) => !BATCH_AREAS.includes(u.area);
  const any: Predicate = () => true;
  /** The first free unit passing the first test that any unit passes; undefined when none does. */
  const take = (...tests: Predicate[]): SampleUnit | undefined => {
    for (const test of tests) {
      const found = order.find((u) => !taken.has(u.code) && test(u));
      if (found) {
        taken.add(found.code);
        return found;
      }
    }
    return undefined;
  };
  /** Units that upload their own files (not through a 片区 batch file). */
  const takeOwn = (...tests: Predicate[]): SampleUnit | undefined =>
    take(...[...tests, any].map((t) => (u: SampleUnit) => ownFile(u) && t(u)));

  const n = months.length;
  const latest = months[n - 1] as Month;
  const at = (i: number): Month => months[Math.min(n - 1, Math.max(0, i))] as Month;
  /** The latest month with the given calendar month and enough stored history before it. */
  const calendar = (m: number, minIndex: number): Month | undefined =>
    [...months].reverse().find((p, i) => Number(p.slice(5)) === m && n - 1 - i >= minIndex);

  const scenarios: Scenario[] = [];
  const plan = (kind: ScenarioKind, unit: SampleUnit | undefined, period: Month | undefined): void => {
    if (unit && period) scenarios.push({ kind, unit: unit.code, period });
  };
  const withHistory = n >= 7;
  if (withHistory) {
    const july = calendar(7, 6) ?? calendar(6, 6) ?? at(Math.max(6, n - 2));
    plan(
      "study_spike",
      take((u) => u.branches >= 5),
      july,
    );
    plan(
      "charity_drive",
      take((u) => u.members >= 40, any),
      calendar(9, 6),
    );
  }
  if (n >= 2)
    plan(
      "carried_over",
      take(
        (u) => u.members >= 80,
        (u) => u.members >= 40,
        any,
      ),
      at(Math.round(n * 0.6)),
    );
  plan(
    "long_shifts",
    take((u) => /水务|应急/.test(u.name), any),
    calendar(7, 0) ?? calendar(8, 0) ?? at(Math.floor(n / 2)),
  );
  if (n >= 3)
    plan(
      "reorganised",
      take(
        (u) => u.branches >= 3 && u.members >= 40,
        (u) => u.branches >= 2,
      ),
      at(Math.round(n * 0.45)),
    );
  plan("explained_next_day", takeOwn(), latest);
  if (n >= 2)
    plan(
      "negative_typo",
      takeOwn((u) => u.branches >= 6),
      at(Math.floor(n / 2) - 1 || 1),
    );

  const gb18030 = new Set(
    [takeOwn((u) => u.tier === "xs"), takeOwn((u) => u.tier === "xs"), takeOwn()].flatMap((u) =>
      u ? [u.code] : [],
    ),
  );
  const habituallyLate = new Set([takeOwn(), takeOwn(), takeOwn()].flatMap((u) => (u ? [u.code] : [])));
  const missing = new Map<string, Set<Month>>();
  const absentLatest = 2 + (rng.chance(0.5) ? 1 : 0);
  for (let i = 0; i < absentLatest; i++) {
    const u = take(any);
    if (u) missing.set(u.code, new Set([latest]));
  }
  if (n >= 5) {
    const u = take(any);
    const first = rng.int(1, n - 4);
    if (u) missing.set(u.code, new Set([at(first), at(first + rng.int(1, 2))]));
  }
  return {
    gb18030,
    habituallyLate,
    missing,
    fullWidth: takeOwn()?.code,
    thousands: takeOwn((u) => u.members >= 150)?.code,
    chinesePeriod: takeOwn()?.code,
    plainUtf8: takeOwn()?.code,
    storyteller: take(any)?.code,
    scenarios,
  };
}
