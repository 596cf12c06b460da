/**
 * The return file's columns: 单位代码, 报送期间, indicator columns by 中文名 or key, and the optional
 * text columns. The template (dangjian template) is generated from the same definitions.
 */
import {
  INDICATOR_KEYS,
  INDICATORS,
  type Indicator,
  type IndicatorKey,
  indicator,
} from "../domain/catalogue.ts";
import { normaliseHeader } from "../domain/text.ts";
import { excerpt, issue, type ValidationIssue } from "./issues.ts";

/** How many leading records may be titles above the header (报表标题, 填报说明): one rule for every reader. */
export const HEADER_SEARCH_RECORDS = 5;

export const TEXT_FIELDS = [
  { key: "explanation", name: "说明", aliases: ["explanation", "情况说明", "备注说明"], maxLength: 500 },
  { key: "highlight", name: "亮点工作", aliases: ["highlight", "亮点"], maxLength: 2000 },
  { key: "reporter", name: "填报人", aliases: ["reporter"], maxLength: 50 },
  { key: "phone", name: "联系电话", aliases: ["phone", "电话"], maxLength: 40 },
] as const;

export type TextKey = (typeof TEXT_FIELDS)[number]["key"];

const UNIT_ALIASES = ["单位代码", "unit_code", "code", "组织代码"];
const PERIOD_ALIASES = ["报送期间", "period", "期间", "报告期", "统计期间"];
/**
 * Informational columns people add for their own reading, and the two the annotated report adds (so a
 * corrected copy of it can be uploaded as it is): accepted and ignored without a notice.
 */
const INFORMATIONAL = ["单位名称", "unit_name", "序号", "上级单位", "审核意见", "状态"];

export interface ColumnMap {
  readonly unit: number;
  readonly period: number;
  readonly indicators: readonly {
    readonly key: IndicatorKey;
    readonly index: number;
    readonly label: string;
    readonly def: Indicator;
    /** Position in the catalogue (INDICATOR_KEYS order). */
    readonly position: number;
  }[];
  /** Optional indicators the file has no column for: blank in every row. */
  readonly absent: readonly IndicatorKey[];
  readonly text: Partial<Record<TextKey, number>>;
  readonly width: number;
}

type Field =
  | { kind: "unit" }
  | { kind: "period" }
  | { kind: "indicator"; key: IndicatorKey }
  | { kind: "text"; key: TextKey };

const LOOKUP = new Map<string, { field: Field; label: string }>();
function register(names: readonly string[], field: Field, label: string): void {
  for (const n of names) LOOKUP.set(normaliseHeader(n), { field, label });
}
register(UNIT_ALIASES, { kind: "unit" }, "单位代码");
register(PERIOD_ALIASES, { kind: "period" }, "报送期间");
for (const ind of INDICATORS) register([ind.name, ind.key], { kind: "indicator", key: ind.key }, ind.name);
for (const t of TEXT_FIELDS) register([t.name, ...t.aliases], { kind: "text", key: t.key }, t.name);
const INFO = new Set(INFORMATIONAL.map(normaliseHeader));

/** The template header row, in catalogue order. */
export function templateHeader(): string[] {
  return ["单位代码", "报送期间", ...INDICATORS.map((i) => i.name), ...TEXT_FIELDS.map((t) => t.name)];
}

export type HeaderResult =
  | { ok: true; columns: ColumnMap; notices: ValidationIssue[] }
  | { ok: false; issues: ValidationIssue[] };

export function resolveHeader(header: readonly string[]): HeaderResult {
  const seen = new Map<string, number>();
  const issues: ValidationIssue[] = [];
  const notices: ValidationIssue[] = [];
  let unit = -1;
  let period = -1;
  const indicators: { key: IndicatorKey; index: number; label: string; def: Indicator; position: number }[] =
    [];
  const text: Partial<Record<TextKey, number>> = {};
  header.forEach((raw, index) => {
    const norm = normaliseHeader(raw);
    if (!norm) return;
    const hit = LOOKUP.get(norm);
    if (!hit) {
      if (!INFO.has(norm)) {
        notices.push(
          issue("W_UNKNOWN_COLUMN", 1, null, raw, `未识别的列“${excerpt(raw.trim())}”,已忽略该列。`),
        );
      }
      return;
    }
    const id = hit.field.kind === "indicator" || hit.field.kind === "text" ? hit.field.key : hit.field.kind;
    const first = seen.get(id);
    if (first !== undefined) {
      issues.push(
        issue(
          "E_HEADER_DUPLICATE",
          1,
          null,
          raw,
          `“${hit.label}”列出现了两次(第${first + 1}列和第${index + 1}列),请删除多余的一列。`,
        ),
      );
      return;
    }
    seen.set(id, index);
    switch (hit.field.kind) {
      case "unit":
        unit = index;
        break;
      case "period":
        period = index;
        break;
      case "indicator":
        indicators.push({
          key: hit.field.key,
          index,
          label: hit.label,
          def: indicator(hit.field.key),
          position: INDICATOR_KEYS.indexOf(hit.field.key),
        });
        break;
      case "text":
        text[hit.field.key] = index;
        break;
    }
  });
  const missing: string[] = [];
  if (unit < 0) missing.push("单位代码");
  if (period < 0) missing.push("报送期间");
  for (const ind of INDICATORS) {
    if (ind.required && !indicators.some((c) => c.key === ind.key)) missing.push(ind.name);
  }
  if (missing.length) {
    issues.push(
      issue(
        "E_HEADER_MISSING",
        1,
        null,
        null,
        `表头缺少必填列:${missing.join("、")}。请使用“dangjian template”生成的模板填报。`,
      ),
    );
  }
  if (issues.length) return { ok: false, issues };
  const absent = INDICATORS.filter((ind) => !indicators.some((c) => c.key === ind.key)).map((ind) => ind.key);
  return { ok: true, columns: { unit, period, indicators, absent, text, width: header.length }, notices };
}

/** The label issues use for the column at `index` (单位代码, 报送期间, an indicator's or text field's name), or null. */
export function columnLabel(columns: ColumnMap, index: number): string | null {
  if (index === columns.unit) return "单位代码";
  if (index === columns.period) return "报送期间";
  for (const col of columns.indicators) if (col.index === index) return col.label;
  for (const t of TEXT_FIELDS) if (columns.text[t.key] === index) return t.name;
  return null;
}

/** Column index by the label issues use: the inverse of columnLabel. */
export function columnIndexByLabel(columns: ColumnMap): Map<string, number> {
  const out = new Map<string, number>([
    ["单位代码", columns.unit],
    ["报送期间", columns.period],
  ]);
  for (const col of columns.indicators) out.set(col.label, col.index);
  for (const t of TEXT_FIELDS) {
    const index = columns.text[t.key];
    if (index !== undefined) out.set(t.name, index);
  }
  return out;
}
