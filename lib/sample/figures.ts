/**
 * A month's figures for one unit, indicator by indicator from the catalogue. Each key has a
 * generator that knows its rhythm (革命传统教育 around 七一 and 烈士纪念日, 捐款 in 99公益日 month,
 * 换届 in spring); a key the sample does not know yet gets a generic one from its measure word.
 */
import {
  CATALOGUE,
  type IndicatorDef,
  type IndicatorKey,
  roundTo,
  type Values,
} from "../domain/catalogue.ts";
import { type Month, monthNumber, yearOf } from "../domain/periods.ts";
import type { PriorReturn } from "../ingest/row-rules.ts";
import { type Rng, rngFor } from "./random.ts";
import { outlierWindow, steadyFlow, steadyStock } from "./steady.ts";
import type { SampleUnit } from "./units.ts";

export interface FigureContext {
  readonly unit: SampleUnit;
  readonly period: Month;
  /** 1–12. */
  readonly month: number;
  /** This figure's own random stream. */
  readonly rng: Rng;
  /** A stream that is the same in every month for this unit (schedules, habits). */
  unitRng(label: string): Rng;
  /** Another figure of the same return. */
  value(key: IndicatorKey): number;
  /** The unit's figure a month earlier (kept even for months it did not report); undefined at the start. */
  previous(key: IndicatorKey): number | undefined;
}

export type FigureGenerator = (ctx: FigureContext, def: IndicatorDef) => number;

