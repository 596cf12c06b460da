/**
 * POST /v1/uploads/{id}/explanations: a 说明 for rows that needed one, without retyping them.
 * The server takes those rows from the stored upload, sets their 说明 and sends them as a new
 * upload (new id, same scope and month, the same record and S3 layout as POST /v1/uploads), so
 * they go through the same pipeline. The new upload's id is derived from the source upload and
 * the 说明 given, so a form sent twice (a double click, a retried request, the browser's resend)
 * finds the upload the first one made instead of filing the rows again.
 * GET /v1/uploads/{id}/file: a link to the file as uploaded.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import {
  explainedRows,
  type WaitingRows,
  waitingRowsOfCsv,
  waitingRowsSchema,
} from "../../ingest/resubmit.ts";
import { parseUploadKey, reportKeys, UPLOAD_ID } from "../../objects.ts";
import type { UploadRecord } from "../../ports.ts";
import { issueUpload } from "../../write/uploads.ts";
import { type RequestContext, requirePermission } from "../context.ts";
import { BadRequest, NotFound } from "../errors.ts";
import { jsonResponse } from "../http.ts";
import { defineRoute, type Route } from "../router.ts";
import { errorSchema } from "../schemas.ts";

const idParams = z.strictObject({
  id: z
    .string()
    .regex(UPLOAD_ID, { error: "上传编号格式不正确" })
    .meta({ description: "上传编号(uploadId)" }),
});

/** The part of a stored report this route reads (both the full and the bounded report have it). */
const reportRows = z.object({
  rows: z.array(z.object({ row: z.number().int(), outcome: z.string() })),
});

async function uploadFor(ctx: RequestContext, id: string, action: "read" | "upload"): Promise<UploadRecord> {
  const record = await ctx.deps.stores.uploads.getUpload(id);
  if (!record) throw new NotFound(`没有编号为“${id}”的上传。`);
  requirePermission(ctx, { action, scope: record.scope });
  return record;
}

/**
 * The rows of `source` a 说明 can be given for: as the pipeline kept them when it read the file (any
 * format), or, for an upload checked before it kept them, from the CSV file itself.
 */
async function waitingRowsOf(
  ctx: RequestContext,
  source: UploadRecord,
): Promise<{ ok: true; rows: WaitingRows } | { ok: false; message: string }> {
  const key = reportKeys(source.uploadId).waiting;
  if (await ctx.deps.objects.exists(key)) {
    const text = Buffer.from(await ctx.deps.objects.getBytes(key)).toString("utf8");
    return { ok: true, rows: waitingRowsSchema.parse(JSON.parse(text)) };
  }
  if (parseUploadKey(source.key)?.format !== "csv") {
    return { ok: false, message: "这份工作簿的原始行未能保留,请在原表“说明”列中填写后重新上传。" };
  }
  return waitingRowsOfCsv(await ctx.deps.objects.getBytes(source.key));
}

/** One entry per row (a row given twice keeps its last text), in row order. */
function distinctRows<T extends { readonly row: number }>(rows: readonly T[]): T[] {
  return [...new Map(rows.map((r) => [r.row, r])).values()].sort((a, b) => a.row - b.row);
}

/**
 * The id of the upload that carries these 说明 for rows of `source`: the same rows with the same
 * text (in any order, repeated or not) give the same id, anything else another one.
 */
export function explanationUploadId(
  source: string,
  rows: readonly { readonly row: number; readonly explanation: string }[],
): string {
  const hash = createHash("sha256").update(`explanations\n${source}\n`);
  for (const r of distinctRows(rows)) hash.update(`${r.row}\t${r.explanation.length}\t${r.explanation}\n`);
  return hash.digest().subarray(0, 16).toString("base64url");
}

const created = z.object({
  uploadId: z.string(),
  key: z.string(),
  source: z.string(),
  rows: z.number().int(),
  replayed: z.boolean().meta({ description: "true:同样的说明此前已提交过,返回的是那次的上传" }),
});

