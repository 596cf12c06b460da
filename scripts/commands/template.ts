import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { formatCsv } from "../../lib/ingest/csv.ts";
import { templateHeader } from "../../lib/ingest/header.ts";
import type { CommandContext } from "../support/command.ts";

export function registerTemplate(program: Command, ctx: CommandContext): void {
  program
    .command("template")
    .description("生成月报表CSV模板(UTF-8带BOM,Excel/WPS可直接打开,仅含表头)")
    .option("-o, --out <文件>", "写入的文件;不指定则输出到屏幕")
    .action(async (opts: { out?: string }) => {
      const csv = formatCsv([templateHeader()]);
      if (opts.out) {
        await writeFile(opts.out, csv);
        ctx.io.err(`已生成模板:${opts.out}(共${templateHeader().length}列)\n`);
      } else {
        ctx.io.out(csv);
      }
    });
}
