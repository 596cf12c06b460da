/**
 * Bulletins and their 审签: the list, one bulletin (an edition of a month) with a download link,
 * the 典型案例 an editor can choose from, and (ops keys) render, edit, 签发 and 更正.
 *
 * A 送审稿 is for ops (editors and the 签发人): unit keys see issued bulletins only. Rendering is
 * asynchronous (the bulletin function): edit and sign store their change at once and answer 202;
 * the PDF follows within seconds (GET shows `edits.pending` / `status: signed` until it has).
 */
import { z } from "zod";
import { cleanStory, substantiveLength } from "../../bulletin/cases.ts";
import {
  bulletinFileName,
  correctBulletin,
  draftInput,
  editBulletin,
  signBulletin,
} from "../../bulletin/service.ts";
import {
  assertDraft,
  bulletinName,
  editionOf,
  hasPendingEdits,
  issueLabel,
  LIMITS,
  statusOf,
} from "../../bulletin/signoff.ts";
import type { Month } from "../../domain/periods.ts";
import type { Unit } from "../../domain/registry.ts";
import type { BulletinRecord } from "../../ports.ts";
import { type RequestContext, requirePermission, requireScope, SCOPE_RESPONSES } from "../context.ts";
import { Conflict, NotFound, Unavailable } from "../errors.ts";
import { jsonResponse } from "../http.ts";
import { monthSpec, unitCode } from "../params.ts";
import { resolveMonth } from "../periods.ts";
import { defineRoute, type ResponseDoc, type Route } from "../router.ts";
import { bulletinSchema, errorSchema } from "../schemas.ts";

const scopeParam = unitCode
  .optional()
  .meta({ description: "简报所属单位;不填为密钥所属单位(运维密钥为根单位)" });
const periodParam = z.strictObject({ period: monthSpec });
const editionParam = z.coerce
  .number()
  .int()
  .min(0)
  .max(99)
  .optional()
  .meta({ description: "第几次更正(0 或不填为本月简报;GET 不填为最新一版)" });
const editionBody = z
  .number()
  .int()
  .min(0)
  .max(99)
  .optional()
  .meta({ description: "第几次更正(0 或不填为本月简报)" });

const STATUS_LABELS = { draft: "送审稿", signed: "已签发", issued: "已印发" } as const;

/** What an ops key sees; a unit key sees issued bulletins only (a 送审稿 is not circulated). */
function visible(ctx: RequestContext, record: BulletinRecord): boolean {
  return ctx.principal.role === "ops" || statusOf(record) === "issued";
}

function bulletinView(record: BulletinRecord) {
  const status = statusOf(record);
  const edits = record.edits;
  const signature = record.signature;
  const correction = record.correction;
  return {
    scope: record.scope,
    period: record.period,
    edition: editionOf(record),
    status,
    status_label: STATUS_LABELS[status],
    issue_number: record.issueNumber > 0 ? record.issueNumber : null,
    issue: record.issueNumber > 0 ? issueLabel(record.period, record.issueNumber) : null,
    revision: record.revision,
    pages: record.pages,
    bytes: record.bytes,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    edits: {
      editor_note: edits?.editorNote ?? null,
      cases: edits?.cases ? [...edits.cases] : null,
      comment: edits?.comment ?? null,
      edited_by: edits?.editedBy ?? null,
      edited_at: edits?.editedAt ?? null,
      version: record.editVersion ?? 0,
      pending: hasPendingEdits(record),
    },
    signature: signature
      ? {
          signer: signature.signer,
          signed_at: signature.signedAt,
          issue_date: signature.issueDate,
          revision: signature.revision,
        }
      : null,
    correction: correction
      ? {
          edition: correction.edition,
          issue_number: correction.issueNumber,
          issue: issueLabel(record.period, correction.issueNumber),
          issue_date: correction.issueDate,
          reason: correction.reason,
        }
      : null,
    printed_cases: record.printedCases ? [...record.printedCases] : [],
    notified_at: record.notifiedAt ?? null,
  };
}

/** The edition a request names, or 404 in Chinese. */
async function requireEdition(
  ctx: RequestContext,
  unit: Unit,
  month: Month,
  edition: number | undefined,
): Promise<BulletinRecord> {
  const record = await ctx.deps.stores.bulletins.getBulletin(unit.code, month, edition ?? 0);
  if (!record) {
    throw new NotFound(
      edition
        ? `“${unit.name}”${month} 的简报没有第${edition}次更正。`
        : `“${unit.name}”${month} 的简报尚未生成。`,
    );
  }
  return record;
}

