/**
 * The indicator catalogue: the single source of truth for the CSV template, the validator,
 * aggregation, the API and the bulletin. Adding an indicator is adding one entry to INDICATORS.
 */

/** How an indicator aggregates over time. Over units it is always SUM. */
export type TimeAggregation = "SUM" | "LAST";

export const SECTIONS = [
  { key: "organisation", name: "组织建设" },
  { key: "study", name: "学习教育" },
  { key: "service", name: "服务群众" },
  { key: "conduct", name: "作风建设" },
] as const;

export type SectionKey = (typeof SECTIONS)[number]["key"];

export interface IndicatorDef {
  /** Stable machine key, also accepted as a CSV header. */
  readonly key: string;
  /** 中文名: the CSV header in the template and the label everywhere users read. */
  readonly name: string;
  /** Measure word written after a figure (个, 名, 次, 人次, 小时, 元 …). */
  readonly unit: string;
  /** 0 for counts; 1 for hours; 2 for money (元, to the fen). */
  readonly decimals: 0 | 1 | 2;
  /** Required stocks must be filled in every return; blank flows count as 0. */
  readonly required: boolean;
  /** SUM for flows; LAST for stocks (each unit's latest value in the period, then summed). */
  readonly time: TimeAggregation;
  readonly section: SectionKey;
  /** Largest plausible value for one unit in one month (E_OUT_OF_RANGE above it). */
  readonly max: number;
  /**
   * Default bulletin phrase; `{v}` is replaced by the formatted figure with its measure word.
   * templates/bulletin.json may override it per key.
   */
  readonly phrase: string;
}