const explanationsRoute = defineRoute({
  method: "POST",
  path: "/v1/uploads/{id}/explanations",
  tag: "上传",
  summary: "提交说明:为待说明的行补充说明,服务器用原文件中的这些行重新提交(返回新的上传编号)",
  params: idParams,
  bodyMedia: "json",
  body: z.strictObject({
    rows: z
      .array(
        z.strictObject({
          row: z.number().int().min(1).meta({ description: "审核报告中的行号" }),
          explanation: z.string().trim().min(1).max(500).meta({ description: "说明(不超过500字)" }),
        }),
      )
      .min(1)
      .max(200),
  }),
  responses: {
    201: { description: "已重新提交", schema: created },
    200: { description: "同样的说明此前已提交过:返回那次的上传,不再重复提交", schema: created },
    400: { description: "某行不是待说明的行,或原文件无法读取", schema: errorSchema },
    403: { description: "不能为该单位上传", schema: errorSchema },
    404: { description: "没有这次上传", schema: errorSchema },
  },
  async handle({ params, body }, ctx) {
    const source = await uploadFor(ctx, params.id, "upload");
    const parsedKey = parseUploadKey(source.key);
    if (!source.reportKey || !parsedKey) throw new BadRequest("这次上传还没有审核报告,暂不能提交说明。");
    const report = reportRows.parse(
      JSON.parse(Buffer.from(await ctx.deps.objects.getBytes(source.reportKey)).toString("utf8")),
    );
    const waiting = new Set(report.rows.filter((r) => r.outcome === "needs_explanation").map((r) => r.row));
    const rows = distinctRows(body.rows);
    const wrong = rows.filter((r) => !waiting.has(r.row)).map((r) => r.row);
    if (wrong.length) {
      throw new BadRequest(`第${wrong.join("、")}行不是待说明的行(只有核实性提示未说明的行可以这样补充)。`, [
        { field: "rows", message: "只能为待说明的行提交说明" },
      ]);
    }
    const id = explanationUploadId(source.uploadId, rows);
    const earlier = await ctx.deps.stores.uploads.getUpload(id);
    const answer = (status: 200 | 201, key: string) =>
      jsonResponse(status, {
        uploadId: id,
        key,
        source: source.uploadId,
        rows: rows.length,
        replayed: status === 200,
      });
    // Sent before and its file arrived: that upload is the answer, nothing is filed again.
    if (earlier?.bytes !== undefined) return answer(200, earlier.key);
    const waitingRows = await waitingRowsOf(ctx, source);
    if (!waitingRows.ok) throw new BadRequest(waitingRows.message);
    const built = explainedRows(waitingRows.rows, rows);
    if (!built.ok) throw new BadRequest(built.message);
    if (earlier) {
      // Sent before, but the file never reached storage (the request died in between): the same
      // bytes again, under the key already issued. A duplicate arrival is one upload to the pipeline.
      await ctx.deps.objects.put(earlier.key, built.csv, "text/csv");
      return answer(200, earlier.key);
    }
    // The record first (issueUpload, as POST /v1/uploads does): the pipeline takes an upload's
    // authority from it when the file arrives.
    const { key } = await issueUpload(ctx.deps.stores.uploads, {
      uploadId: id,
      scope: source.scope,
      period: parsedKey.period,
      issuedBy: ctx.principal.keyId,
      fileName: `说明-${source.fileName ?? `${source.uploadId}.csv`}`.slice(0, 200),
      at: ctx.now,
    });
    await ctx.deps.objects.put(key, built.csv, "text/csv");
    return answer(201, key);
  },
});

const uploadFileRoute = defineRoute({
  method: "GET",
  path: "/v1/uploads/{id}/file",
  tag: "上传",
  summary: "上传的原文件的下载链接(预签名,限时有效)",
  params: idParams,
  responses: {
    200: {
      description: "下载链接",
      schema: z.object({ url: z.string(), expiresAt: z.string(), fileName: z.string() }),
    },
    403: { description: "不是本单位的上传", schema: errorSchema },
    404: { description: "没有这次上传,或文件尚未到达", schema: errorSchema },
  },
  async handle({ params }, ctx) {
    const record = await uploadFor(ctx, params.id, "read");
    if (record.bytes === undefined) throw new NotFound("这次上传的文件尚未到达。");
    const seconds = ctx.deps.settings.presignSeconds;
    const fileName = record.fileName ?? `${record.uploadId}.csv`;
    const url = await ctx.deps.objects.presignGet(record.key, seconds, fileName);
    return jsonResponse(200, {
      url,
      fileName,
      expiresAt: new Date(ctx.now.getTime() + seconds * 1000).toISOString(),
    });
  },
});

/** This resource's routes, in the order the documentation lists them. */
export const explanationRoutes: readonly Route[] = [explanationsRoute, uploadFileRoute];
