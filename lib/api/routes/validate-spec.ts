/**
 * POST /v1/validate as documented: method, path, query and answers — without the checking, so the
 * API function can describe the route (GET /v1/openapi.json) while API Gateway sends it to the check
 * function, the one that carries the workbook reader (functions/check.ts).
 */
import { z } from "zod";
import { SCOPE_RESPONSES } from "../context.ts";
import { issuePaging, unitCode } from "../params.ts";
import { errorSchema, reportPageSchema } from "../schemas.ts";

export const VALIDATE_SPEC = {
  method: "POST" as const,
  path: "/v1/validate",
  tag: "上传",
  summary: "试审核:按上传的同样规则审核一个月报文件(CSV 或 Excel 工作簿),不保存任何数据",
  description:
    "请求体为文件原样字节(CSV、.xlsx、.xlsm 或 .xls,按内容识别;建议 Content-Type: application/octet-stream," +
    "以免 GBK 等编码被改动)。format=text 返回中文审核意见,format=csv 返回问题清单表格," +
    "format=xlsx 返回审核意见表(原样的各行加“审核意见”“状态”列、单元格批注和“问题清单”工作表)。",
  bodyMedia: "csv" as const,
  query: z.strictObject({
    unit: unitCode
      .optional()
      .meta({ description: "按哪个单位的身份审核(其下级以外的行记 E_UNIT_FORBIDDEN);不填为密钥所属单位" }),
    format: z
      .enum(["json", "text", "csv", "xlsx"])
      .default("json")
      .meta({ description: "json(默认)、text、csv 或 xlsx" }),
    fileName: z.string().max(200).optional().meta({ description: "文件名(只用于 text 格式的标题)" }),
    ...issuePaging,
  }),
  responses: {
    ...SCOPE_RESPONSES,
    200: {
      description: "审核报告(摘要与一页问题;text、csv 格式含报告保留的全部问题)",
      schema: reportPageSchema,
      csv: true,
    },
    403: { description: "不能以该单位身份审核", schema: errorSchema },
    413: { description: "文件过大(请改用 POST /v1/uploads 上传)", schema: errorSchema },
  },
};
