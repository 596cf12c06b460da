/** Bulletins: the list, one bulletin with a download link, and (ops) a re-render. */
import { z } from "zod";
import { yearOf } from "../../domain/periods.ts";
import type { BulletinRecord } from "../../ports.ts";
import { requirePermission, requireScope, SCOPE_RESPONSES } from "../context.ts";
import { NotFound, Unavailable } from "../errors.ts";
import { jsonResponse } from "../http.ts";
import { monthSpec, unitCode } from "../params.ts";
import { resolveMonth } from "../periods.ts";
import { defineRoute } from "../router.ts";
import { bulletinSchema, errorSchema } from "../schemas.ts";

const scopeParam = unitCode
  .optional()
  .meta({ description: "简报所属单位;不填为密钥所属单位(运维密钥为根单位)" });
const periodParam = z.strictObject({ period: monthSpec });

function bulletinView(record: BulletinRecord) {
  return {
    scope: record.scope,
    period: record.period,
    issue_number: record.issueNumber,
    revision: record.revision,
    pages: record.pages,
    bytes: record.bytes,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}

export const listBulletinsRoute = defineRoute({
  method: "GET",
  path: "/v1/bulletins",
  tag: "简报",
  summary: "已生成的简报(最新在前)",
  query: z.strictObject({ scope: scopeParam }),
  responses: {
    ...SCOPE_RESPONSES,
    200: {
      description: "简报列表",
      schema: z.object({
        scope: z.object({ code: z.string(), name: z.string() }),
        bulletins: z.array(bulletinSchema),
      }),
    },
    403: { description: "超出密钥可查询的范围", schema: errorSchema },
  },
  async handle({ query }, ctx) {
    const unit = requireScope(ctx, query.scope, "read");
    const records = await ctx.deps.stores.bulletins.listBulletins(unit.code);
    return jsonResponse(200, {
      scope: { code: unit.code, name: unit.name },
      bulletins: records.map(bulletinView),
    });
  },
});

export const getBulletinRoute = defineRoute({
  method: "GET",
  path: "/v1/bulletins/{period}",
  tag: "简报",
  summary: "某月简报的信息与下载链接(预签名,限时有效)",
  params: periodParam,
  query: z.strictObject({ scope: scopeParam }),
  responses: {
    ...SCOPE_RESPONSES,
    200: {
      description: "简报信息",
      schema: bulletinSchema.extend({ url: z.string(), expiresAt: z.string(), fileName: z.string() }),
    },
    404: { description: "该月尚未生成简报", schema: errorSchema },
  },
  async handle({ params, query }, ctx) {
    const unit = requireScope(ctx, query.scope, "read");
    const month = await resolveMonth(ctx, params.period);
    const record = await ctx.deps.stores.bulletins.getBulletin(unit.code, month);
    if (!record) throw new NotFound(`“${unit.name}”${month} 的简报尚未生成。`);
    const fileName = `${unit.name}机关党建工作简报${yearOf(month)}年第${record.issueNumber}期.pdf`;
    const seconds = ctx.deps.settings.presignSeconds;
    const url = await ctx.deps.objects.presignGet(record.key, seconds, fileName);
    return jsonResponse(200, {
      ...bulletinView(record),
      fileName,
      url,
      expiresAt: new Date(ctx.now.getTime() + seconds * 1000).toISOString(),
    });
  },
});

export const renderBulletinRoute = defineRoute({
  method: "POST",
  path: "/v1/bulletins/{period}/render",
  tag: "简报",
  summary: "重新生成某月简报(仅运维密钥;异步执行,期号不变、版次加一)",
  params: periodParam,
  bodyMedia: "json",
  body: z.strictObject({ scope: scopeParam }),
  responses: {
    ...SCOPE_RESPONSES,
    202: {
      description: "已提交生成",
      schema: z.object({ status: z.literal("accepted"), scope: z.string(), period: z.string() }),
    },
    403: { description: "单位密钥不能生成简报", schema: errorSchema },
    503: { description: "未配置简报生成", schema: errorSchema },
  },
  async handle({ params, body }, ctx) {
    requirePermission(ctx, { action: "render" });
    const unit = requireScope(ctx, body.scope, "read");
    const period = await resolveMonth(ctx, params.period);
    const render = ctx.deps.renderBulletin;
    if (!render) throw new Unavailable("E_RENDER_UNAVAILABLE", "本环境未配置简报生成功能。");
    await render({ scope: unit.code, period });
    return jsonResponse(202, { status: "accepted", scope: unit.code, period });
  },
});
