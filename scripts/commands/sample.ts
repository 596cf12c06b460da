import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { addMonths, type Month, monthLabel, monthOf, parseMonth } from "../../lib/domain/periods.ts";
import { CITY, generateSample, type SampleDataSet } from "../../lib/sample/index.ts";
import type { CommandContext } from "../support/command.ts";
import { UsageError } from "../support/usage-error.ts";

interface SampleCliOptions {
  out: string;
  units: string;
  months: string;
  seed: string;
  end?: string;
  force?: boolean;
}

function integer(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || value < min || value > max) {
    throw new UsageError(`${name} 应为 ${min}—${max} 之间的整数,收到“${text}”。`);
  }
  return value;
}

function endMonth(text: string | undefined, now: Date): Month {
  if (text === undefined) return addMonths(monthOf(now), -1);
  const month = /^\d{4}-\d{2}$/.test(text.trim()) ? parseMonth(text) : undefined;
  if (!month) throw new UsageError(`--end 应为 YYYY-MM 格式的月份(如 2026-10),收到“${text}”。`);
  if (month > monthOf(now)) throw new UsageError(`--end ${month} 尚未到来,最晚可为本月 ${monthOf(now)}。`);
  return month;
}

/** Files from an earlier run would mix with the new ones in file-name order, so they go first. */
async function prepare(dir: string, force: boolean): Promise<void> {
  const returns = join(dir, "returns");
  let stale: string[] = [];
  try {
    stale = (await readdir(returns)).filter((f) => f.endsWith(".csv") || f === "manifest.json");
  } catch {
    // No returns directory yet.
  }
  if (stale.length && !force) {
    throw new UsageError(
      `${returns} 中已有${stale.length}个文件。请换一个目录,或加 --force 先删除这些文件。`,
    );
  }
  for (const f of stale) await rm(join(returns, f));
  await mkdir(returns, { recursive: true });
}

export function summaryText(sample: SampleDataSet, dir: string): string {
  const s = sample.summary;
  const first = s.months[0] as Month;
  const last = s.months[s.months.length - 1] as Month;
  const span = s.months.length === 1 ? monthLabel(first) : `${monthLabel(first)}—${monthLabel(last)}`;
  return [
    `已生成样例数据:${CITY}市直机关工委、${s.areas}个片区、${s.units}个市直单位,${span}共${s.months.length}个月。`,
    `  单位名册:${join(dir, "units.csv")}`,
    `  月报文件:${join(dir, "returns")}(${s.files}个文件,共${s.rows}行数据,其中GB18030编码${s.gb18030Files}个;清单见 manifest.json,按文件名顺序上传)`,
    `  报送情况:迟报${s.lateReturns}个单位月,未报${s.missingReturns}个单位月`,
    `  审核预期:${s.warningRows}行会触发核实性预警(附有说明的通过,缺说明的待补报)`,
    `  亮点工作:${s.highlights}条`,
    "",
  ].join("\n");
}

export function registerSample(program: Command, ctx: CommandContext): void {
  program
    .command("sample")
    .description("生成内置样例数据集:虚构的清源市市直机关工委、6个片区及其市直单位若干个月的月报文件")
    .requiredOption("-o, --out <目录>", "输出目录:写入 units.csv、returns/*.csv 和 returns/manifest.json")
    .option("--units <数量>", "市直单位(报送单位)个数,至少6个", "63")
    .option("--months <月数>", "生成的月份数", "12")
    .option("--seed <种子>", "随机种子:相同参数生成的文件逐字节相同", "1")
    .option("--end <YYYY-MM>", "最后一个月份(默认为北京时间上个月)")
    .option("--force", "输出目录中已有月报文件时先删除")
    .action(async (opts: SampleCliOptions) => {
      const now = new Date();
      const sample = generateSample({
        units: integer("--units", opts.units, 6, 100_000),
        months: integer("--months", opts.months, 1, 120),
        seed: integer("--seed", opts.seed, -2_147_483_648, 2_147_483_647),
        endMonth: endMonth(opts.end, now),
        now,
      });
      await prepare(opts.out, opts.force ?? false);
      await writeFile(join(opts.out, "units.csv"), sample.unitsCsv);
      for (const file of sample.files) await writeFile(join(opts.out, "returns", file.name), file.bytes);
      const manifest = {
        files: sample.files.map(({ name, submittedAt, scope, period }) => ({
          name,
          submittedAt,
          scope,
          period,
        })),
      };
      await writeFile(join(opts.out, "returns", "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
      ctx.io.out(summaryText(sample, opts.out));
    });
}
