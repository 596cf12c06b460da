/**
 * 逐级审核 over HTTP: the states of a scope's returns for a month, a 片区's decision on one return
 * (of one version), and 市级确认 (confirm and lock) or unlock of a 片区's month.
 */
import { z } from "zod";
import type { Month } from "../../domain/periods.ts";
import { type LockRecord, returnState, STATE_NAMES } from "../../workflow/review.ts";
import { confirmMonth, decide, scopeReview, unlockMonth, type WorkflowDeps } from "../../workflow/service.ts";
import { type RequestContext, requirePermission, requireScope, SCOPE_RESPONSES } from "../context.ts";
import { BadRequest, Conflict } from "../errors.ts";
import { jsonResponse } from "../http.ts";
import { monthSpec, unitCode } from "../params.ts";
import { resolveMonth } from "../periods.ts";
import { defineRoute, type Route } from "../router.ts";
import {
  errorSchema,
  lockSchema,
  reviewHistorySchema,
  reviewStateSchema,
  reviewsSchema,
} from "../schemas.ts";

const CONFLICT = {
  description: "数据状态不允许(版本已更新、该月已锁定、尚有单位未审核,或未启用逐级审核)",
  schema: errorSchema,
};

function workflow(ctx: RequestContext): WorkflowDeps {
  if (ctx.deps.settings.approvalLevels < 1) {
    throw new Conflict("E_REVIEW_OFF", "本系统未启用逐级审核(APPROVAL_LEVELS=0):月报审核通过即计入汇总。");
  }
  return { returns: ctx.reads.returns, reviews: ctx.deps.stores.reviews, registry: ctx.registry };
}

function lockView(lock: LockRecord) {
  return {
    scope: lock.scope,
    month: lock.month,
    state: lock.state,
    by: lock.by,
    at: lock.at,
    ...(lock.reason ? { reason: lock.reason } : {}),
    unreported: lock.unreported,
  };
}

/** Who decided, as recorded: the name the reviewer gave and the key's public id. */
function actor(ctx: RequestContext, name: string | undefined): string {
  return name ? `${name}(${ctx.principal.keyId})` : ctx.principal.keyId;
}

const listReviewsRoute = defineRoute({
  method: "GET",
  path: "/v1/reviews",
  tag: "逐级审核",
  summary: "某月各报送单位的审核状态:未报送、已接收、片区审核通过、退回修改、市级确认",
  query: z.strictObject({
    scope: unitCode.optional().meta({ description: "范围(片区或根单位);不填为密钥所属单位" }),
    period: monthSpec,
    state: reviewStateSchema.optional().meta({ description: "只看某一状态" }),
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  }),
  responses: {
    ...SCOPE_RESPONSES,
    200: {
      description: "审核状态",
      schema: reviewsSchema,
    },
    409: CONFLICT,
  },
  async handle({ query }, ctx) {
    const deps = workflow(ctx);
    const scope = requireScope(ctx, query.scope, "read");
    const month = await resolveMonth(ctx, query.period);
    const review = await scopeReview(deps, scope.code, month);
    const counts = Object.fromEntries(Object.keys(STATE_NAMES).map((s) => [s, 0])) as Record<string, number>;
    for (const u of review.units) counts[u.state] = (counts[u.state] ?? 0) + 1;
    const listed = review.units.filter((u) => !query.state || u.state === query.state);
    return jsonResponse(200, {
      scope: { code: scope.code, name: scope.name },
      period: month,
      total: listed.length,
      counts,
      locks: review.locks.map(lockView),
      units: listed.slice(query.offset, query.offset + query.limit).map((u) => {
        const current = u.review && u.review.version === u.version ? u.review : undefined;
        return {
          code: u.unit.code,
          name: u.unit.name,
          parent: u.unit.parentCode,
          state: u.state,
          state_name: STATE_NAMES[u.state],
          version: u.version,
          submitted_at: u.submittedAt,
          decided_by: current?.by ?? null,
          decided_at: current?.at ?? null,
          reason: current?.action === "return" ? (current.reason ?? null) : null,
        };
      }),
    });
  },
});

