/**
 * Every number the row rules judge by, named and in one place (the README's rules table lists
 * them). Changing one is a change here and in its boundary test (tests/ingest/rules.test.ts).
 */
export const THRESHOLDS = {
  /** W_OUTLIER: modified z-score above this (Iglewicz & Hoaglin recommend 3.5). */
  OUTLIER_Z: 3.5,
  /** W_OUTLIER compares with at most this many of the unit's earlier months … */
  HISTORY_WINDOW: 12,
  /** … and only once there are at least this many. */
  OUTLIER_MIN_HISTORY: 6,
  /**
   * W_OUTLIER needs a material change too: |value − median| ≥ max(MATERIAL_ABSOLUTE,
   * MATERIAL_SHARE × median), so a flat history never turns 4 → 5 into an outlier.
   */
  MATERIAL_ABSOLUTE: 10,
  MATERIAL_SHARE: 0.5,
  /** W_STOCK_DROP: a stock (党员总数, 党支部总数) falls by more than this share of the last return. */
  STOCK_DROP_SHARE: 0.2,
  /** W_HOURS_PER_PERSON: more volunteer hours per person-time than this. */
  MAX_HOURS_PER_PERSON: 12,
} as const;
