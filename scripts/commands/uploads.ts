/**
 * `dangjian uploads [--status failed]`: the upload records the API lists (GET /v1/uploads), as a
 * Chinese table; `--status failed` finds the uploads processing gave up on, across every scope.
 */
import type { Command } from "commander";
import { z } from "zod";
import { uploadSchema } from "../../lib/api/schemas.ts";
import { ApiCallError, apiJson, apiTarget } from "../support/api-client.ts";
import type { CommandContext } from "../support/command.ts";
import { formatTable } from "../support/table.ts";
import { UsageError } from "../support/usage-error.ts";

const STATUS_NAMES: Record<string, string> = {
  awaiting_file: "等待文件",
  received: "审核中",
  validated: "汇总中",
  aggregated: "已汇总",
  rejected: "未通过",
  failed: "处理失败",
};

const listSchema = z.object({ uploads: z.array(uploadSchema) });

export function registerUploads(program: Command, ctx: CommandContext): void {
  program
    .command("uploads")
    .description("列出上传记录(--status failed 列出处理失败、待重新处理的上传)")
    .option("--unit <单位代码>", "上传前缀单位(默认为密钥所属单位;运维密钥为全部)")
    .option(
      "--status <状态>",
      "只看某一状态:awaiting_file、received、validated、aggregated、rejected、failed",
    )
    .option("--limit <条数>", "最多列出几条(1–200)", "50")
    .option("--json", "输出 JSON")
    .option("--endpoint <地址>", "接口地址(默认取 DANGJIAN_ENDPOINT,否则 http://localhost:3000)")
    .option("--key <密钥>", "接口密钥(默认取 DANGJIAN_KEY)")
    .action(
      async (opts: {
        unit?: string;
        status?: string;
        limit: string;
        json?: boolean;
        endpoint?: string;
        key?: string;
      }) => {
        if (opts.status && !(opts.status in STATUS_NAMES)) {
          throw new UsageError(
            `--status 应为 ${Object.keys(STATUS_NAMES).join("、")} 之一,收到“${opts.status}”。`,
          );
        }
        const params = new URLSearchParams({ limit: opts.limit });
        if (opts.unit) params.set("unit", opts.unit);
        if (opts.status) params.set("status", opts.status);
        try {
          const { uploads } = await apiJson(apiTarget(opts), listSchema, "GET", `/v1/uploads?${params}`);
          if (opts.json) {
            ctx.io.out(`${JSON.stringify(uploads)}\n`);
            return;
          }
          if (!uploads.length) {
            ctx.io.out("没有符合条件的上传记录。\n");
            return;
          }
          ctx.io.out(
            formatTable([
              ["上传编号", "单位", "状态", "申请时间", "行数", "文件名", "原因"],
              ...uploads.map((u) => [
                u.uploadId,
                u.scope,
                STATUS_NAMES[u.status] ?? u.status,
                u.receivedAt,
                String(u.summary?.rows ?? ""),
                u.fileName ?? "",
                u.error ?? "",
              ]),
            ]),
          );
          if (opts.status === "failed")
            ctx.io.out("\n处理恢复后,运维人员可运行 dangjian redrive 重新处理。\n");
        } catch (err) {
          if (!(err instanceof ApiCallError)) throw err;
          ctx.io.err(`错误:${err.message}\n`);
          ctx.setExit(1);
        }
      },
    );
}
