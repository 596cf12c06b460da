/**
 * One CSV record → a normalised unit return (figures parsed, period canonical, text fields kept
 * verbatim) plus the problems found in its cells.
 */
import { figuresFromArray, INDICATOR_KEYS, type IndicatorKey, type Values } from "../domain/catalogue.ts";
import { type Month, parseMonth } from "../domain/periods.ts";
import { cleanCell, toHalfWidth } from "../domain/text.ts";
import type { ColumnMap, TextKey } from "./header.ts";
import { TEXT_FIELDS } from "./header.ts";
import { excerpt, issue, type ValidationIssue } from "./issues.ts";
import { type NumberProblem, parseFigure, quickFigure } from "./numbers.ts";

export type Outcome = "accepted" | "needs_explanation" | "rejected";

/** A return as read from one row of a file. */
export interface ReturnRow {
  /** Spreadsheet row (header = 1). */
  readonly row: number;
  readonly unit: string;
  /** null when the period cell could not be read. */
  readonly period: Month | null;
  readonly values: Values;
  /** Flow indicators left blank (recorded as blank, counted as 0). */
  readonly blanks: readonly IndicatorKey[];
  /** Indicators whose cell could not be read (left at 0): rules comparing figures skip them. Absent: none. */
  readonly unread?: readonly IndicatorKey[];
  readonly text: Readonly<Record<TextKey, string>>;
}

/** A row after every check: its issues and what happens to it. */
export interface CheckedRow extends ReturnRow {
  readonly issues: readonly ValidationIssue[];
  readonly outcome: Outcome;
}

const NUMBER_MESSAGES: Record<NumberProblem, (unit: string, decimals: number) => string> = {
  not_number: () => "不是有效的数字,请填写阿拉伯数字(不要使用科学计数法、文字或公式)",
  negative: () => "不能为负数,请核对后重新填报",
  not_integer: () => "应填写整数",
  too_many_decimals: (_unit, decimals) => `最多保留${decimals}位小数`,
};

const NUMBER_CODES = {
  not_number: "E_NOT_NUMBER",
  negative: "E_NEGATIVE",
  not_integer: "E_NOT_INTEGER",
  too_many_decimals: "E_NOT_NUMBER",
} as const;

const SCRATCH = new Float64Array(INDICATOR_KEYS.length);
const NONE: readonly IndicatorKey[] = Object.freeze([]);

function push(list: IndicatorKey[] | undefined, key: IndicatorKey): IndicatorKey[] {
  if (!list) return [key];
  list.push(key);
  return list;
}
const TEXT_BY_KEY = Object.fromEntries(TEXT_FIELDS.map((f) => [f.key, f])) as {
  [K in TextKey]: Extract<(typeof TEXT_FIELDS)[number], { key: K }>;
};

export function isBlankRecord(record: readonly string[]): boolean {
  for (const cell of record) if (cell !== "" && cleanCell(cell) !== "") return false;
  return true;
}

/**
 * One text field, kept verbatim (formulas like =HYPERLINK(...) stay text); only surrounding blanks
 * go. A module function, not a closure in normaliseRecord: the bundles keep names, and a closure
 * made per row costs a defineProperty per row.
 */
function readText(
  record: readonly string[],
  columns: ColumnMap,
  row: number,
  unitRef: string | null,
  issues: ValidationIssue[],
  field: (typeof TEXT_FIELDS)[number],
): string {
  const index = columns.text[field.key];
  const value = index === undefined ? "" : cleanCell(record[index] ?? "");
  // The limit is in characters: an emoji is one character but two UTF-16 code units.
  const chars = value.length > field.maxLength ? [...value].length : value.length;
  if (chars > field.maxLength) {
    issues.push(
      issue(
        "E_TEXT_TOO_LONG",
        row,
        unitRef,
        field.name,
        `共${chars}字,超过${field.maxLength}字的上限,请精简后重新填报。`,
      ),
    );
  }
  return value;
}