function requireRenderer(ctx: RequestContext) {
  const render = ctx.deps.renderBulletin;
  if (!render) throw new Unavailable("E_RENDER_UNAVAILABLE", "本环境未配置简报生成功能。");
  return render;
}

/** A run of the bulletin function for this edition (edition omitted for the month's own). */
function renderRequest(record: BulletinRecord) {
  const edition = editionOf(record);
  return { scope: record.scope, period: record.period, ...(edition ? { edition } : {}) };
}

const CONFLICT: ResponseDoc = {
  description: "简报已签发(签发后不可修改、不能重新生成,E_BULLETIN_SIGNED),或送审稿已变化",
  schema: errorSchema,
};
const UNAVAILABLE: ResponseDoc = { description: "未配置简报生成", schema: errorSchema };
const OPS_ONLY: ResponseDoc = { description: "只有运维密钥可以这样做", schema: errorSchema };
const viewSchema = bulletinSchema;

const listBulletinsRoute = defineRoute({
  method: "GET",
  path: "/v1/bulletins",
  tag: "简报",
  summary: "简报列表(最新月份在前,更正在所更正的一期之前;单位密钥只列已印发的)",
  query: z.strictObject({
    scope: scopeParam,
    limit: z.coerce.number().int().min(1).max(240).default(60).meta({ description: "最多列出几份(1–240)" }),
  }),
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
    const records = await ctx.deps.stores.bulletins.listBulletins(unit.code, query.limit);
    return jsonResponse(200, {
      scope: { code: unit.code, name: unit.name },
      bulletins: records.filter((r) => visible(ctx, r)).map(bulletinView),
    });
  },
});

const getBulletinRoute = defineRoute({
  method: "GET",
  path: "/v1/bulletins/{period}",
  tag: "简报",
  summary: "某月简报的信息与下载链接(预签名,限时有效);不指定 edition 时为最新一版",
  params: periodParam,
  query: z.strictObject({ scope: scopeParam, edition: editionParam }),
  responses: {
    ...SCOPE_RESPONSES,
    200: {
      description: "简报信息;送审稿尚未生成PDF时 url 为 null",
      schema: viewSchema.extend({
        url: z.string().nullable(),
        expiresAt: z.string().nullable(),
        fileName: z.string().nullable(),
        editions: z
          .array(
            z.object({
              edition: z.number().int(),
              status: z.enum(["draft", "signed", "issued"]),
              issue: z.string().nullable(),
            }),
          )
          .meta({ description: "该月的各版(本月简报及其更正)" }),
      }),
    },
    404: { description: "该月尚未生成简报(或尚未印发,单位密钥)", schema: errorSchema },
  },
  async handle({ params, query }, ctx) {
    const unit = requireScope(ctx, query.scope, "read");
    const month = await resolveMonth(ctx, params.period);
    const editions = (await ctx.deps.stores.bulletins.listEditions(unit.code, month)).filter((r) =>
      visible(ctx, r),
    );
    const record =
      query.edition === undefined ? editions.at(-1) : editions.find((r) => editionOf(r) === query.edition);
    if (!record) {
      const what = query.edition ? `第${query.edition}次更正` : "简报";
      const issued = ctx.principal.role === "ops" ? "尚未生成" : "尚未印发";
      throw new NotFound(`“${unit.name}”${month} 的${what}${issued}。`);
    }
    const seconds = ctx.deps.settings.presignSeconds;
    const fileName = record.key ? bulletinFileName(record, unit.name) : null;
    const url = record.key
      ? await ctx.deps.objects.presignGet(record.key, seconds, fileName ?? undefined)
      : null;
    return jsonResponse(200, {
      ...bulletinView(record),
      fileName,
      url,
      expiresAt: url ? new Date(ctx.now.getTime() + seconds * 1000).toISOString() : null,
      editions: editions.map((r) => ({
        edition: editionOf(r),
        status: statusOf(r),
        issue: r.issueNumber > 0 ? issueLabel(r.period, r.issueNumber) : null,
      })),
    });
  },
});

