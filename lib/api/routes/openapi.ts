/** GET /v1/openapi.json: the API described from its own route table and schemas. */
import { z } from "zod";
import { jsonResponse } from "../http.ts";
import { openApiDocument } from "../openapi.ts";
import { defineRoute, type Route } from "../router.ts";

export const API_VERSION = "1.0.0";

/** Takes the table lazily: this route is itself one of the routes it describes. */
export function openApiRoute(routes: () => readonly Route[]): Route {
  let document: unknown;
  return defineRoute({
    method: "GET",
    path: "/v1/openapi.json",
    tag: "系统",
    summary: "本接口的 OpenAPI 3.1 文档(由校验请求的同一套 zod 模式生成)",
    responses: { 200: { description: "OpenAPI 3.1 文档", schema: z.record(z.string(), z.unknown()) } },
    async handle() {
      document ??= openApiDocument(routes(), API_VERSION);
      return jsonResponse(200, document);
    },
  });
}
