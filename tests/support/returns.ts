/** Building return files for tests from figures (the real template header, real CSV and workbook writers). */
import { INDICATORS, type Values, zeroValues } from "../../lib/domain/catalogue.ts";
import type { Month } from "../../lib/domain/periods.ts";
import { formatCsv } from "../../lib/ingest/csv.ts";
import { templateHeader } from "../../lib/ingest/header.ts";
import { type OutCell, writeWorkbook } from "../../lib/ingest/workbook.ts";

export interface TestRow {
  readonly unit: string;
  readonly period: Month;
  readonly values: Values;
  readonly explanation?: string;
  readonly highlight?: string;
}

/**
 * Plausible figures that pass every check (no warnings): flows vary with `seed`, stocks depend
 * only on `unitSeed` so no history rule (stock drop, outlier) fires whatever the arrival order.
 */
export function figures(seed: number, unitSeed = 0): Values {
  const v = zeroValues();
  for (const ind of INDICATORS) v[ind.key] = 1 + ((seed * 7 + ind.key.length * 3) % 9);
  v.branches_total = 2 + (unitSeed % 3);
  v.members_total = 40 + (unitSeed % 17);
  v.members_reported = 30 + (unitSeed % 9);
  v.problems_collected = 8 + (seed % 5);
  v.problems_solved = 6 + (seed % 3);
  v.volunteer_person_times = 20 + (seed % 11);
  v.volunteer_hours = 50.5 + (seed % 7);
  v.donations_yuan = 100.25 + seed;
  return v;
}

/** Figures whose row waits for a 说明: more problems solved than collected (W_SOLVED_GT_COLLECTED), nothing else. */
export function waitingFigures(collected = 1, solved = collected + 3): Values {
  const v = figures(2, 0);
  v.problems_collected = collected;
  v.problems_solved = solved;
  return v;
}

export function returnCsv(rows: readonly TestRow[]): string {
  const header = templateHeader();
  const lines: (string | number)[][] = [header];
  for (const r of rows) {
    lines.push([
      r.unit,
      r.period,
      ...INDICATORS.map((i) => r.values[i.key]),
      r.explanation ?? "",
      r.highlight ?? "",
      "张三",
      "0123-4567890",
    ]);
  }
  return formatCsv(lines);
}

/** The same rows as returnCsv, as an .xlsx the way a unit fills one: codes as text, figures as numbers. */
export function returnWorkbook(rows: readonly TestRow[]): Uint8Array<ArrayBuffer> {
  const lines: (OutCell | string | number)[][] = [templateHeader()];
  for (const r of rows) {
    lines.push([
      { value: r.unit, asText: true },
      r.period,
      ...INDICATORS.map((i) => r.values[i.key]),
      r.explanation ?? "",
      r.highlight ?? "",
      "张三",
      "0123-4567890",
    ]);
  }
  return writeWorkbook([{ name: "月报表", rows: lines }]);
}
