import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { composeBulletin, loadWording, renderBulletinPdf } from "../../lib/bulletin/index.ts";
import { publishBulletin } from "../../lib/bulletin/service.ts";
import { monthLabel, parseMonth } from "../../lib/domain/periods.ts";
import type { CommandContext } from "../support/command.ts";
import { UsageError } from "../support/usage-error.ts";
import { servicesFromEnvironment } from "./services.ts";

export function registerBulletin(program: Command, ctx: CommandContext): void {
  program
    .command("bulletin")
    .description("生成(或重新生成)某个范围某月的机关党建工作简报PDF;重新生成时保留原期号")
    .requiredOption("-s, --scope <代码>", "范围:市(根单位)或片区的单位代码")
    .requiredOption("-p, --period <YYYY-MM>", "月份")
    .requiredOption("-o, --out <文件.pdf>", "输出文件")
    .option("--wording <templates/bulletin.json>", "简报措辞模板(默认 templates/bulletin.json)")
    .action(async (opts: { scope: string; period: string; out: string; wording?: string }) => {
      const month = parseMonth(opts.period);
      if (!month) throw new UsageError(`--period 应为 YYYY-MM,收到“${opts.period}”。`);
      const services = servicesFromEnvironment();
      const registry = await services.registry();
      if (!registry.has(opts.scope)) throw new UsageError(`单位名册中没有代码为“${opts.scope}”的单位。`);
      const published = await publishBulletin(
        {
          stores: services.stores,
          objects: services.objects,
          registry,
          deadlineDay: services.config.DEADLINE_DAY,
          wording: await loadWording(opts.wording),
          compose: composeBulletin,
          render: renderBulletinPdf,
        },
        opts.scope,
        month,
        new Date(),
      );
      await writeFile(opts.out, published.pdf);
      const r = published.record;
      ctx.io.out(
        `已生成${registry.get(opts.scope)?.name ?? opts.scope}${monthLabel(month)}简报:第${r.issueNumber}期(第${r.revision}版),` +
          `${r.pages}页,${(r.bytes / 1024).toFixed(0)} KB,用时${r.renderMs}毫秒 → ${opts.out}\n`,
      );
    });
}