const renderBulletinRoute = defineRoute({
  method: "POST",
  path: "/v1/bulletins/{period}/render",
  tag: "简报",
  summary:
    "生成或重新生成某月的送审稿(仅运维密钥;异步执行,保留编辑的修改,版次加一);已签发的简报不能重新生成(409)",
  description:
    "没有简报时生成第一版送审稿并通知编辑;送审稿按当前数据和已存的修改重新生成;已签发但正式稿尚未生成完的,补生成正式稿(内容不变)。",
  params: periodParam,
  bodyMedia: "json",
  body: z.strictObject({ scope: scopeParam, edition: editionBody }),
  responses: {
    ...SCOPE_RESPONSES,
    202: {
      description: "已提交生成",
      schema: z.object({ status: z.literal("accepted"), scope: z.string(), period: z.string() }),
    },
    403: { description: "单位密钥不能生成简报", schema: errorSchema },
    404: { description: "单位名册中没有这个单位,或没有这一次更正", schema: errorSchema },
    409: CONFLICT,
    503: UNAVAILABLE,
  },
  async handle({ params, body }, ctx) {
    requirePermission(ctx, { action: "render" });
    const unit = requireScope(ctx, body.scope, "read");
    const period = await resolveMonth(ctx, params.period);
    const render = requireRenderer(ctx);
    const record = await ctx.deps.stores.bulletins.getBulletin(unit.code, period, body.edition ?? 0);
    if (!record && body.edition) await requireEdition(ctx, unit, period, body.edition);
    // Issued: immutable. Signed: the run only completes the issued PDF from the signed revision.
    if (record && statusOf(record) === "issued") assertDraft(record, unit.name, "重新生成");
    await render(record ? renderRequest(record) : { scope: unit.code, period });
    return jsonResponse(202, { status: "accepted", scope: unit.code, period });
  },
});

const caseSchema = z.object({
  unit: z.string(),
  name: z.string(),
  parent: z.string().meta({ description: "所属片区/系统" }),
  text: z.string().meta({ description: "亮点工作(已按简报排版规范处理,与刊登时相同)" }),
  chars: z.number().int().meta({ description: "有效字数(汉字、字母、数字)" }),
  printed: z.number().int().nullable().meta({ description: "当前送审稿中刊登的位置(1起);未刊登为 null" }),
  chosen: z.number().int().nullable().meta({ description: "编辑选定的位置(1起);未选定或自动选取时为 null" }),
});

const bulletinCasesRoute = defineRoute({
  method: "GET",
  path: "/v1/bulletins/{period}/cases",
  tag: "简报",
  summary: "可选作典型案例的亮点工作(当前送审稿所依据的本月数据,仅运维密钥)",
  params: periodParam,
  query: z.strictObject({
    scope: scopeParam,
    edition: editionParam,
    limit: z.coerce.number().int().min(1).max(500).default(100).meta({ description: "最多列出几条(1–500)" }),
    offset: z.coerce.number().int().min(0).default(0).meta({ description: "从第几条开始(分页)" }),
  }),
  responses: {
    ...SCOPE_RESPONSES,
    200: {
      description: "可选的亮点工作:先列刊登的(按刊登顺序),再按有效字数由多到少",
      schema: z.object({
        scope: z.string(),
        period: z.string(),
        edition: z.number().int(),
        revision: z.number().int(),
        chosen_by: z.enum(["editors", "automatic"]),
        total: z.number().int(),
        offset: z.number().int(),
        cases: z.array(caseSchema),
      }),
    },
    403: OPS_ONLY,
    404: { description: "该月尚未生成简报", schema: errorSchema },
    409: { description: "送审稿尚未生成(没有可依据的数据)", schema: errorSchema },
  },
  async handle({ params, query }, ctx) {
    requirePermission(ctx, { action: "edit-bulletin" });
    const unit = requireScope(ctx, query.scope, "read");
    const month = await resolveMonth(ctx, params.period);
    const record = await requireEdition(ctx, unit, month, query.edition);
    const input = await draftInput(ctx.deps.objects, record);
    if (!input) {
      throw new Conflict(
        "E_BULLETIN_NOT_RENDERED",
        `${bulletinName(record, unit.name)}的送审稿尚未生成,请稍后再试。`,
      );
    }
    const printed = record.printedCases ?? [];
    const chosen = record.edits?.cases ?? [];
    const all = input.highlights
      .map((h) => {
        const text = cleanStory(h.text);
        const at = printed.indexOf(h.code);
        const pick = chosen.indexOf(h.code);
        return {
          unit: h.code,
          name: h.name,
          parent: h.parentName,
          text,
          chars: substantiveLength(text),
          printed: at >= 0 ? at + 1 : null,
          chosen: pick >= 0 ? pick + 1 : null,
        };
      })
      .filter((c) => c.chars > 0)
      .sort(
        (a, b) =>
          (a.printed ?? Number.MAX_SAFE_INTEGER) - (b.printed ?? Number.MAX_SAFE_INTEGER) ||
          b.chars - a.chars ||
          (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0),
      );
    return jsonResponse(200, {
      scope: unit.code,
      period: month,
      edition: editionOf(record),
      revision: record.revision,
      chosen_by: record.edits?.cases ? "editors" : "automatic",
      total: all.length,
      offset: query.offset,
      cases: all.slice(query.offset, query.offset + query.limit),
    });
  },
});

