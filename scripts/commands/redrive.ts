/**
 * `dangjian redrive [--upload ID]`: processes failed uploads again, straight against the table and
 * the bucket (like reconcile: AWS credentials, or a running `npm start`). Each upload keeps the time
 * S3 first received its file, so 及时 is judged as it would have been.
 */
import type { Command } from "commander";
import { UPLOAD_ID } from "../../lib/objects.ts";
import type { UploadRecord } from "../../lib/ports.ts";
import { processUpload } from "../../lib/write/pipeline.ts";
import type { CommandContext } from "../support/command.ts";
import { UsageError } from "../support/usage-error.ts";
import { servicesFromEnvironment } from "./services.ts";

const OUTCOMES: Record<string, string> = {
  aggregated: "已重新审核并汇总",
  rejected: "已重新审核,未通过",
};

export function registerRedrive(program: Command, ctx: CommandContext): void {
  program
    .command("redrive")
    .description("重新处理“处理失败”的上传(默认全部;--upload 只处理一个)")
    .option("--upload <上传编号>", "只重新处理这一个上传")
    .option("--limit <条数>", "最多处理几个", "200")
    .action(async (opts: { upload?: string; limit: string }) => {
      if (opts.upload && !UPLOAD_ID.test(opts.upload))
        throw new UsageError(`上传编号格式不正确:“${opts.upload}”。`);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError("--limit 应为正整数。");
      const services = servicesFromEnvironment();
      try {
        let failed: UploadRecord[];
        if (opts.upload) {
          const one = await services.stores.uploads.getUpload(opts.upload);
          if (!one) throw new UsageError(`没有编号为“${opts.upload}”的上传。`);
          if (one.status !== "failed")
            throw new UsageError(`上传 ${opts.upload} 的状态是 ${one.status},不是“处理失败”。`);
          failed = [one];
        } else {
          failed = await services.stores.uploads.listFailed(limit);
        }
        if (!failed.length) {
          ctx.io.out("没有处理失败的上传。\n");
          return;
        }
        let problems = 0;
        for (const record of failed) {
          try {
            const result = await processUpload(
              {
                key: record.key,
                size: record.bytes ?? 0,
                eventTime: record.objectTime ?? record.receivedAt,
                eTag: record.eTag,
              },
              services.pipeline(),
            );
            const what =
              result.kind === "processed" ? (OUTCOMES[result.status] ?? result.status) : result.kind;
            ctx.io.out(`${record.uploadId}(${record.scope}):${what}\n`);
          } catch (err) {
            problems++;
            ctx.io.out(
              `${record.uploadId}(${record.scope}):仍然失败:${err instanceof Error ? err.message : String(err)}\n`,
            );
          }
        }
        ctx.io.out(`共重新处理${failed.length}个上传${problems ? `,其中${problems}个仍然失败` : ""}。\n`);
        ctx.setExit(problems ? 1 : 0);
      } finally {
        services.clients.ddb.destroy();
        services.clients.s3.destroy();
      }
    });
}
