/**
 * GET /v1/template as documented, without the writing: the API function describes the route
 * (GET /v1/openapi.json) while API Gateway sends it to the check function, which carries the
 * spreadsheet library (functions/check.ts), as for POST /v1/validate.
 */
import { z } from "zod";
import { UPLOAD_CONTENT_TYPES } from "../../objects.ts";
import { SCOPE_RESPONSES } from "../context.ts";
import { monthSpec, unitCode } from "../params.ts";
import { errorSchema } from "../schemas.ts";

export const TEMPLATE_SPEC = {
  method: "GET" as const,
  path: "/v1/template",
  tag: "上传",
  summary: "下载预填的Excel月报表模板(.xlsx):按名册预填范围内各报送单位的代码、名称和报送期间,附填报说明",
  query: z.strictObject({
    scope: unitCode.optional().meta({ description: "预填哪个片区或单位下的报送单位;不填为密钥所属单位" }),
    period: monthSpec.default("LAST_MONTH").meta({ description: "报送期间,如 2026-10(默认上月)" }),
  }),
  responses: {
    ...SCOPE_RESPONSES,
    200: {
      description: "Excel工作簿:“月报表”工作表(单位代码为文本)与“填报说明”工作表",
      file: UPLOAD_CONTENT_TYPES.xlsx,
    },
    400: { description: "参数格式不正确", schema: errorSchema },
  },
};
