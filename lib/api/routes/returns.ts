/** GET /v1/returns: the stored returns of a unit (or of every unit under a scope) with their text. */
import { z } from "zod";
import { INDICATORS } from "../../domain/catalogue.ts";
import { monthIndex } from "../../domain/periods.ts";
import type { Registry } from "../../domain/registry.ts";
import { type Cursor, returnsPage, unitsInOrder } from "../../read/lists.ts";
import type { StoredReturn } from "../../write/plan.ts";
import { requireScope, SCOPE_RESPONSES } from "../context.ts";
import { BadRequest } from "../errors.ts";
import { type CsvRow, csvResponse, jsonResponse } from "../http.ts";
import { cursorHeader, cursorParam, pageLimit, readCursor, writeCursor } from "../paging.ts";
import { format, periodSpec, unitCode } from "../params.ts";
import { periodView, resolveRange } from "../periods.ts";
import { defineRoute, type Route } from "../router.ts";
import { errorSchema, periodSchema, storedReturnSchema } from "../schemas.ts";

const query = z.strictObject({
  unit: unitCode.meta({
    description: "报送单位代码;也可是上级单位(此时须给出 period,返回其下全部单位的报表)",
  }),
  period: periodSpec.optional().meta({ description: "期间;报送单位可不填(返回全部月份)" }),
  limit: pageLimit(200, 1000),
  cursor: cursorParam,
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

const returnsRoute = defineRoute({
  method: "GET",
  path: "/v1/returns",
  tag: "报表",
  summary: "已接收的月报表:数值、说明、亮点工作、核实性提示(可翻页)",
  description:
    "按单位代码、月份排列,每页最多 limit 份;next_cursor 不为 null 时用它取下一页。" +
    "上级单位只读取其下各单位的报表,每页的读取量与页大小相当。format=csv 时下一页的 cursor 在响应头 x-next-cursor 中。",
  query,
  responses: {
    ...SCOPE_RESPONSES,
    200: {
      description: "报表列表(按单位、月份排序)",
      schema: z.object({
        unit: z.object({ code: z.string(), name: z.string() }),
        period: periodSchema.optional(),
        returns: z.array(storedReturnSchema),
        limit: z.number().int(),
        next_cursor: z.string().nullable().meta({ description: "下一页的 cursor;为 null 时已是最后一页" }),
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
    const after = readCursor(query.cursor);
    let page: { returns: readonly StoredReturn[]; next: Cursor | null };
    if (ctx.registry.isLeaf(unit.code) && !range) {
      // A unit's whole history: its own items, one query.
      const all = [...(await ctx.reads.returns.unitReturns(unit.code))]
        .filter((r) => !after?.period || monthIndex(r.period) > monthIndex(after.period))
        .sort((a, b) => monthIndex(a.period) - monthIndex(b.period));
      const taken = all.slice(0, query.limit);
      const last = taken[taken.length - 1];
      page = {
        returns: taken,
        next: all.length > query.limit && last ? { unit: unit.code, period: last.period } : null,
      };
    } else {
      if (!range)
        throw new BadRequest("查询上级单位的报表时须给出 period。", [
          { field: "period", message: "缺少此项" },
        ]);
      page = await returnsPage(ctx.reads, unitsInOrder(ctx.registry, unit.code), range, {
        after,
        limit: query.limit,
      });
    }
    const sorted = page.returns;
    const nextCursor = writeCursor(page.next);
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
      const csv = csvResponse(`报表-${unit.code}${range ? `-${range.spec}` : ""}.csv`, rows);
      return { ...csv, headers: { ...csv.headers, ...cursorHeader(nextCursor) } };
    }
    return jsonResponse(200, {
      unit: { code: unit.code, name: unit.name },
      ...(range ? { period: periodView(range) } : {}),
      returns: views,
      limit: query.limit,
      next_cursor: nextCursor,
    });
  },
});

/** This resource's routes, in the order the documentation lists them. */
export const returnRoutes: readonly Route[] = [returnsRoute];
