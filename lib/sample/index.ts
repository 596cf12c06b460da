/**
 * The built-in sample data set: a fictional 市 (清源市) with six 片区 and its 市直单位, a year of
 * monthly returns that behave like real ones, as the files units would upload. Pure and
 * deterministic: the same options give byte-identical output (no clock, no Math.random).
 */
import { addMonths, isOnTime, type Month, monthsBetween, parseMonth } from "../domain/periods.ts";
import { renderFiles, type SampleFile } from "./files.ts";
import { buildLedger } from "./ledger.ts";
import { assignRoles } from "./roles.ts";
import { AREAS, buildUnits, formatUnits } from "./units.ts";
import { planUploads } from "./uploads.ts";

export type { SampleFile } from "./files.ts";
export { AREAS, CITY, ROOT } from "./units.ts";

export interface SampleOptions {
  /** Reporting units (leaves), default 63; at least 6 (one per 片区). */
  readonly units?: number;
  /** Months of returns ending with `endMonth`, default 12. */
  readonly months?: number;
  readonly seed?: number;
  /** The latest month with returns. */
  readonly endMonth: Month;
  /** Upload times are kept at least a minute before this instant. */
  readonly now: Date;
}

export interface SampleSummary {
  /** Reporting units (leaves). */
  readonly units: number;
  readonly areas: number;
  readonly months: Month[];
  readonly files: number;
  /** Data rows over all files, superseded and rejected uploads included. */
  readonly rows: number;
  /** Unit-months whose accepted return arrived after the deadline (the 5th, Beijing time). */
  readonly lateReturns: number;
  /** Unit-months with no return at all. */
  readonly missingReturns: number;
  readonly gb18030Files: number;
  /** Rows the validator will flag with a warning (with or without 说明). */
  readonly warningRows: number;
  /** Accepted returns with a 亮点工作 story. */
  readonly highlights: number;
}

export interface SampleDataSet {
  /** units.csv: UTF-8 with BOM, header 单位代码,单位名称,上级单位代码. */
  readonly unitsCsv: string;
  /** In file-name order, which is arrival order. */
  readonly files: SampleFile[];
  readonly summary: SampleSummary;
}

function positiveInteger(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`${name} must be an integer ≥ ${min}, got ${value}`);
  return value;
}

export function generateSample(options: SampleOptions): SampleDataSet {
  const count = positiveInteger("units", options.units ?? 63, AREAS.length);
  const span = positiveInteger("months", options.months ?? 12, 1);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const end = parseMonth(options.endMonth);
  if (!end || end !== options.endMonth)
    throw new RangeError(`endMonth must be YYYY-MM, got ${options.endMonth}`);
  if (Number.isNaN(options.now.getTime())) throw new RangeError("now is not a valid date");

  const months = monthsBetween(addMonths(end, -(span - 1)), end);
  const units = buildUnits(count, seed);
  const roles = assignRoles(units, months, seed);
  const ledger = buildLedger(units, months, roles, seed);
  const { uploads, arrived } = planUploads(ledger, roles, seed, options.now);
  const files = renderFiles(uploads);

  let late = 0;
  for (const [ret, at] of arrived) if (!isOnTime(ret.period, at)) late++;
  const rows = uploads.flatMap((u) => u.rows);
  return {
    unitsCsv: formatUnits(units),
    files,
    summary: {
      units: units.length,
      areas: AREAS.length,
      months,
      files: files.length,
      rows: rows.length,
      lateReturns: late,
      missingReturns: units.length * months.length - ledger.length,
      gb18030Files: uploads.filter((u) => u.style.encoding === "gb18030").length,
      warningRows: rows.filter((r) => r.ret.warnings.length > 0).length,
      highlights: ledger.filter((r) => r.highlight !== "").length,
    },
  };
}