export const INDICATORS = [
  {
    key: "branches_total",
    name: "党支部总数",
    unit: "个",
    decimals: 0,
    required: true,
    time: "LAST",
    section: "organisation",
    max: 10_000,
    phrase: "党支部{v}",
  },
  {
    key: "members_total",
    name: "党员总数",
    unit: "名",
    decimals: 0,
    required: true,
    time: "LAST",
    section: "organisation",
    max: 1_000_000,
    phrase: "党员{v}",
  },
  {
    key: "branches_new",
    name: "新成立党支部",
    unit: "个",
    decimals: 0,
    required: false,
    time: "SUM",
    section: "organisation",
    max: 1_000,
    phrase: "新成立党支部{v}",
  },
  {
    key: "branch_elections",
    name: "完成换届选举",
    unit: "个",
    decimals: 0,
    required: false,
    time: "SUM",
    section: "organisation",
    max: 1_000,
    phrase: "完成换届选举{v}",
  },
  {
    key: "temp_branches",
    name: "成立临时党支部",
    unit: "个",
    decimals: 0,
    required: false,
    time: "SUM",
    section: "organisation",
    max: 1_000,
    phrase: "成立临时党支部{v}",
  },
  {
    key: "pioneer_teams",
    name: "组建党员先锋队",
    unit: "支",
    decimals: 0,
    required: false,
    time: "SUM",
    section: "organisation",
    max: 1_000,
    phrase: "组建党员先锋队{v}",
  },
  {
    key: "study_sessions",
    name: "集中学习研讨",
    unit: "次",
    decimals: 0,
    required: false,
    time: "SUM",
    section: "study",
    max: 10_000,
    phrase: "开展集中学习研讨{v}",
  },
  {
    key: "sanhui_yike",
    name: "三会一课",
    unit: "次",
    decimals: 0,
    required: false,
    time: "SUM",
    section: "study",
    max: 10_000,
    phrase: "落实“三会一课”{v}",
  },
  {
    key: "tradition_edu",
    name: "革命传统教育",
    unit: "次",
    decimals: 0,
    required: false,
    time: "SUM",
    section: "study",
    max: 10_000,
    phrase: "革命传统教育{v}",
  },
  {
    key: "policy_edu",
    name: "形势政策教育",
    unit: "次",
    decimals: 0,
    required: false,
    time: "SUM",
    section: "study",
    max: 10_000,
    phrase: "形势政策教育{v}",
  },
  {
    key: "model_edu",
    name: "先进典型教育",
    unit: "次",
    decimals: 0,
    required: false,
    time: "SUM",
    section: "study",
    max: 10_000,
    phrase: "先进典型教育{v}",
  },
  {
    key: "warning_edu",
    name: "警示教育",
    unit: "次",
    decimals: 0,
    required: false,
    time: "SUM",
    section: "study",
    max: 10_000,
    phrase: "警示教育{v}",
  },
  {
    key: "lectures",
    name: "专题宣讲",
    unit: "场",
    decimals: 0,
    required: false,
    time: "SUM",
    section: "study",
    max: 10_000,
    phrase: "开展专题宣讲{v}",
  },
  {
    key: "lecture_attendance",
    name: "宣讲覆盖人次",
    unit: "人次",
    decimals: 0,
    required: false,
    time: "SUM",
    section: "study",
    max: 10_000_000,
    phrase: "覆盖{v}",
  },
  {
    key: "members_reported",
    name: "在职党员到社区报到",
    unit: "名",
    decimals: 0,
    required: false,
    time: "LAST",
    section: "service",
    max: 1_000_000,
    phrase: "在职党员到社区报到{v}",
  },
  {
    key: "volunteer_person_times",
    name: "志愿服务人次",
    unit: "人次",
    decimals: 0,
    required: false,
    time: "SUM",
    section: "service",
    max: 10_000_000,
    phrase: "开展志愿服务{v}",
  },
  {
    key: "volunteer_hours",
    name: "志愿服务时长",
    unit: "小时",
    decimals: 1,
    required: false,
    time: "SUM",
    section: "service",
    max: 100_000_000,
    phrase: "服务时长{v}",
  },
  {
    key: "practical_matters",
    name: "为群众办实事",
    unit: "件",
    decimals: 0,
    required: false,
    time: "SUM",
    section: "service",
    max: 1_000_000,
    phrase: "为群众办实事{v}",
  },
  {
    key: "households_visited",
    name: "走访群众",
    unit: "户",
    decimals: 0,
    required: false,
    time: "SUM",
    section: "service",
    max: 1_000_000,
    phrase: "走访群众{v}",
  },
  {
    key: "problems_collected",
    name: "收集问题",
    unit: "个",
    decimals: 0,
    required: false,
    time: "SUM",
    section: "service",
    max: 1_000_000,
    phrase: "收集群众反映问题{v}",
  },
  {
    key: "problems_solved",
    name: "解决问题",
    unit: "个",
    decimals: 0,
    required: false,
    time: "SUM",
    section: "service",
    max: 1_000_000,
    phrase: "解决问题{v}",
  },
  {
    key: "pairing_activities",
    name: "结对共建活动",
    unit: "次",
    decimals: 0,
    required: false,
    time: "SUM",
    section: "service",
    max: 100_000,
    phrase: "开展结对共建活动{v}",
  },
  {
    key: "donations_yuan",
    name: "捐款金额",
    unit: "元",
    decimals: 2,
    required: false,
    time: "SUM",
    section: "service",
    max: 1_000_000_000,
    phrase: "捐款{v}",
  },
  {
    key: "rectification_measures",
    name: "制定整改措施",
    unit: "条",
    decimals: 0,
    required: false,
    time: "SUM",
    section: "conduct",
    max: 100_000,
    phrase: "制定整改措施{v}",
  },
  {
    key: "supervision_visits",
    name: "督导检查",
    unit: "次",
    decimals: 0,
    required: false,
    time: "SUM",
    section: "conduct",
    max: 100_000,
    phrase: "开展督导检查{v}",
  },
] as const satisfies readonly IndicatorDef[];

export type IndicatorKey = (typeof INDICATORS)[number]["key"];
export type Indicator = IndicatorDef & { readonly key: IndicatorKey };

