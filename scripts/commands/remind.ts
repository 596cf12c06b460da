/**
 * `dangjian remind [--as-of DATE]`: the daily 催报 run by hand, straight against the table (AWS
 * credentials, or a running `npm start`); the notices are printed instead of sent.
 */
import type { Command } from "commander";
import { sendReminders } from "../../lib/workflow/remind-service.ts";
import type { CommandContext } from "../support/command.ts";
import { UsageError } from "../support/usage-error.ts";
import { servicesFromEnvironment } from "./services.ts";

export function registerRemind(program: Command, ctx: CommandContext): void {
  program
    .command("remind")
    .description("催报:列出并记录各片区尚未报送上月月报的单位(每个片区每天一次;通知打印到屏幕)")
    .option("--as-of <日期时间>", "按此时间运行(默认现在),如 2026-11-06T09:00:00+08:00")
    .action(async (opts: { asOf?: string }) => {
      const now = opts.asOf ? new Date(opts.asOf) : new Date();
      if (Number.isNaN(now.getTime())) throw new UsageError(`--as-of 不是有效的时间:“${opts.asOf}”。`);
      const services = servicesFromEnvironment();
      try {
        const outcome = await sendReminders(
          {
            registry: await services.registry(),
            returns: services.stores.returns,
            reminders: services.stores.reminders,
            notifier: {
              async notify(subject, body) {
                ctx.io.out(`== ${subject}\n${body}\n\n`);
              },
            },
            deadlineDay: services.config.DEADLINE_DAY,
            fromDay: services.config.REMIND_FROM_DAY,
            channel: "cli",
          },
          now,
        );
        if (!outcome.due) {
          ctx.io.out(
            `今天(${outcome.day})不是催报日:每月${services.config.REMIND_FROM_DAY}日起催报上月月报。\n`,
          );
        } else if (!outcome.sent.length) {
          ctx.io.out(
            outcome.alreadySent.length
              ? `今天已催报过:${outcome.alreadySent.join("、")}。\n`
              : `${outcome.month}的月报各单位均已报送,无需催报。\n`,
          );
        }
      } finally {
        services.clients.ddb.destroy();
        services.clients.s3.destroy();
      }
    });
}
