/**
 * GET /v1/template: the prefilled Excel return (lib/ingest/template.ts) for the caller's scope or a
 * node under it — the same workbook `dangjian template --format xlsx` writes. The portal's
 * 下载Excel模板 relays it.
 */
import { templateWorkbook } from "../../ingest/template.ts";
import { UPLOAD_CONTENT_TYPES } from "../../objects.ts";
import { requireScope } from "../context.ts";
import { type ApiResponse, fileResponse } from "../http.ts";
import { resolveMonth } from "../periods.ts";
import { defineRoute } from "../router.ts";
import { TEMPLATE_SPEC } from "./template-spec.ts";

export const templateRoute = defineRoute({
  ...TEMPLATE_SPEC,
  async handle({ query }, ctx): Promise<ApiResponse> {
    const scope = requireScope(ctx, query.scope, "upload");
    const period = await resolveMonth(ctx, query.period);
    const workbook = templateWorkbook(ctx.registry, { scope: scope.code, period });
    return fileResponse(
      workbook,
      UPLOAD_CONTENT_TYPES.xlsx,
      `月报表-${scope.code}-${period}.xlsx`,
      `template-${scope.code}-${period}.xlsx`,
    );
  },
});
