import { createReadStream } from "node:fs";
import { readFile, stat, writeFile } from "node:fs/promises";
import type { Command } from "commander";
import type { Registry } from "../../lib/domain/registry.ts";
import { annotatedReport } from "../../lib/ingest/annotate.ts";
import { ingest } from "../../lib/ingest/ingest.ts";
import { parseRegistryFile } from "../../lib/ingest/registry-file.ts";
import { buildReport, formatReport } from "../../lib/ingest/report.ts";
import type { CommandContext } from "../support/command.ts";
import { UsageError } from "../support/usage-error.ts";

export async function loadRegistry(path: string): Promise<Registry> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw new UsageError(`无法读取单位名册“${path}”。`);
  }
  const result = parseRegistryFile(bytes);
  if (!result.ok) {
    throw new UsageError(
      `单位名册“${path}”有误:\n${result.problems.map((p) => `  ${p.message}`).join("\n")}`,
    );
  }
  return result.registry;
}

/** --as-of YYYY-MM-DD → noon Beijing time that day. */
export function parseAsOf(text: string | undefined): Date {
  if (!text) return new Date();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const date = m ? new Date(`${m[1]}-${m[2]}-${m[3]}T12:00:00+08:00`) : undefined;
  if (!date || Number.isNaN(date.getTime()))
    throw new UsageError(`--as-of 应为 YYYY-MM-DD 格式的日期,收到“${text}”。`);
  return date;
}

export function registerValidate(program: Command, ctx: CommandContext): void {
  program
    .command("validate")
    .description("审核一个月报表文件(CSV或Excel工作簿,不保存任何数据);全部通过时退出码为0,否则为1")
    .argument("<文件>", "要审核的文件(.csv、.xlsx、.xlsm、.xls,按内容识别)")
    .requiredOption("-r, --registry <units.csv>", "单位名册文件")
    .option("--as-of <日期>", "按指定日期审核(YYYY-MM-DD,默认今天),用于判断期间是否未到")
    .option("--json", "输出一个JSON文档(机器可读)")
    .option("--annotate <文件.xlsx>", "另写一份审核意见表:原样的各行加“审核意见”“状态”列、批注和“问题清单”")
    .action(
      async (file: string, opts: { registry: string; asOf?: string; json?: boolean; annotate?: string }) => {
        const registry = await loadRegistry(opts.registry);
        const now = parseAsOf(opts.asOf);
        try {
          await stat(file);
        } catch {
          throw new UsageError(`找不到文件“${file}”。`);
        }
        const result = await ingest(createReadStream(file), { registry, now });
        const report = buildReport(result, result.rows, result.counts);
        ctx.io.out(opts.json ? `${JSON.stringify(report)}\n` : `${formatReport(report, file)}\n`);
        if (opts.annotate) {
          await writeFile(opts.annotate, await annotatedReport(createReadStream(file), report));
          ctx.io.err(`审核意见表已写入:${opts.annotate}\n`);
        }
        ctx.setExit(report.status === "accepted" ? 0 : 1);
      },
    );
}
