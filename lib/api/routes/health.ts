/** GET /v1/health: the only route without a key. */
import { z } from "zod";
import { Unavailable } from "../errors.ts";
import { jsonResponse } from "../http.ts";
import { definePublicRoute, type Route } from "../router.ts";
import { errorSchema } from "../schemas.ts";

const healthRoute = definePublicRoute({
  method: "GET",
  path: "/v1/health",
  tag: "系统",
  summary: "健康检查(无需密钥)",
  responses: {
    200: { description: "服务可用", schema: z.object({ status: z.literal("ok"), time: z.string() }) },
    503: { description: "服务尚未就绪(本地环境启动中)", schema: errorSchema },
  },
  async handle(_input, ctx) {
    if (ctx.deps.ready && !ctx.deps.ready()) throw new Unavailable("E_NOT_READY", "服务正在启动,请稍候。");
    return jsonResponse(200, { status: "ok", time: ctx.now.toISOString() });
  },
});

/** This resource's routes, in the order the documentation lists them. */
export const healthRoutes: readonly Route[] = [healthRoute];
