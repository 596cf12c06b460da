import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { addMonths, monthOf, parseMonth } from "../../lib/domain/periods.ts";
import { formatCsv } from "../../lib/ingest/csv.ts";
import { templateHeader } from "../../lib/ingest/header.ts";
import { templateWorkbook } from "../../lib/ingest/template.ts";
import type { CommandContext } from "../support/command.ts";
import { UsageError } from "../support/usage-error.ts";
import { loadRegistry } from "./validate.ts";

interface TemplateOptions {
  out?: string;
  format: string;
  registry?: string;
  scope?: string;
  period?: string;
}

export function registerTemplate(program: Command, ctx: CommandContext): void {
  program
    .command("template")
    .description(
      "生成月报表模板:CSV(UTF-8带BOM,仅含表头)或Excel工作簿(按名册预填各单位代码、名称和报送期间,附填报说明)",
    )
    .option("-o, --out <文件>", "写入的文件;CSV不指定则输出到屏幕,xlsx默认为“月报表模板-范围-期间.xlsx”")
    .option("--format <格式>", "csv(默认)或 xlsx", "csv")
    .option("-r, --registry <units.csv>", "单位名册文件(xlsx必需,用于预填各单位)")
    .option("--scope <单位代码>", "预填哪个片区或单位下的报送单位(默认全部)")
    .option("--period <月份>", "报送期间,如 2026-10(默认上月)")
    .action(async (opts: TemplateOptions) => {
      if (opts.format === "csv") {
        if (opts.scope || opts.period || opts.registry) {
          throw new UsageError("--scope、--period、--registry 只用于 --format xlsx;CSV模板只有表头。");
        }
        const csv = formatCsv([templateHeader()]);
        if (opts.out) {
          await writeFile(opts.out, csv);
          ctx.io.err(`已生成模板:${opts.out}(共${templateHeader().length}列)\n`);
        } else {
          ctx.io.out(csv);
        }
        return;
      }
      if (opts.format !== "xlsx") throw new UsageError(`--format 应为 csv 或 xlsx,收到“${opts.format}”。`);
      if (!opts.registry) throw new UsageError("生成Excel模板需要单位名册:--registry units.csv。");
      const registry = await loadRegistry(opts.registry);
      const scope = opts.scope ?? registry.root.code;
      if (!registry.has(scope)) throw new UsageError(`单位名册中没有单位代码“${scope}”。`);
      const period = opts.period ? parseMonth(opts.period) : addMonths(monthOf(new Date()), -1);
      if (!period) throw new UsageError(`--period 应为如 2026-10 的月份,收到“${opts.period}”。`);
      const out = opts.out ?? `月报表模板-${scope}-${period}.xlsx`;
      await writeFile(out, templateWorkbook(registry, { scope, period }));
      ctx.io.err(`已生成模板:${out}(${registry.leavesUnder(scope).length}个报送单位,报送期间${period})\n`);
    });
}
