/**
 * Who may report and for which periods (the uploader's subtree, the registry, the calendar), and
 * what a row's issues make of it. The rules on the figures themselves are in row-rules.ts.
 */
import { type Month, monthLabel } from "../domain/periods.ts";
import type { Registry } from "../domain/registry.ts";
import { excerpt, issue, type ValidationIssue } from "./issues.ts";
import type { Outcome, ReturnRow } from "./returns.ts";

export interface RowContext {
  readonly registry: Registry;
  /** The latest month a return may be for (the current Beijing month). */
  readonly latestMonth: Month;
  /** When set, rows for units outside this subtree get E_UNIT_FORBIDDEN (API uploads by a unit key). */
  readonly uploaderScope?: string | undefined;
  /** The earliest month the system takes returns for (FIRST_REPORTING_MONTH). */
  readonly firstMonth?: Month | undefined;
  /** The month the upload was made for (its S3 key): rows for another month get a notice. */
  readonly uploadPeriod?: Month | undefined;
}

/**
 * Who may report: a known reporting unit (leaf) inside the uploader's subtree. Outside that
 * subtree a unit key learns nothing about the code (not its name, not whether it exists or is a
 * 汇总单位): only that it is not theirs.
 */
function checkUnit(row: ReturnRow, ctx: RowContext, issues: ValidationIssue[]): void {
  const { registry, uploaderScope } = ctx;
  const code = row.unit;
  const shown = excerpt(code);
  const unit = registry.get(code);
  if (unit && !isMine(ctx, code)) {
    issues.push(forbidden(row, ctx));
    return;
  }
  if (!unit) {
    const suggestion = registry.suggestCode(code);
    if (!isMine(ctx, suggestion ?? code) && uploaderScope !== registry.root.code) {
      issues.push(forbidden(row, ctx));
      return;
    }
    const hint = suggestion
      ? `是否是“${suggestion}”?Excel可能去掉了代码开头的0,请把该列设为“文本”格式后重新填写。`
      : "请核对单位代码,或联系市直机关工委确认。";
    issues.push(
      issue("E_UNIT_UNKNOWN", row.row, code, "单位代码", `单位代码“${shown}”不在单位名册中。${hint}`),
    );
    return;
  }
  if (!registry.isLeaf(code)) {
    issues.push(
      issue(
        "E_UNIT_UNKNOWN",
        row.row,
        code,
        "单位代码",
        `“${unit.name}”(${code})是汇总单位,不能直接填报;请填写其下属基层党组织的代码。`,
      ),
    );
  }
}

/** Inside the uploader's subtree (a module function: a closure per row would cost a defineProperty per row). */
function isMine(ctx: RowContext, code: string): boolean {
  return !ctx.uploaderScope || ctx.registry.contains(ctx.uploaderScope, code);
}

function forbidden(row: ReturnRow, ctx: RowContext): ValidationIssue {
  const scope = ctx.uploaderScope ? ctx.registry.get(ctx.uploaderScope) : undefined;
  return issue(
    "E_UNIT_FORBIDDEN",
    row.row,
    row.unit,
    "单位代码",
    `单位代码“${excerpt(row.unit)}”不是${scope?.name ?? "本单位"}或其下级单位的代码,本账号不能代其报送。`,
  );
}

export function checkUnitAndPeriod(row: ReturnRow, ctx: RowContext, issues: ValidationIssue[]): void {
  if (row.unit) checkUnit(row, ctx, issues);
  if (!row.period) return;
  // Canonical "YYYY-MM" strings sort like the months they name.
  if (row.period > ctx.latestMonth) {
    issues.push(
      issue(
        "E_PERIOD_FUTURE",
        row.row,
        row.unit || null,
        "报送期间",
        `报送期间${monthLabel(row.period)}尚未到来,请核对(当前最晚可报${monthLabel(ctx.latestMonth)})。`,
      ),
    );
  } else if (ctx.firstMonth && row.period < ctx.firstMonth) {
    issues.push(
      issue(
        "E_PERIOD_TOO_EARLY",
        row.row,
        row.unit || null,
        "报送期间",
        `报送期间${monthLabel(row.period)}早于本系统开始直报的${monthLabel(ctx.firstMonth)},请核对年份和月份。`,
      ),
    );
  } else if (ctx.uploadPeriod && row.period !== ctx.uploadPeriod) {
    issues.push(
      issue(
        "W_PERIOD_MISMATCH",
        row.row,
        row.unit || null,
        "报送期间",
        `本行报送期间为${monthLabel(row.period)},与上传时选择的${monthLabel(ctx.uploadPeriod)}不一致;已按本行填写的期间接收,如有误请更正后重新上传。`,
      ),
    );
  }
}

/** Notices inform and never hold a row (a 说明 is not needed for them). */
export const NOTICES: ReadonlySet<string> = new Set(["W_UNKNOWN_COLUMN", "W_PERIOD_MISMATCH"]);

/** Errors reject; warnings without a 说明 hold the row for explanation; otherwise accepted. */
export function outcomeOf(issues: readonly ValidationIssue[], explanation: string): Outcome {
  let warned = false;
  for (const i of issues) {
    if (NOTICES.has(i.code)) continue;
    if (i.severity === "error") return "rejected";
    warned = true;
  }
  return warned && explanation.trim() === "" ? "needs_explanation" : "accepted";
}
