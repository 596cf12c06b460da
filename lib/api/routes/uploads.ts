/**
 * Uploads: POST /v1/uploads hands out a presigned POST form (content type and size bound by its
 * policy) under the caller's own prefix
 * (incoming/{unit}/{period}/{uploadId}.{csv|xlsx|xls}, the suffix from `format` or the file name), so the S3 trigger knows whose file it is and rejects
 * rows for units outside that subtree (E_UNIT_FORBIDDEN). GET answers with status and report.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { addMonths, monthOf } from "../../domain/periods.ts";
import { type IssuePage, pageOfIssues, type ValidationReport } from "../../ingest/report.ts";
import {
  formatOfFileName,
  reportKeys,
  UPLOAD_CONTENT_TYPES,
  UPLOAD_FORMATS,
  UPLOAD_ID,
} from "../../objects.ts";
import type { UploadRecord } from "../../ports.ts";
import { issueUpload } from "../../write/uploads.ts";
import { requirePermission, requireScope, SCOPE_RESPONSES } from "../context.ts";
import { NotFound } from "../errors.ts";
import { type CsvRow, csvResponse, jsonResponse } from "../http.ts";
import { format, issuePaging, limit, monthSpec, unitCode } from "../params.ts";
import { resolveMonth } from "../periods.ts";
import { defineRoute, type Route } from "../router.ts";
import {
  errorSchema,
  reportSchema,
  uploadCreatedSchema,
  uploadSchema,
  uploadStatusSchema,
} from "../schemas.ts";

const STATUSES = ["awaiting_file", "received", "validated", "aggregated", "rejected", "failed"] as const;

/** The API records the upload before the file exists; until S3 delivers it, it has no size. */
export function uploadView(record: UploadRecord) {
  const { eTag: _eTag, encoding: _encoding, reportKey: _reportKey, objectTime: _time, ...shown } = record;
  const awaiting = record.status === "received" && record.bytes === undefined;
  return { ...shown, status: awaiting ? ("awaiting_file" as const) : record.status };
}

const createUploadRoute = defineRoute({
  method: "POST",
  path: "/v1/uploads",
  tag: "上传",
  summary: "申请上传地址:返回预签名的 POST 表单,文件上传后自动审核并汇总",
  description:
    "向返回的 url 以 POST(multipart/form-data)上传月报文件(CSV 或 Excel 工作簿):先按原样放入 fields 中的各字段,最后放文件字段 file。" +
    "策略限定了文件类型和大小(不超过 maxBytes),其他请求会被存储拒绝。之后轮询 GET /v1/uploads/{id}," +
    "状态依次为 awaiting_file → received → validated → aggregated(或 rejected;多次处理出错为 failed,见 error)。" +
    "单位密钥只能上传到本单位(或其下级)的前缀;文件中其他单位的行会被拒收(E_UNIT_FORBIDDEN)。",
  bodyMedia: "json",
  body: z.strictObject({
    unit: unitCode.optional().meta({ description: "上传前缀单位;不填为密钥所属单位(运维密钥为根单位)" }),
    period: monthSpec.optional().meta({ description: "报送月份(用于文件归档);不填为上月" }),
    fileName: z.string().trim().max(200).optional().meta({ description: "原文件名,便于查阅" }),
    format: z.enum(UPLOAD_FORMATS).optional().meta({
      description: "文件格式 csv、xlsx 或 xls(.xlsm 按 xlsx);不填时按 fileName 的扩展名,都没有为 csv",
    }),
  }),
  responses: {
    ...SCOPE_RESPONSES,
    201: {
      description: "上传地址",
      schema: uploadCreatedSchema,
    },
    400: { description: "参数有误", schema: errorSchema },
    403: { description: "不能为该单位上传", schema: errorSchema },
  },
  async handle({ body }, ctx) {
    const unit = requireScope(ctx, body.unit, "upload");
    const period = body.period ? await resolveMonth(ctx, body.period) : addMonths(monthOf(ctx.now), -1);
    const uploadId = randomBytes(16).toString("base64url");
    const { settings } = ctx.deps;
    const fileFormat = body.format ?? formatOfFileName(body.fileName);
    const { key } = await issueUpload(ctx.deps.stores.uploads, {
      uploadId,
      scope: unit.code,
      period,
      issuedBy: ctx.principal.keyId,
      fileName: body.fileName,
      format: fileFormat,
      at: ctx.now,
    });
    const form = await ctx.deps.objects.presignPost(key, settings.presignSeconds, {
      contentType: UPLOAD_CONTENT_TYPES[fileFormat],
      maxBytes: settings.maxUploadBytes,
    });
    return jsonResponse(201, {
      uploadId,
      key,
      url: form.url,
      method: "POST",
      fields: form.fields,
      expiresAt: new Date(ctx.now.getTime() + settings.presignSeconds * 1000).toISOString(),
      maxBytes: settings.maxUploadBytes,
    });
  },
});

