/** GET /v1/returns: the stored returns of a unit (or of every unit under a scope) with their text. */
import { z } from "zod";
import { INDICATORS } from "../../domain/catalogue.ts";
import { monthIndex } from "../../domain/periods.ts";
import type { Registry } from "../../domain/registry.ts";
import { scopeReturns } from "../../read/queries.ts";
import type { StoredReturn } from "../../write/plan.ts";
import { requireScope, SCOPE_RESPONSES } from "../context.ts";
import { BadRequest } from "../errors.ts";
import { type CsvRow, csvResponse, jsonResponse } from "../http.ts";
import { format, periodSpec, unitCode } from "../params.ts";
import { periodView, resolveRange } from "../periods.ts";
import { defineRoute } from "../router.ts";
import { errorSchema, periodSchema, storedReturnSchema } from "../schemas.ts";

const query = z.strictObject({
  unit: unitCode.meta({
    description: "报送单位代码;也可是上级单位(此时须给出 period,返回其下全部单位的报表)",
  }),
  period: periodSpec.optional().meta({ description: "期间;报送单位可不填(返回全部月份)" }),
  format,
});

function returnView(r: StoredReturn, registry: Registry) {
  return {
    unit: r.unit,
    unit_name: registry.get(r.unit)?.name ?? "",
    period: r.period,
    values: r.values,
    blanks: r.blanks,
    explanation: r.text.explanation,
    highlight: r.text.highlight,
    reporter: r.text.reporter,
    phone: r.text.phone,
    warnings: r.warnings,
    upload_id: r.uploadId,
    submitted_at: r.submittedAt,
    first_submitted_at: r.firstSubmittedAt,
    on_time: r.onTime,
  };
}

export const returnsRoute = defineRoute({
  method: "GET",
  path: "/v1/returns",
  tag: "报表",
  summary: "已接收的月报表:数值、说明、亮点工作、核实性提示",
  query,
  responses: {
    ...SCOPE_RESPONSES,
    200: {
      description: "报表列表(按单位、月份排序)",
      schema: z.object({
        unit: z.object({ code: z.string(), name: z.string() }),
        period: periodSchema.optional(),
        returns: z.array(storedReturnSchema),
      }),
      csv: true,
    },
    400: { description: "参数有误", schema: errorSchema },
    403: { description: "超出密钥可查询的范围", schema: errorSchema },
    404: { description: "单位不存在", schema: errorSchema },
  },
  async handle({ query }, ctx) {
    const unit = requireScope(ctx, query.unit, "read");
    const range = query.period ? await resolveRange(ctx, query.period) : undefined;
    let returns: StoredReturn[];
    if (ctx.registry.isLeaf(unit.code)) {
      const all = await ctx.reads.returns.unitReturns(unit.code);
      returns = range
        ? all.filter(
            (r) =>
              monthIndex(r.period) >= monthIndex(range.from) && monthIndex(r.period) <= monthIndex(range.to),
          )
        : all;
    } else {
      if (!range)
        throw new BadRequest("查询上级单位的报表时须给出 period。", [
          { field: "period", message: "缺少此项" },
        ]);
      returns = await scopeReturns(ctx.reads, unit.code, range.from, range.to);
    }
    const sorted = [...returns].sort(
      (a, b) => a.unit.localeCompare(b.unit) || a.period.localeCompare(b.period),
    );
    const views = sorted.map((r) => returnView(r, ctx.registry));
    if (query.format === "csv") {
      const rows: CsvRow[] = [
        [
          "单位代码",
          "单位名称",
          "报送期间",
          ...INDICATORS.map((i) => i.name),
          "说明",
          "亮点工作",
          "填报人",
          "核实性提示",
          "报送时间",
          "是否按时",
        ],
      ];
      for (const v of views) {
        rows.push([
          v.unit,
          v.unit_name,
          v.period,
          ...INDICATORS.map((i) => v.values[i.key]),
          v.explanation,
          v.highlight,
          v.reporter,
          v.warnings.map((w) => w.message).join(";"),
          v.submitted_at,
          v.on_time ? "按时" : "逾期",
        ]);
      }
      return csvResponse(`报表-${unit.code}${range ? `-${range.spec}` : ""}.csv`, rows);
    }
    return jsonResponse(200, {
      unit: { code: unit.code, name: unit.name },
      ...(range ? { period: periodView(range) } : {}),
      returns: views,
    });
  },
});
