/**
 * `dangjian query`: a scope's figures for a period from the API, as a readable Chinese table with
 * 环比 and 同比 (or the API's CSV for Excel, or its JSON).
 */
import type { Command } from "commander";
import type { z } from "zod";
import { scopeViewSchema } from "../../lib/api/schemas.ts";
import { DERIVED, INDICATORS } from "../../lib/domain/catalogue.ts";
import { ApiCallError, apiJson, apiRequest, apiTarget } from "../support/api-client.ts";
import type { CommandContext } from "../support/command.ts";
import { formatTable } from "../support/table.ts";
import { UsageError } from "../support/usage-error.ts";

type ScopeView = z.output<typeof scopeViewSchema>;

interface QueryOptions {
  scope?: string;
  period: string;
  indicators?: string;
  children?: boolean;
  csv?: boolean;
  json?: boolean;
  endpoint?: string;
  key?: string;
}

interface Column {
  readonly key: string;
  readonly label: string;
  readonly decimals: number;
  readonly derived: boolean;
}

const COLUMNS: readonly Column[] = [
  ...INDICATORS.map((i) => ({
    key: i.key,
    label: `${i.name}(${i.unit})`,
    decimals: i.decimals,
    derived: false,
  })),
  ...DERIVED.map((d) => ({ key: d.key, label: `${d.name}(${d.unit})`, decimals: 2, derived: true })),
];

function figure(
  view: { values: Record<string, number | undefined>; derived: Record<string, number | null | undefined> },
  c: Column,
) {
  return c.derived ? view.derived[c.key] : view.values[c.key];
}

function show(value: number | null | undefined, decimals: number): string {
  if (value === null || value === undefined) return "—";
  return value.toLocaleString("zh-CN", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** 环比/同比 as a signed percentage; rates compare in percentage points. */
function change(now: number | null | undefined, before: number | null | undefined, derived: boolean): string {
  if (now === null || now === undefined || before === null || before === undefined) return "—";
  if (derived) return `${now - before >= 0 ? "+" : ""}${(now - before).toFixed(2)}个百分点`;
  if (before === 0) return now === 0 ? "0" : "—";
  const pct = ((now - before) / before) * 100;
  return `${pct >= 0 ? "+" : ""}${pct.toFixed(1)}%`;
}

export function formatAggregates(view: ScopeView): string {
  const lines: string[] = [];
  const r = view.reporting;
  const missing = r.missing ?? [];
  // The list is capped by the API; the count is exact.
  const missingCount = r.expected - r.reported;
  lines.push(`${view.scope.name}(${view.scope.code})· ${view.period.label}`);
  lines.push(
    `报送:应报${r.expected}个单位,已报${r.reported}个,按时${r.on_time}个` +
      (missing.length
        ? `;未报:${missing.slice(0, 10).join("、")}${missingCount > 10 ? ` 等${missingCount}个` : ""}`
        : ""),
  );
  const columns = COLUMNS.filter((c) => (c.derived ? c.key in view.derived : c.key in view.values));
  const prev = view.compare?.previous_period;
  const last = view.compare?.same_period_last_year;
  const header = [
    "指标",
    "本期",
    ...(prev ? [`上期(${prev.period.label})`, "环比"] : []),
    ...(last ? [`去年同期(${last.period.label})`, "同比"] : []),
  ];
  const rows = columns.map((c) => {
    const now = figure(view, c);
    return [
      c.label,
      show(now, c.decimals),
      ...(prev ? [show(figure(prev, c), c.decimals), change(now, figure(prev, c), c.derived)] : []),
      ...(last ? [show(figure(last, c), c.decimals), change(now, figure(last, c), c.derived)] : []),
    ];
  });
  lines.push("", formatTable([header, ...rows]));
  if (view.children?.length) {
    const wanted =
      columns.length > 6 ? columns.filter((c) => c.key === "members_total" || c.derived) : columns;
    const childRows = view.children.map((child) => [
      `${child.scope.name}(${child.scope.code})`,
      `${child.reporting.reported}/${child.reporting.expected}`,
      ...wanted.map((c) => show(figure(child, c), c.decimals)),
    ]);
    lines.push(
      "",
      "下级单位:",
      formatTable([["单位", "已报/应报", ...wanted.map((c) => c.label)], ...childRows]),
    );
  }
  return `${lines.join("\n")}\n`;
}

export function registerQuery(program: Command, ctx: CommandContext): void {
  program
    .command("query")
    .description("查询汇总数据(含环比、同比),以表格显示,或导出 CSV")
    .option("--scope <单位代码>", "统计范围(默认为密钥所属单位,运维密钥为根单位)")
    .requiredOption(
      "--period <期间>",
      "2026-10、2026-Q3、2026、THIS_MONTH、LAST_MONTH、THIS_YEAR、LAST_12_MONTHS",
    )
    .option("--indicators <指标>", "只看这些指标,逗号分隔的指标键,如 members_total,solve_rate")
    .option("--children", "同时列出各直属下级")
    .option("--csv", "输出 CSV(UTF-8 带 BOM,可重定向到文件后用 Excel 打开)")
    .option("--json", "输出接口返回的 JSON")
    .option("--endpoint <地址>", "接口地址(默认取 DANGJIAN_ENDPOINT,否则 http://localhost:3000)")
    .option("--key <密钥>", "接口密钥(默认取 DANGJIAN_KEY)")
    .action(async (opts: QueryOptions) => {
      if (opts.csv && opts.json) throw new UsageError("--csv 与 --json 只能选一个。");
      const target = apiTarget(opts);
      const params = new URLSearchParams({ period: opts.period, include: "missing" });
      if (opts.scope) params.set("scope", opts.scope);
      if (opts.indicators) params.set("indicators", opts.indicators);
      if (opts.children) params.set("breakdown", "children");
      try {
        if (opts.csv) {
          params.set("format", "csv");
          ctx.io.out((await apiRequest(target, "GET", `/v1/aggregates?${params}`)).text);
          return;
        }
        const view = await apiJson(target, scopeViewSchema, "GET", `/v1/aggregates?${params}`);
        ctx.io.out(opts.json ? `${JSON.stringify(view)}\n` : formatAggregates(view));
      } catch (err) {
        if (!(err instanceof ApiCallError)) throw err;
        ctx.io.err(`错误:${err.message}\n`);
        ctx.setExit(err.status === 400 ? 2 : 1);
      }
    });
}