const listUploadsRoute = defineRoute({
  method: "GET",
  path: "/v1/uploads",
  tag: "上传",
  summary: "上传记录(按上传前缀单位,最新在前)",
  query: z.strictObject({
    unit: unitCode.optional().meta({ description: "上传前缀单位;不填为密钥所属单位(运维密钥为根单位)" }),
    status: z.enum(STATUSES).optional().meta({ description: "只看某一状态" }),
    limit,
    format,
  }),
  responses: {
    ...SCOPE_RESPONSES,
    200: { description: "上传记录", schema: z.object({ uploads: z.array(uploadSchema) }), csv: true },
    403: { description: "超出密钥可查询的范围", schema: errorSchema },
  },
  async handle({ query }, ctx) {
    const unit = requireScope(ctx, query.unit, "read");
    // Failed uploads have a list of their own across every scope (ops redrive them); other status
    // filters look further back in the scope's list, then keep the newest `limit` matches.
    const records =
      query.status === "failed"
        ? (await ctx.deps.stores.uploads.listFailed(200)).filter((r) =>
            ctx.registry.contains(unit.code, r.scope),
          )
        : await ctx.deps.stores.uploads.listUploads(unit.code, query.status ? 200 : query.limit);
    const uploads = records
      .map(uploadView)
      .filter((u) => !query.status || u.status === query.status)
      .slice(0, query.limit);
    if (query.format === "csv") {
      const rows: CsvRow[] = [
        ["上传编号", "单位代码", "文件名", "状态", "申请时间", "行数", "已接收", "待说明", "未通过"],
      ];
      for (const u of uploads) {
        rows.push([
          u.uploadId,
          u.scope,
          u.fileName ?? "",
          u.status,
          u.receivedAt,
          u.summary?.rows,
          u.summary?.accepted,
          u.summary?.needs_explanation,
          u.summary?.rejected,
        ]);
      }
      return csvResponse(`上传记录-${unit.code}.csv`, rows);
    }
    return jsonResponse(200, { uploads });
  },
});

const getUploadRoute = defineRoute({
  method: "GET",
  path: "/v1/uploads/{id}",
  tag: "上传",
  summary: "一次上传的状态与审核报告(摘要与一页问题)",
  query: z.strictObject(issuePaging),
  params: z.strictObject({
    id: z
      .string()
      .regex(UPLOAD_ID, { error: "上传编号格式不正确" })
      .meta({ description: "上传编号(uploadId)" }),
  }),
  responses: {
    200: {
      description: "状态与审核报告(审核完成前 report 为 null)",
      schema: uploadStatusSchema,
    },
    403: { description: "不是本单位的上传", schema: errorSchema },
    404: { description: "没有这次上传", schema: errorSchema },
  },
  async handle({ params, query }, ctx) {
    const record = await ctx.deps.stores.uploads.getUpload(params.id);
    if (!record) throw new NotFound(`没有编号为“${params.id}”的上传。`);
    requirePermission(ctx, { action: "read", scope: record.scope });
    let report: Omit<ValidationReport, "issues"> | null = null;
    let issues: IssuePage | null = null;
    let reportCsvUrl: string | null = null;
    let reportXlsxUrl: string | null = null;
    if (record.reportKey) {
      const bytes = await ctx.deps.objects.getBytes(record.reportKey);
      // Written by the pipeline, but read back through the schema: a bad object is a fault, not an answer.
      const stored = reportSchema.parse(JSON.parse(Buffer.from(bytes).toString("utf8"))) as ValidationReport;
      const split = pageOfIssues(stored, query.offset, query.limit);
      report = split.summary;
      issues = split.page;
      reportCsvUrl = await ctx.deps.objects.presignGet(
        reportKeys(record.uploadId).csv,
        ctx.deps.settings.presignSeconds,
        `审核报告-${record.uploadId}.csv`,
      );
      // Uploads processed before annotated reports existed have none.
      const xlsx = reportKeys(record.uploadId).xlsx;
      if (await ctx.deps.objects.exists(xlsx)) {
        reportXlsxUrl = await ctx.deps.objects.presignGet(
          xlsx,
          ctx.deps.settings.presignSeconds,
          `审核意见-${record.uploadId}.xlsx`,
        );
      }
    }
    return jsonResponse(200, { upload: uploadView(record), report, issues, reportCsvUrl, reportXlsxUrl });
  },
});

/** This resource's routes, in the order the documentation lists them. */
export const uploadRoutes: readonly Route[] = [createUploadRoute, listUploadsRoute, getUploadRoute];
