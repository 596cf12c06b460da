/**
 * When and how the returns arrive: one file per unit and month, most between the 1st and the 5th of
 * the following month (Beijing time), a few habitual late units, two 片区 that send one batch file
 * for all their units, a warning explained the next day and a typo rejected then corrected.
 */
import { addMonths, type Month, monthNumber, yearOf } from "../domain/periods.ts";
import type { SampleReturn } from "./ledger.ts";
import { type Rng, rngFor } from "./random.ts";
import type { Roles } from "./roles.ts";
import { AREAS, BATCH_AREAS } from "./units.ts";

export interface FileStyle {
  readonly encoding: "utf-8-bom" | "utf-8" | "gb18030";
  readonly eol: "\r\n" | "\n";
  /** Figures typed with a Chinese input method in 全角 mode: "１２". */
  readonly fullWidth: boolean;
  /** Excel's 千位分隔符 number format kept on save: "1,106". */
  readonly thousands: boolean;
  /** "2026年10月" instead of "2026-10". */
  readonly chinesePeriod: boolean;
  /** Zero flows left blank. */
  readonly blankZeros: boolean;
  /** A 单位名称 column after 单位代码, which 片区 liaisons add for their own reading. */
  readonly unitNames: boolean;
}

export interface UploadRow {
  readonly ret: SampleReturn;
  /** The 说明 in this upload (empty in the first upload of explained_next_day). */
  readonly explanation: string;
  /** Cells typed differently from the figures (the rejected first upload of negative_typo). */
  readonly typo: Partial<Record<string, string>> | undefined;
}

export interface Upload {
  /** Who uploads: the unit, or the 片区 for a batch file. */
  readonly scope: string;
  readonly period: Month;
  readonly submittedAt: Date;
  readonly rows: readonly UploadRow[];
  readonly style: FileStyle;
}

export interface UploadPlan {
  readonly uploads: Upload[];
  /** When each return's accepted version arrived (for 迟报). */
  readonly arrived: Map<SampleReturn, Date>;
}

const HOUR = 3600 * 1000;
const BEIJING_OFFSET = 8 * HOUR;

function beijing(month: Month, day: number, hour: number, minute: number, second: number): Date {
  return new Date(
    Date.UTC(yearOf(month), monthNumber(month) - 1, day, hour, minute, second) - BEIJING_OFFSET,
  );
}

/** An office-hours moment on `day` of the month after `period`; evenings on the deadline day. */
function moment(rng: Rng, period: Month, day: number): Date {
  const evening = day === 5 && rng.chance(0.25);
  const hour = evening
    ? rng.int(18, 22)
    : rng.weighted([
        [8, 1],
        [9, 3],
        [10, 3],
        [11, 2],
        [14, 2],
        [15, 3],
        [16, 3],
        [17, 1],
      ]);
  return beijing(
    addMonths(period, 1),
    day,
    hour,
    hour === 8 ? rng.int(30, 59) : rng.int(0, 59),
    rng.int(0, 59),
  );
}

const ON_TIME_DAYS: readonly (readonly [number, number])[] = [
  [1, 1],
  [2, 2],
  [3, 2.5],
  [4, 2.5],
  [5, 2],
];

function unitDay(rng: Rng, habituallyLate: boolean): number {
  if (habituallyLate && rng.chance(0.75)) return rng.int(6, 12);
  if (rng.chance(0.015)) return rng.int(6, 8);
  return rng.weighted(ON_TIME_DAYS);
}

const BATCH_STYLE: FileStyle = {
  encoding: "utf-8-bom",
  eol: "\r\n",
  fullWidth: false,
  thousands: false,
  chinesePeriod: false,
  blankZeros: false,
  unitNames: true,
};

export function planUploads(
  ledger: readonly SampleReturn[],
  roles: Roles,
  seed: number,
  now: Date,
): UploadPlan {
  // Nothing may arrive in the future: the sample is loaded "now".
  const limit = now.getTime() - 60_000;
  const clamp = (t: number): Date => new Date(Math.min(t, limit));
  /** A pair of uploads `gap` apart, both in the past and in order. */
  const pair = (first: Date, gap: number): [Date, Date] => {
    const second = clamp(first.getTime() + gap);
    return [new Date(Math.min(first.getTime(), second.getTime() - gap)), second];
  };
  const uploads: Upload[] = [];
  const arrived = new Map<SampleReturn, Date>();
  const batches = new Map<string, SampleReturn[]>();
  for (const ret of ledger) {
    const { unit, period } = ret;
    if (BATCH_AREAS.includes(unit.area)) {
      const k = `${unit.area}|${period}`;
      const batch = batches.get(k);
      if (batch) batch.push(ret);
      else batches.set(k, [ret]);
      continue;
    }
    const code = unit.code;
    const style: FileStyle = {
      encoding: roles.gb18030.has(code) ? "gb18030" : roles.plainUtf8 === code ? "utf-8" : "utf-8-bom",
      eol: roles.plainUtf8 === code ? "\n" : "\r\n",
      fullWidth: roles.fullWidth === code,
      thousands: roles.thousands === code,
      chinesePeriod: roles.chinesePeriod === code,
      blankZeros: unit.blankZeros,
      unitNames: false,
    };
    const rng = rngFor(seed, "submit", code, period);
    const row: UploadRow = { ret, explanation: ret.explanation, typo: undefined };
    const send = (at: Date, r: UploadRow): void => {
      uploads.push({ scope: code, period, submittedAt: at, rows: [r], style });
    };
    if (ret.scenario === "explained_next_day" || ret.scenario === "negative_typo") {
      const explained = ret.scenario === "explained_next_day";
      const gap = explained
        ? 24 * HOUR + rng.int(-90, 90) * 60_000
        : rng.int(2, 5) * HOUR + rng.int(0, 59) * 60_000;
      const [first, second] = pair(moment(rng, period, rng.int(1, 3)), gap);
      send(first, explained ? { ...row, explanation: "" } : { ...row, typo: ret.typo });
      send(second, row);
      arrived.set(ret, second);
      continue;
    }
    const at = clamp(moment(rng, period, unitDay(rng, roles.habituallyLate.has(code))).getTime());
    send(at, row);
    arrived.set(ret, at);
  }
  for (const rets of batches.values()) {
    const first = rets[0] as SampleReturn;
    const area = AREAS[first.unit.area] as (typeof AREAS)[number];
    const rng = rngFor(seed, "batch", area.code, first.period);
    const day = rng.chance(0.04) ? rng.int(6, 8) : rng.int(2, 5);
    const at = clamp(moment(rng, first.period, day).getTime());
    const rows = [...rets]
      .sort((a, b) => (a.unit.code < b.unit.code ? -1 : 1))
      .map((ret) => ({ ret, explanation: ret.explanation, typo: undefined }));
    uploads.push({ scope: area.code, period: first.period, submittedAt: at, rows, style: BATCH_STYLE });
    for (const ret of rets) arrived.set(ret, at);
  }
  return { uploads, arrived };
}