/** A trimmed text that must not be empty, at most `max` characters, with Chinese messages for both. */
const requiredText = (max: number, what: string, missing: string) =>
  z
    .string()
    .trim()
    .min(1, { error: missing })
    .max(max, { error: `${what}最多${max}个字` });

/** A text an editor sets, or null to go back to the generated one. */
const editorText = (max: number, what: string) =>
  requiredText(max, what, `${what}不能为空(恢复自动生成请传 null)`).nullable().optional();

const editBulletinRoute = defineRoute({
  method: "POST",
  path: "/v1/bulletins/{period}/edit",
  tag: "简报",
  summary: "修改送审稿:编者按、典型案例的选取和顺序、按语(仅运维密钥;修改随简报保存,重新生成时保留)",
  description:
    "只传要改的字段;传 null 恢复自动生成。保存后自动重新生成送审稿(异步,版次加一),生成完成前 edits.pending 为 true,不能签发。",
  params: periodParam,
  bodyMedia: "json",
  body: z
    .strictObject({
      scope: scopeParam,
      edition: editionBody,
      editor_note: editorText(LIMITS.editorNote, "编者按").meta({ description: "改写后的编者按全文" }),
      cases: z
        .array(unitCode)
        .min(1, { error: "至少选一个典型案例(恢复自动选取请传 null)" })
        .max(LIMITS.cases, { error: `典型案例最多${LIMITS.cases}个` })
        .nullable()
        .optional()
        .meta({ description: "选作典型案例的单位代码,按刊登顺序(可选的见 GET …/cases)" }),
      comment: editorText(LIMITS.comment, "按语").meta({ description: "按语(印在典型案例之前)" }),
      editor: z.string().trim().min(1).max(LIMITS.editor).optional().meta({ description: "修改人姓名" }),
      expected_version: z
        .number()
        .int()
        .min(0)
        .optional()
        .meta({ description: "修改所依据的 edits.version;已被他人修改时返回 409" }),
    })
    .refine((b) => b.editor_note !== undefined || b.cases !== undefined || b.comment !== undefined, {
      error: "请至少给出 editor_note、cases、comment 中的一项",
    }),
  responses: {
    ...SCOPE_RESPONSES,
    202: { description: "修改已保存,送审稿正在重新生成", schema: viewSchema },
    403: OPS_ONLY,
    404: { description: "该月尚未生成简报", schema: errorSchema },
    409: CONFLICT,
    503: UNAVAILABLE,
  },
  async handle({ params, body }, ctx) {
    requirePermission(ctx, { action: "edit-bulletin" });
    const unit = requireScope(ctx, body.scope, "read");
    const month = await resolveMonth(ctx, params.period);
    const render = requireRenderer(ctx);
    const record = await requireEdition(ctx, unit, month, body.edition);
    assertDraft(record, unit.name, "修改");
    let allowed: Set<string> | undefined;
    if (body.cases) {
      const input = await draftInput(ctx.deps.objects, record);
      allowed = new Set(
        (input?.highlights ?? []).filter((h) => substantiveLength(cleanStory(h.text)) > 0).map((h) => h.code),
      );
    }
    const saved = await editBulletin(
      ctx.deps.stores.bulletins,
      ctx.registry,
      unit.code,
      month,
      editionOf(record),
      {
        editorNote: body.editor_note,
        cases: body.cases,
        comment: body.comment,
        editedBy: body.editor ?? `运维密钥 ${ctx.principal.keyId}`,
        expectedEditVersion: body.expected_version,
      },
      ctx.now,
      allowed,
    );
    await render(renderRequest(saved));
    return jsonResponse(202, bulletinView(saved));
  },
});