/** One figure per indicator: a unit's return, a rollup, a delta. */
export type Values = Record<IndicatorKey, number>;

/** Derived rates: always computed from summed parts, never averaged. */
export const DERIVED = [
  {
    key: "solve_rate",
    name: "问题解决率",
    numerator: "problems_solved",
    denominator: "problems_collected",
    kind: "percent",
    unit: "%",
  },
  {
    key: "report_rate",
    name: "在职党员报到率",
    numerator: "members_reported",
    denominator: "members_total",
    kind: "percent",
    unit: "%",
  },
  {
    key: "hours_per_member",
    name: "人均志愿服务时长",
    numerator: "volunteer_hours",
    denominator: "members_total",
    kind: "ratio",
    unit: "小时",
  },
] as const satisfies readonly {
  key: string;
  name: string;
  numerator: IndicatorKey;
  denominator: IndicatorKey;
  kind: "percent" | "ratio";
  unit: string;
}[];

export type DerivedKey = (typeof DERIVED)[number]["key"];
/** A derived rate is null when its denominator is 0 (nothing to divide by). */
export type DerivedValues = Record<DerivedKey, number | null>;

export const CATALOGUE: readonly Indicator[] = INDICATORS;
export const INDICATOR_KEYS: readonly IndicatorKey[] = INDICATORS.map((i) => i.key);
export const STOCK_KEYS: readonly IndicatorKey[] = INDICATORS.filter((i) => i.time === "LAST").map(
  (i) => i.key,
);
export const FLOW_KEYS: readonly IndicatorKey[] = INDICATORS.filter((i) => i.time === "SUM").map(
  (i) => i.key,
);

const byKey = new Map<string, Indicator>(INDICATORS.map((i) => [i.key, i]));

export function isIndicatorKey(key: string): key is IndicatorKey {
  return byKey.has(key);
}

export function indicator(key: IndicatorKey): Indicator {
  const found = byKey.get(key);
  if (!found) throw new Error(`unknown indicator ${key}`);
  return found;
}

export function sectionName(key: SectionKey): string {
  return SECTIONS.find((s) => s.key === key)?.name ?? key;
}

export function indicatorsOf(section: SectionKey): readonly Indicator[] {
  return INDICATORS.filter((i) => i.section === section);
}

const ZERO: Values = Object.fromEntries(INDICATOR_KEYS.map((k) => [k, 0])) as Values;

/*
 * Figures ⇄ arrays in catalogue order, for the per-row hot paths (a million-row file). Generated
 * from the catalogue so every access is a plain property access: a loop of `values[key]` over 25
 * different keys makes V8 do a megamorphic lookup per access (~30 ns each).
 */
const keyLiterals = INDICATOR_KEYS.map((key) => JSON.stringify(key));

/** out[i] = sign × values[INDICATOR_KEYS[i]] */
export const figuresToArray = new Function(
  "v",
  "out",
  "sign",
  keyLiterals.map((key, i) => `out[${i}] = sign * v[${key}];`).join("\n"),
) as (values: Values, out: Float64Array, sign: number) => void;

/** A new Values object from an array in catalogue order (one object literal of a fixed shape). */
export const figuresFromArray = new Function(
  "a",
  `return {${keyLiterals.map((key, i) => `${key}: a[${i}]`).join(", ")}};`,
) as (array: Float64Array) => Values;

/** A fresh all-zero set of figures (a spread of one template: this runs once per row). */
export function zeroValues(): Values {
  return { ...ZERO };
}

/** Round to an indicator's decimals so sums of decimals stay exact (0.1 + 0.2 = 0.3). */
export function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

/** Computes derived rates from (already summed) values. Percentages are 0–100. */
export function derive(values: Values): DerivedValues {
  const out = {} as DerivedValues;
  for (const d of DERIVED) {
    const den = values[d.denominator];
    out[d.key] = den > 0 ? (values[d.numerator] / den) * (d.kind === "percent" ? 100 : 1) : null;
  }
  return out;
}