/** Reads one record. Cell problems go into `issues`; the row is still returned for the report. */
export function normaliseRecord(
  record: readonly string[],
  columns: ColumnMap,
  row: number,
  issues: ValidationIssue[],
): ReturnRow {
  const unit = toHalfWidth(cleanCell(record[columns.unit] ?? ""));
  const periodText = cleanCell(record[columns.period] ?? "");
  const unitRef = unit || null;
  if (record.length > columns.width && record.slice(columns.width).some((c) => cleanCell(c) !== "")) {
    issues.push(
      issue(
        "E_MALFORMED",
        row,
        unitRef,
        null,
        `本行有${record.length}列,比表头多出${record.length - columns.width}列,可能是某个单元格里的逗号没有加引号,请检查。`,
      ),
    );
  }
  if (!unit) issues.push(issue("E_UNIT_MISSING", row, null, "单位代码", "单位代码为空,请填写本单位代码。"));
  let period: Month | null = null;
  if (!periodText) {
    issues.push(
      issue("E_PERIOD_INVALID", row, unitRef, "报送期间", "报送期间为空,请填写如“2026-10”或“2026年10月”。"),
    );
  } else {
    period = parseMonth(periodText) ?? null;
    if (!period) {
      issues.push(
        issue(
          "E_PERIOD_INVALID",
          row,
          unitRef,
          "报送期间",
          `“${excerpt(periodText)}”不是有效的报送期间,请填写如“2026-10”或“2026年10月”。`,
        ),
      );
    }
  }
  // Figures are collected by catalogue position and turned into one object at the end (hot path).
  const figures = SCRATCH.fill(0);
  // Allocated on first use: most rows have neither.
  let blanks: IndicatorKey[] | undefined;
  let unread: IndicatorKey[] | undefined;
  for (const col of columns.indicators) {
    const def = col.def;
    const cell = record[col.index] ?? "";
    const quick = quickFigure(cell, def.decimals);
    if (!Number.isNaN(quick) && quick <= def.max) {
      // Not NaN and in range: the common cell, with no allocation (a million rows × 25 cells).
      figures[col.position] = quick;
      continue;
    }
    const parsed = parseFigure(cell, def.decimals, def.unit);
    if (!parsed.ok) {
      const shown = excerpt(cleanCell(cell));
      issues.push(
        issue(
          NUMBER_CODES[parsed.problem],
          row,
          unitRef,
          col.label,
          shown.startsWith("=")
            ? `“${shown}”是公式,文件中没有保存它的计算结果(系统不计算公式)。请在Excel或WPS中打开、确认显示出数值后保存再上传,或直接填写数值。`
            : `“${shown}”${NUMBER_MESSAGES[parsed.problem](def.unit, def.decimals)}。`,
        ),
      );
      unread = push(unread, col.key);
      continue;
    }
    if (parsed.blank) {
      if (def.required) {
        issues.push(issue("E_REQUIRED_MISSING", row, unitRef, col.label, "为必填项,不能为空。"));
        unread = push(unread, col.key);
      } else {
        blanks = push(blanks, col.key);
      }
      continue;
    }
    if (parsed.value > def.max) {
      issues.push(
        issue(
          "E_OUT_OF_RANGE",
          row,
          unitRef,
          col.label,
          `${parsed.value}${def.unit}超出合理范围(单个单位每月不超过${def.max}${def.unit}),请核对是否多填了位数。`,
        ),
      );
    }
    figures[col.position] = parsed.value;
  }
  // Indicator columns absent from the file are blanks too (only optional ones can be absent).
  if (columns.absent.length) blanks = [...(blanks ?? []), ...columns.absent];
  // One literal of a fixed shape (not keyed stores): this runs for every row.
  const text: Record<TextKey, string> = {
    explanation: readText(record, columns, row, unitRef, issues, TEXT_BY_KEY.explanation),
    highlight: readText(record, columns, row, unitRef, issues, TEXT_BY_KEY.highlight),
    reporter: readText(record, columns, row, unitRef, issues, TEXT_BY_KEY.reporter),
    phone: readText(record, columns, row, unitRef, issues, TEXT_BY_KEY.phone),
  };
  const values = figuresFromArray(figures);
  return unread
    ? { row, unit, period, values, blanks: blanks ?? NONE, unread, text }
    : { row, unit, period, values, blanks: blanks ?? NONE, text };
}
