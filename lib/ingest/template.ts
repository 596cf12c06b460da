/**
 * The prefilled Excel return (dangjian template --format xlsx, GET /v1/template, the portal): a pure
 * function of the registry, a scope and a month. Sheet 月报表: a title, the header (the same columns
 * the validator reads, required ones starred, each with its measure word), one row per reporting
 * unit under the scope with 单位代码 as text (leading zeros survive editing) and the month filled in.
 * Sheet 填报说明: a 统计报表-style head (表号, 制表机关, 填报范围, 报告期) and, generated from the
 * catalogue and the rules, every indicator's 中文名, 单位, type, 时点/时期 meaning and checks.
 */
import { INDICATORS, sectionName } from "../domain/catalogue.ts";
import { type Month, monthLabel } from "../domain/periods.ts";
import type { Registry } from "../domain/registry.ts";
import { TEXT_FIELDS } from "./header.ts";
import { notesAt, rowNotes } from "./row-rules.ts";
import { INSTRUCTIONS_SHEET, RETURN_SHEET } from "./sheet.ts";
import { type OutCell, type OutSheet, writeWorkbook } from "./workbook.ts";

/** The form's number in the style of 统计报表 (表号). */
export const FORM_NUMBER = "党建月报1表";

export interface TemplateOptions {
  /** The registry node whose reporting units get a row (default: the root). */
  readonly scope?: string;
  readonly period: Month;
}

/** Display width in Excel's character units: a Chinese character is two. */
function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += (ch.codePointAt(0) as number) > 0xff ? 2 : 1;
  return w;
}

/** The template's header cells, in the order the CSV template has them (plus 单位名称 second). */
export function workbookHeader(): string[] {
  return [
    "*单位代码",
    "单位名称",
    "*报送期间",
    ...INDICATORS.map((i) => `${i.required ? "*" : ""}${i.name}(${i.unit})`),
    ...TEXT_FIELDS.map((t) => t.name),
  ];
}

function typeOf(decimals: number, required: boolean): string {
  const kind = decimals === 0 ? "整数" : `数值,最多${decimals}位小数`;
  return required ? `${kind},必填` : `${kind},可空(空白按0计)`;
}

export function templateWorkbook(registry: Registry, options: TemplateOptions): Uint8Array<ArrayBuffer> {
  const scope = registry.get(options.scope ?? registry.root.code);
  if (!scope) throw new Error(`unknown scope ${options.scope}`);
  const header = workbookHeader();
  const title = `${monthLabel(options.period)}机关党建工作月报表(${scope.name})`;
  const returnRows: (OutCell | string)[][] = [[title], header];
  for (const unit of registry.leavesUnder(scope.code)) {
    returnRows.push([{ value: unit.code, asText: true }, unit.name, { value: options.period, asText: true }]);
  }
  const nameWidth = Math.max(12, ...registry.leavesUnder(scope.code).map((u) => displayWidth(u.name) + 2));
  const widths = header.map((h, i) =>
    i === 0
      ? 12
      : i === 1
        ? Math.min(40, nameWidth)
        : h === "亮点工作"
          ? 50
          : Math.max(8, displayWidth(h) + 2),
  );
  const returnSheet: OutSheet = {
    name: RETURN_SHEET,
    rows: returnRows,
    widths,
    merges: [{ r1: 0, c1: 0, r2: 0, c2: header.length - 1 }],
  };

  const head = [
    ["机关党建工作月报表填报说明"],
    [`表  号:${FORM_NUMBER}`, "", "", `制表机关:${registry.root.name}`],
    [
      `填报范围:${scope.name}(${registry.leavesUnder(scope.code).length}个基层党组织)`,
      "",
      "",
      `报告期:${monthLabel(options.period)}`,
    ],
    [],
    ["序号", "指标", "列名(也可用英文键)", "计量单位", "类型", "时间属性", "所属栏目", "审核规则"],
  ];
  const indicatorRows = INDICATORS.map((ind, i) => [
    i + 1,
    ind.name,
    ind.key,
    ind.unit,
    typeOf(ind.decimals, ind.required),
    ind.time === "LAST"
      ? "时点指标:填月末实有数,多个月合计时取最新一期"
      : "时期指标:填当月发生数,多个月合计时累加",
    sectionName(ind.section),
    [`单个单位每月不超过${ind.max.toLocaleString("zh-CN")}${ind.unit}`, ...notesAt(ind.key)].join(";"),
  ]);
  const textRows = TEXT_FIELDS.map((t, i) => [
    INDICATORS.length + i + 1,
    t.name,
    t.key,
    "",
    `文字,不超过${t.maxLength}字`,
    "",
    "",
    t.key === "explanation" ? "对“提示”的情况说明;有提示而无说明的行暂不接收" : "",
  ]);
  const notes = [
    [],
    ["填报要求"],
    ["1. 单位代码按单位名册填写,本表已设为“文本”格式,请勿改为数值,否则开头的0会丢失。"],
    ["2. 报送期间写如“2026-10”或“2026年10月”;一个单位一个月只填一行。"],
    ["3. 标“*”的为必填项;不填的时期指标按0计。数字请填阿拉伯数字,不要填公式、百分比或文字。"],
    ...rowNotes().map((n, i) => [`${i + 4}. ${n}`]),
    [
      `${rowNotes().length + 4}. 有“提示”的行,如数据无误,请在“说明”栏写明情况后上传,即可接收;“错误”须改正后重新上传。`,
    ],
    [
      `${rowNotes().length + 5}. 填好后可直接上传本工作簿(.xlsx),无需另存为CSV;审核意见会写回一份同样格式的工作簿。`,
    ],
  ];
  const instructions: OutSheet = {
    name: INSTRUCTIONS_SHEET,
    rows: [...head, ...indicatorRows, ...textRows, ...notes],
    widths: [6, 22, 24, 10, 26, 44, 10, 70],
    merges: [{ r1: 0, c1: 0, r2: 0, c2: 7 }],
  };
  return writeWorkbook([returnSheet, instructions]);
}