const signBulletinRoute = defineRoute({
  method: "POST",
  path: "/v1/bulletins/{period}/sign",
  tag: "简报",
  summary: "签发(仅运维密钥):编定下一个期号,报头日期为签发日期,生成并保存正式稿后通知领导",
  description:
    "签发的是 revision 指定的那一版送审稿(须是最新一版且没有未生成的修改)。期号按简报范围和年度连续编号,只在签发时占用," +
    "放弃的送审稿不占期号;同一份送审稿重复或同时签发只有一次成功(其余 409),只用一个期号。签发后不可修改。",
  params: periodParam,
  bodyMedia: "json",
  body: z.strictObject({
    scope: scopeParam,
    edition: editionBody,
    signer: requiredText(LIMITS.signer, "签发人", "请填写签发人").meta({ description: "签发人姓名" }),
    revision: z.number().int().min(1).meta({ description: "签发的送审稿版次(GET 简报时的 revision)" }),
  }),
  responses: {
    ...SCOPE_RESPONSES,
    202: { description: "已签发,期号已编定;正式稿正在生成(完成后 status 为 issued)", schema: viewSchema },
    403: OPS_ONLY,
    404: { description: "该月尚未生成简报", schema: errorSchema },
    409: {
      description:
        "已签发(E_BULLETIN_SIGNED)、送审稿已更新(E_BULLETIN_REVISION)或有未生成的修改(E_BULLETIN_PENDING_EDITS)",
      schema: errorSchema,
    },
    503: UNAVAILABLE,
  },
  async handle({ params, body }, ctx) {
    requirePermission(ctx, { action: "sign-bulletin" });
    const unit = requireScope(ctx, body.scope, "read");
    const month = await resolveMonth(ctx, params.period);
    const render = requireRenderer(ctx);
    await requireEdition(ctx, unit, month, body.edition);
    const signed = await signBulletin(
      ctx.deps.stores.bulletins,
      ctx.registry,
      unit.code,
      month,
      {
        edition: body.edition ?? 0,
        revision: body.revision,
        signer: body.signer,
        signedBy: ctx.principal.keyId,
      },
      ctx.now,
    );
    await render(renderRequest(signed));
    return jsonResponse(202, bulletinView(signed));
  },
});

const correctBulletinRoute = defineRoute({
  method: "POST",
  path: "/v1/bulletins/{period}/correct",
  tag: "简报",
  summary: "发更正(仅运维密钥):为已印发的简报另起一期更正的送审稿,写明更正什么;签发时另编期号",
  params: periodParam,
  bodyMedia: "json",
  body: z.strictObject({
    scope: scopeParam,
    reason: requiredText(LIMITS.reason, "更正说明", "请写明更正的内容").meta({
      description: "更正说明:更正了什么(印在更正一期的编者按之前)",
    }),
    editor: z.string().trim().min(1).max(LIMITS.editor).optional().meta({ description: "经办人姓名" }),
  }),
  responses: {
    ...SCOPE_RESPONSES,
    202: { description: "更正的送审稿已建立,正在生成(edition 为第几次更正)", schema: viewSchema },
    403: OPS_ONLY,
    404: { description: "该月尚未生成简报", schema: errorSchema },
    409: { description: "最新一版尚未印发(E_BULLETIN_NOT_ISSUED):送审稿直接修改即可", schema: errorSchema },
    503: UNAVAILABLE,
  },
  async handle({ params, body }, ctx) {
    requirePermission(ctx, { action: "edit-bulletin" });
    const unit = requireScope(ctx, body.scope, "read");
    const month = await resolveMonth(ctx, params.period);
    const render = requireRenderer(ctx);
    await requireEdition(ctx, unit, month, 0);
    const created = await correctBulletin(
      ctx.deps.stores.bulletins,
      ctx.registry,
      unit.code,
      month,
      { reason: body.reason, by: body.editor ?? `运维密钥 ${ctx.principal.keyId}` },
      ctx.now,
    );
    await render(renderRequest(created));
    return jsonResponse(202, bulletinView(created));
  },
});

/** This resource's routes, in the order the documentation lists them. */
export const bulletinRoutes: readonly Route[] = [
  listBulletinsRoute,
  getBulletinRoute,
  renderBulletinRoute,
  bulletinCasesRoute,
  editBulletinRoute,
  signBulletinRoute,
  correctBulletinRoute,
];
