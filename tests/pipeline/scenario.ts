/**
 * A month-by-month reporting scenario for 2 片区 × 4 units, with corrections, a late backfill,
 * a 片区 batch file, a rejected file and a row outside the uploader's subtree. Expected figures
 * are computed here from the rows themselves, independently of the pipeline.
 */
import { INDICATOR_KEYS, STOCK_KEYS, type Values, zeroValues } from "../../lib/domain/catalogue.ts";
import type { Month } from "../../lib/domain/periods.ts";
import { figures, returnCsv, type TestRow } from "../support/returns.ts";
import { registryCsv, unitCodes } from "../support/stack.ts";

export const REGISTRY = registryCsv(2, 4);
export const UNITS = unitCodes(2, 4);
export const MONTHS: Month[] = ["2026-07", "2026-08", "2026-09", "2026-10"];

export interface ScenarioUpload {
  readonly key: string;
  readonly body: string;
  readonly submittedAt: string;
  /** Rows that must be accepted (what the expected figures are built from). */
  readonly accepted: readonly TestRow[];
}

function at(month: Month, day: number, hour: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, day, hour - 8, 7, 0)).toISOString();
}

export function scenario(): ScenarioUpload[] {
  const uploads: ScenarioUpload[] = [];
  let n = 0;
  const add = (
    scope: string,
    month: Month,
    rows: TestRow[],
    submittedAt: string,
    accepted = rows,
    body?: string,
  ): void => {
    const id = `scn${String(n++).padStart(4, "0")}`;
    uploads.push({
      key: `incoming/${scope}/${month}/${id}.csv`,
      body: body ?? returnCsv(rows),
      submittedAt,
      accepted,
    });
  };
  MONTHS.forEach((month, mi) => {
    UNITS.forEach((unit, ui) => {
      // Unit 3 skips October; unit 4 backfills July only after August.
      if (ui === 2 && month === "2026-10") return;
      if (ui === 3 && month === "2026-07") return;
      const day = ui === 5 ? 9 : 1 + (ui % 4);
      add(unit, month, [{ unit, period: month, values: figures(mi * 10 + ui, ui) }], at(month, day, 9 + ui));
    });
  });
  add(
    "001001004",
    "2026-07",
    [{ unit: "001001004", period: "2026-07", values: figures(99, 3) }],
    at("2026-08", 20, 10),
  );
  // Corrections replace earlier returns.
  add(
    "001001001",
    "2026-09",
    [{ unit: "001001001", period: "2026-09", values: figures(55, 0) }],
    at("2026-09", 4, 16),
  );
  add(
    "001002002",
    "2026-10",
    [{ unit: "001002002", period: "2026-10", values: figures(56, 5) }],
    at("2026-10", 12, 8),
  );
  // The 片区 001002 sends one batch file for all its units in October, after their own uploads.
  const batch = UNITS.slice(4).map((unit, i) => ({
    unit,
    period: "2026-10",
    values: figures(70 + i, 4 + i),
  }));
  add("001002", "2026-10", batch, at("2026-10", 5, 20));
  // A file without the required header is rejected whole and changes nothing.
  add("001001002", "2026-10", [], at("2026-10", 6, 9), [], "单位代码,党员总数\n001001002,12\n");
  // A unit may not report for another 片区's unit: that row is refused, its own row accepted.
  const own = { unit: "001001001", period: "2026-10", values: figures(77, 0) };
  const foreign = { unit: "001002001", period: "2026-10", values: figures(78, 4) };
  add("001001001", "2026-10", [own, foreign], at("2026-10", 6, 10), [own]);
  return uploads;
}

/** The final return of each unit-month: the accepted row of the latest upload. */
export function finalReturns(
  uploads: readonly ScenarioUpload[],
): Map<string, { period: Month; values: Values }> {
  const latest = new Map<string, { at: string; period: Month; values: Values }>();
  for (const u of uploads) {
    for (const row of u.accepted) {
      const id = `${row.unit}|${row.period}`;
      const seen = latest.get(id);
      if (!seen || seen.at < u.submittedAt)
        latest.set(id, { at: u.submittedAt, period: row.period, values: row.values });
    }
  }
  return latest;
}

/** Root figures for one month computed straight from the final returns. */
export function expectedMonth(
  uploads: readonly ScenarioUpload[],
  month: Month,
): { values: Values; reported: number } {
  const values = zeroValues();
  let reported = 0;
  for (const r of finalReturns(uploads).values()) {
    if (r.period !== month) continue;
    reported++;
    for (const k of INDICATOR_KEYS) values[k] = Math.round((values[k] + r.values[k]) * 100) / 100;
  }
  return { values, reported };
}

/** Stocks over July–October: each unit's latest value, summed. */
export function expectedStocks(uploads: readonly ScenarioUpload[]): Partial<Values> {
  const latestByUnit = new Map<string, { period: Month; values: Values }>();
  for (const [id, r] of finalReturns(uploads)) {
    const unit = id.split("|")[0] as string;
    const seen = latestByUnit.get(unit);
    if (!seen || seen.period < r.period) latestByUnit.set(unit, r);
  }
  const out: Partial<Values> = {};
  for (const k of STOCK_KEYS) out[k] = [...latestByUnit.values()].reduce((s, r) => s + r.values[k], 0);
  return out;
}

/** A deterministic shuffle (a small LCG), so a failing delivery order can be replayed. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  let s = seed;
  const rand = (): number => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  return items
    .map((item) => ({ item, k: rand() }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.item);
}
