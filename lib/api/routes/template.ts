/**
 * GET /v1/template: the prefilled Excel return (lib/ingest/template.ts) for the caller's scope or a
 * node under it — the same workbook `dangjian template --format xlsx` writes. The portal's
 * 下载Excel模板 relays it.
 */
import { templateWorkbook } from "../../ingest/template.ts";
import { UPLOAD_CONTENT_TYPES } from "../../objects.ts";
import { requireScope } from "../context.ts";
import type { ApiResponse } from "../http.ts";
import { resolveMonth } from "../periods.ts";
import { defineRoute } from "../router.ts";
import { TEMPLATE_SPEC } from "./template-spec.ts";

/** The file name a browser saves the template as. */
export function templateFileName(scope: string, month: string): string {
  return `月报表-${scope}-${month}.xlsx`;
}

export const templateRoute = defineRoute({
  ...TEMPLATE_SPEC,
  async handle({ query }, ctx): Promise<ApiResponse> {
    const scope = requireScope(ctx, query.scope, "upload");
    const period = await resolveMonth(ctx, query.period);
    const workbook = templateWorkbook(ctx.registry, { scope: scope.code, period });
    const ascii = `template-${scope.code.replace(/[^\w-]/g, "_")}-${period}.xlsx`;
    return {
      statusCode: 200,
      headers: {
        "content-type": UPLOAD_CONTENT_TYPES.xlsx,
        "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(templateFileName(scope.code, period))}`,
        "cache-control": "no-store",
      },
      body: Buffer.from(workbook).toString("base64"),
      isBase64Encoded: true,
    };
  },
});
