/**
 * `dangjian review list|approve|return|confirm|unlock`: 逐级审核 through the API (a 片区 key
 * approves or returns its units' returns; ops confirm and unlock a 片区's month).
 */
import type { Command } from "commander";
import { z } from "zod";
import { ApiCallError, apiJson, apiTarget } from "../support/api-client.ts";
import type { CommandContext } from "../support/command.ts";
import { formatTable } from "../support/table.ts";
import { UsageError } from "../support/usage-error.ts";

const listSchema = z.object({
  scope: z.object({ code: z.string(), name: z.string() }),
  period: z.string(),
  counts: z.record(z.string(), z.number()),
  units: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      state: z.string(),
      state_name: z.string(),
      version: z.string().nullable(),
      reason: z.string().nullable(),
    }),
  ),
});
const decisionSchema = z.object({ state: z.string(), outcome: z.string() });
const lockSchema = z.object({
  state: z.string(),
  by: z.string(),
  at: z.string(),
  unreported: z.array(z.string()),
});

interface Target {
  endpoint?: string;
  key?: string;
}

function withTarget(cmd: Command): Command {
  return cmd
    .option("--endpoint <地址>", "接口地址(默认取 DANGJIAN_ENDPOINT,否则 http://localhost:3000)")
    .option("--key <密钥>", "接口密钥(默认取 DANGJIAN_KEY)");
}

async function run(ctx: CommandContext, job: () => Promise<void>): Promise<void> {
  try {
    await job();
  } catch (err) {
    if (!(err instanceof ApiCallError)) throw err;
    ctx.io.err(`错误:${err.message}\n`);
    ctx.setExit(1);
  }
}

export function registerReview(program: Command, ctx: CommandContext): void {
  const review = program.command("review").description("逐级审核:片区审核单位月报,市级确认锁定某月");

  withTarget(review.command("list").description("列出某月各单位的审核状态"))
    .requiredOption("--period <月份>", "月份,如 2026-10")
    .option("--scope <代码>", "片区或根单位(默认为密钥所属单位)")
    .action(async (opts: Target & { period: string; scope?: string }) =>
      run(ctx, async () => {
        const q = new URLSearchParams({ period: opts.period, ...(opts.scope ? { scope: opts.scope } : {}) });
        const out = await apiJson(apiTarget(opts), listSchema, "GET", `/v1/reviews?${q}`);
        ctx.io.out(
          `${out.scope.name} ${out.period}:${Object.entries(out.counts)
            .filter(([, n]) => n)
            .map(([s, n]) => `${out.units.find((u) => u.state === s)?.state_name ?? s}${n}个`)
            .join(",")}\n`,
        );
        ctx.io.out(
          formatTable([
            ["单位代码", "单位名称", "状态", "版本", "退回理由"],
            ...out.units.map((u) => [u.code, u.name, u.state_name, u.version ?? "", u.reason ?? ""]),
          ]),
        );
      }),
    );

  for (const action of ["approve", "return"] as const) {
    withTarget(
      review
        .command(action)
        .description(action === "approve" ? "审核通过某单位某月的月报" : "退回某单位某月的月报(须写理由)")
        .argument("<单位代码>"),
    )
      .requiredOption("--period <月份>", "月份,如 2026-10")
      .requiredOption("--version <版本>", "review list 显示的当前版本")
      .option("--reason <理由>", "退回理由(单位可见)")
      .option("--by <姓名>", "审核人姓名")
      .action(
        async (
          unit: string,
          opts: Target & { period: string; version: string; reason?: string; by?: string },
        ) => {
          if (action === "return" && !opts.reason) throw new UsageError("退回修改须用 --reason 写明理由。");
          await run(ctx, async () => {
            const out = await apiJson(apiTarget(opts), decisionSchema, "POST", "/v1/reviews", {
              unit,
              period: opts.period,
              action,
              version: opts.version,
              ...(opts.reason ? { reason: opts.reason } : {}),
              ...(opts.by ? { by: opts.by } : {}),
            });
            ctx.io.out(
              `${unit} ${opts.period}:${out.state === "approved" ? "已审核通过" : "已退回修改"}${out.outcome === "unchanged" ? "(此前已如此)" : ""}\n`,
            );
          });
        },
      );
  }

  for (const action of ["confirm", "unlock"] as const) {
    withTarget(
      review
        .command(action)
        .description(action === "confirm" ? "市级确认并锁定某片区某月的数据" : "解锁某片区某月(须写理由)")
        .argument("<片区代码>"),
    )
      .requiredOption("--period <月份>", "月份,如 2026-10")
      .option("--reason <理由>", "解锁理由")
      .option("--by <姓名>", "确认人姓名")
      .action(async (scope: string, opts: Target & { period: string; reason?: string; by?: string }) => {
        if (action === "unlock" && !opts.reason) throw new UsageError("解锁须用 --reason 写明理由。");
        await run(ctx, async () => {
          const out = await apiJson(apiTarget(opts), lockSchema, "POST", "/v1/locks", {
            scope,
            period: opts.period,
            action,
            ...(opts.reason ? { reason: opts.reason } : {}),
            ...(opts.by ? { by: opts.by } : {}),
          });
          ctx.io.out(
            action === "confirm"
              ? `${scope} ${opts.period} 已市级确认并锁定${out.unreported.length ? `(未报:${out.unreported.join("、")})` : ""}。\n`
              : `${scope} ${opts.period} 已解锁。\n`,
          );
        });
      });
  }
}
