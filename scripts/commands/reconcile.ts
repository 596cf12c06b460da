import type { Command } from "commander";
import { parseMonth } from "../../lib/domain/periods.ts";
import { reconcile } from "../../lib/write/reconcile.ts";
import type { CommandContext } from "../support/command.ts";
import { UsageError } from "../support/usage-error.ts";
import { servicesFromEnvironment } from "./services.ts";

export function registerReconcile(program: Command, ctx: CommandContext): void {
  program
    .command("reconcile")
    .description("用已存的月报数据重新计算全部汇总,核对并(可选)修正偏差")
    .option("-p, --period <YYYY-MM>", "只核对某个月(默认全部月份)")
    .option("--fix", "发现偏差时用重新计算的结果覆盖")
    .option("--json", "输出JSON")
    .action(async (opts: { period?: string; fix?: boolean; json?: boolean }) => {
      const month = opts.period ? parseMonth(opts.period) : undefined;
      if (opts.period && !month) throw new UsageError(`--period 应为 YYYY-MM,收到“${opts.period}”。`);
      const services = servicesFromEnvironment();
      const result = await reconcile(services.stores, {
        month,
        fix: opts.fix ?? false,
        shards: services.config.ROLLUP_SHARDS,
      });
      if (opts.json) {
        ctx.io.out(`${JSON.stringify(result)}\n`);
      } else {
        ctx.io.out(`核对了${result.returns}份月报、${result.rollupsChecked}个汇总项。\n`);
        if (!result.drift.length && !result.chains.length && !result.misindexed) {
          ctx.io.out("汇总与月报数据完全一致,没有偏差。\n");
        }
        for (const c of result.chains) {
          ctx.io.out(`月报链接过时:${c.unit} ${c.period}:${c.fields.join("、")}\n`);
        }
        if (result.misindexed) ctx.io.out(`有${result.misindexed}份月报的索引键为旧格式。\n`);
        for (const d of result.drift) {
          const parts = Object.entries(d.counters).map(([k, [a, b]]) => `${k} 存${a} 应为${b}`);
          ctx.io.out(`偏差:${d.scope} ${d.month}:${parts.join(";")}\n`);
        }
        if (result.fixed) ctx.io.out(`已修正${result.fixed}项(汇总项、月报链接与索引键)。\n`);
      }
      const found = result.drift.length + result.chains.length + result.misindexed;
      ctx.setExit(found && !opts.fix ? 1 : 0);
    });
}
