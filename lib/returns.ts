/**
 * One CSV record → a normalised unit return (figures parsed, period canonical, text fields kept
 * verbatim) plus the problems found in its cells.
 */
import { type IndicatorKey, type Values, zeroValues } from "./catalogue.ts";
import type { ColumnMap, TextKey } from "./header.ts";
import { TEXT_FIELDS } from "./header.ts";
import { issue, type ValidationIssue } from "./issues.ts";
import { type NumberProblem, parseFigure } from "./numbers.ts";
import { type Month, parseMonth } from "./periods.ts";
import { cleanCell, toHalfWidth } from "./text.ts";

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

export function isBlankRecord(record: readonly string[]): boolean {
  for (const cell of record) if (cell !== "" && cleanCell(cell) !== "") return false;
  return true;
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
          `“${periodText}”不是有效的报送期间,请填写如“2026-10”或“2026年10月”。`,
        ),
      );
    }
  }
  const values = zeroValues();
  const blanks: IndicatorKey[] = [];
  const unread: IndicatorKey[] = [];
  for (const col of columns.indicators) {
    const def = col.def;
    const cell = record[col.index] ?? "";
    const parsed = parseFigure(cell, def.decimals, def.unit);
    if (!parsed.ok) {
      const shown = cleanCell(cell);
      issues.push(
        issue(
          NUMBER_CODES[parsed.problem],
          row,
          unitRef,
          col.label,
          `“${shown}”${NUMBER_MESSAGES[parsed.problem](def.unit, def.decimals)}。`,
        ),
      );
      unread.push(col.key);
      continue;
    }
    if (parsed.blank) {
      if (def.required) {
        issues.push(issue("E_REQUIRED_MISSING", row, unitRef, col.label, "为必填项,不能为空。"));
        unread.push(col.key);
      } else {
        blanks.push(col.key);
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
    values[col.key] = parsed.value;
  }
  // Indicator columns absent from the file are blanks too (only optional ones can be absent).
  for (const key of columns.absent) blanks.push(key);
  const text = {} as Record<TextKey, string>;
  for (const field of TEXT_FIELDS) {
    const index = columns.text[field.key];
    // Kept verbatim (formulas like =HYPERLINK(...) stay text); only surrounding blanks go.
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
    text[field.key] = value;
  }
  return unread.length
    ? { row, unit, period, values, blanks, unread, text }
    : { row, unit, period, values, blanks, text };
}