const decideRoute = defineRoute({
  method: "POST",
  path: "/v1/reviews",
  tag: "逐级审核",
  summary: "片区审核:通过或退回修改某单位某月的月报(须给出所审核的版本)",
  bodyMedia: "json",
  body: z.strictObject({
    unit: unitCode,
    period: monthSpec,
    action: z.enum(["approve", "return"]).meta({ description: "approve 通过;return 退回修改(须写理由)" }),
    version: z.string().min(1).max(200).meta({ description: "GET /v1/reviews 给出的当前版本" }),
    reason: z.string().trim().max(500).optional().meta({ description: "退回理由(单位可见)" }),
    by: z.string().trim().max(40).optional().meta({ description: "审核人姓名" }),
  }),
  responses: {
    ...SCOPE_RESPONSES,
    200: {
      description: "已记录(重复提交同一决定不再记录)",
      schema: z.object({
        unit: z.string(),
        period: z.string(),
        state: reviewStateSchema,
        outcome: z.enum(["ok", "unchanged"]),
      }),
    },
    409: CONFLICT,
  },
  async handle({ body }, ctx) {
    const deps = workflow(ctx);
    const unit = requireScope(ctx, body.unit, "read");
    requirePermission(ctx, { action: "review", scope: unit.code });
    if (!ctx.registry.isLeaf(unit.code)) throw new BadRequest(`“${unit.name}”是汇总单位,没有自己的月报。`);
    if (body.action === "return" && !body.reason) {
      throw new BadRequest("退回修改须写明理由,单位会看到它。", [{ field: "reason", message: "缺少此项" }]);
    }
    const month: Month = await resolveMonth(ctx, body.period);
    const outcome = await decide(deps, {
      unit: unit.code,
      month,
      action: body.action,
      version: body.version,
      by: actor(ctx, body.by),
      reason: body.reason,
      at: ctx.now,
    });
    return jsonResponse(200, {
      unit: unit.code,
      period: month,
      state: body.action === "approve" ? "approved" : "returned",
      outcome: outcome === "unchanged" ? "unchanged" : "ok",
    });
  },
});

const reviewHistoryRoute = defineRoute({
  method: "GET",
  path: "/v1/reviews/{unit}/{period}",
  tag: "逐级审核",
  summary: "某单位某月月报的审核记录(谁、何时、为何)",
  params: z.strictObject({ unit: unitCode, period: monthSpec }),
  responses: {
    ...SCOPE_RESPONSES,
    200: {
      description: "审核记录,早的在前",
      schema: reviewHistorySchema,
    },
    409: CONFLICT,
  },
  async handle({ params }, ctx) {
    const deps = workflow(ctx);
    const unit = requireScope(ctx, params.unit, "read");
    const month = await resolveMonth(ctx, params.period);
    const scope = unit.parentCode ?? unit.code;
    const [review, lock, returns] = await Promise.all([
      deps.reviews.getReview(scope, unit.code, month),
      deps.reviews.getLock(scope, month),
      deps.returns.unitReturns(unit.code),
    ]);
    const version = returns.find((r) => r.period === month)?.version;
    const history = [...(review?.history ?? []), ...(lock?.history ?? [])].sort((a, b) =>
      a.at.localeCompare(b.at),
    );
    return jsonResponse(200, {
      unit: unit.code,
      period: month,
      state: returnState(version, review, lock),
      history,
    });
  },
});

const lockRoute = defineRoute({
  method: "POST",
  path: "/v1/locks",
  tag: "逐级审核",
  summary: "市级确认(锁定某片区某月的数据)或解锁(须写理由)",
  bodyMedia: "json",
  body: z.strictObject({
    scope: unitCode.meta({ description: "片区代码(其下各单位的月报须已审核通过)" }),
    period: monthSpec,
    action: z.enum(["confirm", "unlock"]),
    reason: z.string().trim().max(500).optional().meta({ description: "解锁理由(必填)" }),
    by: z.string().trim().max(40).optional().meta({ description: "确认人姓名" }),
  }),
  responses: {
    ...SCOPE_RESPONSES,
    200: { description: "锁定状态", schema: lockSchema },
    409: CONFLICT,
  },
  async handle({ body }, ctx) {
    const deps = workflow(ctx);
    requirePermission(ctx, { action: "confirm" });
    const scope = requireScope(ctx, body.scope, "read");
    const children = ctx.registry.children(scope.code);
    if (!children.length || children.some((c) => !ctx.registry.isLeaf(c.code))) {
      throw new BadRequest(`“${scope.name}”不是直接管理报送单位的片区,市级确认按片区进行。`);
    }
    const month = await resolveMonth(ctx, body.period);
    const by = actor(ctx, body.by);
    if (body.action === "unlock") {
      if (!body.reason) throw new BadRequest("解锁须写明理由。", [{ field: "reason", message: "缺少此项" }]);
      return jsonResponse(
        200,
        lockView(await unlockMonth(deps, scope.code, month, by, body.reason, ctx.now)),
      );
    }
    return jsonResponse(200, lockView(await confirmMonth(deps, scope.code, month, by, ctx.now)));
  },
});

/** This resource's routes, in the order the documentation lists them. */
export const reviewRoutes: readonly Route[] = [listReviewsRoute, decideRoute, reviewHistoryRoute, lockRoute];