type Season = readonly [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

/** January is quieter around 春节, February quietest; most work picks up in March. */
const GENERIC_SEASON: Season = [0.85, 0.7, 1.05, 1, 1, 1.05, 1.1, 0.95, 1.05, 1, 1.05, 1.1];

const SEASONS: Partial<Record<string, Season>> = {
  study_sessions: [0.85, 0.7, 1.05, 1, 1, 1.15, 1.3, 0.9, 1, 1.05, 1.1, 1.05],
  // 党员大会 and 党课 are quarterly: the last month of each quarter has more.
  sanhui_yike: [1, 0.85, 1.25, 1, 1, 1.25, 1, 0.95, 1.25, 1, 1, 1.25],
  // 清明 祭扫, 七一, 9月30日烈士纪念日.
  tradition_edu: [0.5, 0.4, 1, 1.8, 1, 1.6, 3, 0.8, 1.8, 1, 0.8, 1.2],
  // 全国两会 in March, 经济工作会议 in January, 全会 in autumn.
  policy_edu: [1.3, 0.6, 1.8, 1, 1, 1, 1.2, 0.8, 1, 1.1, 1.4, 1.1],
  // 学雷锋月, 七一表彰.
  model_edu: [0.8, 0.5, 2, 1, 1.2, 1.1, 1.6, 0.8, 1.3, 0.9, 0.9, 1],
  // 节前廉政提醒 before 春节 and 中秋国庆, 警示教育月 in May.
  warning_edu: [1.6, 0.6, 1, 1, 1.8, 1.2, 1, 0.8, 1.6, 0.9, 0.8, 1.1],
  lectures: [0.9, 0.5, 1.5, 1, 1, 1.2, 1.8, 0.8, 1, 1.2, 1.5, 1.1],
  // 学雷锋月, 春运 and 送温暖, 重阳.
  volunteer_person_times: [1.3, 0.6, 1.5, 1.1, 1, 1.1, 1.2, 1.1, 1, 1.2, 1, 1.1],
  // 春节走访慰问, 七一看望老党员, 中秋 and 重阳.
  households_visited: [2, 1.2, 0.9, 0.8, 0.9, 1.2, 1.4, 0.9, 1.1, 1.2, 0.9, 1.1],
  pairing_activities: [0.9, 0.6, 1.1, 1.1, 1.1, 1, 1.1, 1, 1.1, 1.1, 1, 1],
  // Chance of a donation drive: 春节送温暖, 助残日, 金秋助学, 中华慈善日/99公益日, 扶贫日.
  donations_yuan: [1.4, 0.6, 0.8, 0.8, 1.2, 1, 1, 1.3, 2, 1.4, 0.8, 1.1],
  pioneer_teams: [1, 0.8, 2, 1, 1, 1.3, 2, 1.5, 1, 1, 1, 1],
  // 组织生活会 in January–February, then the 整改清单.
  rectification_measures: [1, 1.6, 2, 1, 0.8, 0.8, 0.9, 0.8, 0.9, 0.9, 0.8, 1],
  supervision_visits: [1.3, 0.6, 1, 1, 1, 1, 1, 0.9, 1.3, 1, 1, 1.4],
  // 防汛 from June to August.
  temp_branches: [1, 1, 1, 1, 1, 2, 3, 3, 1, 1, 1, 1],
};

function season(key: string, month: number): number {
  return (SEASONS[key] ?? GENERIC_SEASON)[month - 1] as number;
}

const branches = (c: FigureContext): number => c.value("branches_total");
const members = (c: FigureContext): number => c.value("members_total");

/** An activity count: `base` per month, shaped by the season and the unit's habits. */
function activity(base: (c: FigureContext) => number): FigureGenerator {
  return (c, def) => c.rng.count(base(c) * season(def.key, c.month) * c.unit.activity);
}

/** A collection among `people`, each giving about `perHead` yuan: an amount with fen. */
function collection(rng: Rng, people: number, perHead: number): number {
  return Math.round(people * perHead * rng.range(75, 130)) / 100;
}

const GENERATORS: Readonly<Record<string, FigureGenerator>> = {
  members_total(c) {
    const before = c.previous("members_total") ?? c.unit.members;
    let delta = 0;
    // New members take the oath around 七一; transfers in and out happen all year.
    if (c.month === 7 && c.rng.chance(0.35)) delta = c.rng.int(1, 1 + Math.floor(before / 100));
    else if (c.rng.chance(0.1))
      delta = c.rng.weighted([
        [1, 4],
        [-1, 4],
        [2, 1],
        [-2, 1],
      ]);
    return Math.max(3, before + delta);
  },
  branches_total(c) {
    const before = c.previous("branches_total") ?? c.unit.branches;
    if (before >= 2 && c.rng.chance(0.015)) return c.rng.chance(0.7) ? before + 1 : before - 1;
    if (before === 1 && members(c) > 45 && c.rng.chance(0.01)) return 2;
    return before;
  },
  members_reported(c) {
    const total = members(c);
    const before = c.previous("members_reported");
    if (before === undefined) return Math.round(total * c.unit.reportRatio);
    const moved = total - (c.previous("members_total") ?? total);
    const drift = c.rng.chance(0.06) ? c.rng.pick([1, -1]) : 0;
    const next = before + Math.round(moved * c.unit.reportRatio) + drift;
    return Math.min(total, Math.max(Math.round(total * 0.8), next));
  },
  branches_new(c) {
    return Math.max(0, branches(c) - (c.previous("branches_total") ?? branches(c)));
  },
  // Each branch elects every three years, most in spring or at the year's end.
  branch_elections(c) {
    const schedule = c.unitRng("elections");
    let electing = 0;
    for (let i = 0; i < branches(c); i++) {
      const month = schedule.weighted([
        [3, 3],
        [4, 3],
        [5, 1],
        [6, 1],
        [11, 1.5],
        [12, 1.5],
        [1, 0.3],
        [7, 0.3],
        [9, 0.3],
      ]);
      const year = schedule.int(0, 2);
      if (month === c.month && yearOf(c.period) % 3 === year) electing++;
    }
    return electing;
  },
  temp_branches: (c, def) => (c.rng.chance(0.015 * season(def.key, c.month)) ? 1 : 0),
  pioneer_teams: activity((c) => 0.04 * Math.sqrt(branches(c))),
  study_sessions: activity((c) => 1 + 0.8 * branches(c)),
  // 支委会 every month, at least one meeting in every branch.
  sanhui_yike: (c, def) =>
    Math.max(1, c.rng.count((1 + 2.3 * branches(c)) * season(def.key, c.month) * c.unit.activity ** 0.3)),
  tradition_edu: activity((c) => 0.15 + 0.12 * branches(c)),
  policy_edu: activity((c) => 0.25 + 0.1 * branches(c)),
  model_edu: activity((c) => 0.15 + 0.08 * branches(c)),
  warning_edu: activity((c) => 0.2 + 0.08 * branches(c)),
  lectures: activity((c) => 0.3 + 0.1 * branches(c)),
  lecture_attendance(c) {
    let total = 0;
    const audience = Math.min(members(c), 15 + 0.5 * members(c));
    for (let i = 0; i < c.value("lectures"); i++) total += Math.round(audience * c.rng.range(0.7, 1.15));
    return total;
  },
  volunteer_person_times: activity((c) => c.value("members_reported") * 0.45),
  volunteer_hours: (c) => Math.round(c.value("volunteer_person_times") * c.rng.range(2.2, 3.8) * 2) / 2,
  practical_matters: (c) => c.rng.count(c.value("volunteer_person_times") * 0.12 + 0.3),
  households_visited: activity((c) => members(c) * 0.25),
  problems_collected: (c) => c.rng.count(c.value("households_visited") * 0.15 + 0.5),
  problems_solved: (c) => Math.round(c.value("problems_collected") * c.rng.range(0.78, 1)),
  pairing_activities: activity((c) => (0.5 + 0.06 * branches(c)) * (c.unit.area === 5 ? 1.8 : 1)),
  // The season changes how many units hold a collection, not what a head gives: a unit's collections
  // stay alike, so they do not stand out against its own months.
  donations_yuan: (c, def) =>
    c.rng.chance(Math.min(0.95, 0.5 * season(def.key, c.month)))
      ? collection(c.rng, members(c), c.unitRng("donations").range(15, 45))
      : 0,
  rectification_measures: activity((c) => 0.3 + 0.08 * branches(c)),
  supervision_visits: activity((c) => 0.4 + 0.08 * branches(c)),
};

const PEOPLE = new Set(["名", "人"]);
const ORGANISATIONS = new Set(["个", "支"]);

/** For an indicator added to the catalogue before the sample learns its rhythm. */
const genericStock: FigureGenerator = (c, def) => {
  const before = c.previous(def.key as IndicatorKey);
  if (before !== undefined) return c.rng.chance(0.05) ? Math.max(0, before + c.rng.pick([1, -1])) : before;
  const start = c.unitRng(`start:${def.key}`);
  if (PEOPLE.has(def.unit)) return Math.round(members(c) * start.range(0.05, 0.3));
  if (ORGANISATIONS.has(def.unit)) return Math.max(1, Math.round(branches(c) * start.range(0.3, 1)));
  return Math.round(members(c) * 0.1);
};

const genericFlow: FigureGenerator = (c, def) => {
  const s = season(def.key, c.month) * c.unit.activity;
  if (def.unit === "元") return c.rng.chance(Math.min(0.9, 0.3 * s)) ? collection(c.rng, members(c), 20) : 0;
  if (def.unit === "小时")
    return c.rng.count(members(c) * 0.5 * s) + (def.decimals ? c.rng.pick([0, 0.5]) : 0);
  if (def.unit === "人次") return c.rng.count(members(c) * 0.3 * s);
  return c.rng.count((0.3 + 0.1 * branches(c)) * s);
};

export function generatorFor(def: IndicatorDef): FigureGenerator {
  return GENERATORS[def.key] ?? (def.time === "LAST" ? genericStock : genericFlow);
}

export interface FigureInput {
  readonly seed: number;
  readonly unit: SampleUnit;
  readonly period: Month;
  /** The unit's figures a month earlier, reported or not; null in the first month. */
  readonly previous: Values | null;
  /** The unit's stored returns before this month, oldest first: what the validator compares with. */
  readonly history: readonly PriorReturn[];
}

const BY_KEY = new Map(CATALOGUE.map((d) => [d.key, d]));

/** One unit's figures for one month, every catalogue indicator, steadied against its history. */
export function generateFigures(input: FigureInput): Values {
  const { seed, unit, period, previous, history } = input;
  const done = new Map<IndicatorKey, number>();
  const busy = new Set<IndicatorKey>();
  // One context for the whole return (tens of thousands of returns in a benchmark-sized sample);
  // `rng` follows the figure being computed, restored after a nested value() call.
  let current: Rng | undefined;
  const ctx: FigureContext = {
    unit,
    period,
    month: monthNumber(period),
    get rng(): Rng {
      if (!current) throw new Error("rng read outside a generator");
      return current;
    },
    unitRng: (label) => rngFor(seed, label, unit.code),
    value: (key) => get(key),
    previous: (k) => previous?.[k],
  };
  function get(key: IndicatorKey): number {
    const known = done.get(key);
    if (known !== undefined) return known;
    const def = BY_KEY.get(key);
    if (!def) throw new Error(`unknown indicator ${key}`);
    if (busy.has(key)) throw new Error(`sample generators depend on each other in a cycle at ${key}`);
    busy.add(key);
    const outer = current;
    const rng = rngFor(seed, "figure", unit.code, period, key);
    current = rng;
    let value = Math.min(def.max, Math.max(0, roundTo(generatorFor(def)(ctx, def), def.decimals)));
    value =
      def.time === "LAST"
        ? steadyStock(value, key, history)
        : steadyFlow(value, outlierWindow(history, key), def.decimals, rng);
    current = outer;
    busy.delete(key);
    done.set(key, value);
    return value;
  }
  const values = {} as Values;
  for (const def of CATALOGUE) values[def.key] = get(def.key);
  return values;
}
