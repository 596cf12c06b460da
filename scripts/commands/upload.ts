/**
 * `dangjian upload FILE`: asks the API for an upload form, POSTs the file there unchanged (any
 * encoding), waits while the pipeline checks and aggregates it, and prints the Chinese report.
 * Exit 0 only when every row was accepted.
 */
import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import type { Command } from "commander";
import type { z } from "zod";
import { uploadCreatedSchema, uploadStatusSchema } from "../../lib/api/schemas.ts";
import { postUploadForm } from "../../lib/aws/upload-form.ts";
import { formatReport, type ValidationReport } from "../../lib/ingest/report.ts";
import { ApiCallError, apiJson, apiTarget } from "../support/api-client.ts";
import type { CommandContext } from "../support/command.ts";
import { UsageError } from "../support/usage-error.ts";

const STATUS_NAMES: Record<string, string> = {
  awaiting_file: "等待文件到达",
  received: "已收到,审核中",
  validated: "审核完毕,汇总中",
  aggregated: "已汇总",
  rejected: "未通过审核",
  failed: "处理失败",
};

const APPLIED_NAMES: Record<string, string> = {
  inserted: "新增",
  replaced: "更正替换",
  duplicate: "与已报数据相同",
  stale: "晚于已报版本到达、未采用",
  stale_earlier: "晚于已报版本到达、未采用",
  repaired: "修复关联",
};

export interface UploadOptions {
  endpoint?: string;
  key?: string;
  period?: string;
  unit?: string;
  timeout: string;
  json?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type IssuePage = NonNullable<z.output<typeof uploadStatusSchema>["issues"]>;

/** Every issue the report kept (at most 1,000), page by page. */
async function allIssues(
  target: ReturnType<typeof apiTarget>,
  uploadId: string,
  first: IssuePage | null,
): Promise<ValidationReport["issues"]> {
  const items = [...(first?.items ?? [])] as ValidationReport["issues"][number][];
  let total = first?.total ?? 0;
  while (items.length < total) {
    const next = await apiJson(
      target,
      uploadStatusSchema,
      "GET",
      `/v1/uploads/${uploadId}?offset=${items.length}&limit=200`,
    );
    const page = next.issues;
    if (!page || page.items.length === 0) break;
    items.push(...(page.items as ValidationReport["issues"][number][]));
    total = page.total;
  }
  return items;
}

export function registerUpload(program: Command, ctx: CommandContext): void {
  program
    .command("upload")
    .description("上传月报表CSV:自动审核并汇总,显示审核意见;全部通过时退出码为0")
    .argument("<文件>", "要上传的CSV文件(Excel/WPS 另存的原文件即可)")
    .option("--endpoint <地址>", "接口地址(默认取 DANGJIAN_ENDPOINT,否则 http://localhost:3000)")
    .option("--key <密钥>", "接口密钥(默认取 DANGJIAN_KEY)")
    .option("--period <月份>", "报送月份,如 2026-10(用于归档,默认上月)")
    .option("--unit <单位代码>", "以哪个单位的名义上传(默认为密钥所属单位)")
    .option("--timeout <秒>", "最长等待审核的时间", "300")
    .option("--json", "输出 JSON(上传记录与审核报告)")
    .action(async (file: string, opts: UploadOptions) => {
      const target = apiTarget(opts);
      const timeoutMs = Number(opts.timeout) * 1000;
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError("--timeout 应为正数(秒)。");
      let bytes: Buffer;
      try {
        if (!(await stat(file)).isFile()) throw new Error("not a file");
        bytes = await readFile(file);
      } catch {
        throw new UsageError(`找不到文件“${file}”。`);
      }
      const fileName = basename(file);
      const say = (line: string) => ctx.io.err(`${line}\n`);
      try {
        const created = await apiJson(target, uploadCreatedSchema, "POST", "/v1/uploads", {
          fileName,
          ...(opts.period ? { period: opts.period } : {}),
          ...(opts.unit ? { unit: opts.unit } : {}),
        });
        if (bytes.length > created.maxBytes) {
          throw new UsageError(
            `文件有 ${(bytes.length / 1048576).toFixed(1)} MB,超过上限 ${(created.maxBytes / 1048576).toFixed(0)} MB。`,
          );
        }
        say(`上传编号 ${created.uploadId},正在上传 ${(bytes.length / 1024).toFixed(1)} KB …`);
        const put = await postUploadForm(created, new Uint8Array(bytes), fileName).catch((err: unknown) => {
          throw new ApiCallError(
            `无法上传到存储(${err instanceof Error ? err.message : String(err)})。`,
            0,
            "E_NETWORK",
          );
        });
        if (!put.ok) {
          throw new ApiCallError(
            `上传失败(存储返回 HTTP ${put.status}),上传地址可能已过期,请重试。`,
            put.status,
            "E_PUT",
          );
        }
        say("已上传,等待审核 …");
        const deadline = Date.now() + timeoutMs;
        let shown = "";
        for (let wait = 300; ; wait = Math.min(2000, wait * 1.5)) {
          const state = await apiJson(target, uploadStatusSchema, "GET", `/v1/uploads/${created.uploadId}`);
          const status = state.upload.status;
          if (status !== shown) {
            say(`状态:${STATUS_NAMES[status] ?? status}`);
            shown = status;
          }
          if (status === "failed") {
            ctx.io.err(`错误:${state.upload.error ?? "处理失败。"}(上传编号 ${created.uploadId})\n`);
            ctx.setExit(1);
            return;
          }
          if ((status === "aggregated" || status === "rejected") && state.report) {
            const report: ValidationReport = {
              ...(state.report as Omit<ValidationReport, "issues">),
              issues: await allIssues(target, created.uploadId, state.issues),
            };
            if (opts.json) ctx.io.out(`${JSON.stringify(state)}\n`);
            else {
              ctx.io.out(`${formatReport(report, fileName)}\n`);
              const applied = Object.entries(state.upload.applied ?? {}).filter(([, n]) => n > 0);
              if (applied.length) {
                ctx.io.out(`\n入库:${applied.map(([k, n]) => `${APPLIED_NAMES[k] ?? k}${n}份`).join(",")}\n`);
              }
              if (state.reportCsvUrl) ctx.io.out(`审核报告(CSV)下载:${state.reportCsvUrl}\n`);
            }
            ctx.setExit(status === "aggregated" && report.status === "accepted" ? 0 : 1);
            return;
          }
          if (Date.now() > deadline) {
            ctx.io.err(
              `错误:等待 ${opts.timeout} 秒仍未审核完毕。稍后可用上传编号 ${created.uploadId} 查询。\n`,
            );
            ctx.setExit(1);
            return;
          }
          await sleep(wait);
        }
      } catch (err) {
        if (!(err instanceof ApiCallError)) throw err;
        ctx.io.err(`错误:${err.message}\n`);
        ctx.setExit(1);
      }
    });
}
