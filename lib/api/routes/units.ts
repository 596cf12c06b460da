/** The registry with its hierarchy: the caller's subtree (everything for ops), or one unit. */
import { z } from "zod";
import { homeScope } from "../../domain/auth.ts";
import type { Registry, Unit } from "../../domain/registry.ts";
import { requireScope, SCOPE_RESPONSES } from "../context.ts";
import { type CsvRow, csvResponse, jsonResponse } from "../http.ts";
import { format, unitCode } from "../params.ts";
import { defineRoute, type Route } from "../router.ts";
import { errorSchema, unitSchema } from "../schemas.ts";

function unitView(registry: Registry, unit: Unit) {
  return {
    code: unit.code,
    name: unit.name,
    parent: unit.parentCode,
    leaf: registry.isLeaf(unit.code),
    depth: registry.ancestors(unit.code).length,
    children: registry.children(unit.code).map((c) => c.code),
  };
}

/** Depth-first, parents before children, in registry order. */
function subtree(registry: Registry, root: Unit): Unit[] {
  const out: Unit[] = [];
  const walk = (u: Unit): void => {
    out.push(u);
    for (const child of registry.children(u.code)) walk(child);
  };
  walk(root);
  return out;
}

const listUnitsRoute = defineRoute({
  method: "GET",
  path: "/v1/units",
  tag: "单位名册",
  summary: "单位名册(含上下级关系):运维密钥为全部,单位密钥为本单位及下级",
  query: z.strictObject({ format }),
  responses: {
    200: {
      description: "单位列表(上级在前,按名册顺序)",
      schema: z.object({ root: z.string(), count: z.number().int(), units: z.array(unitSchema) }),
      csv: true,
    },
  },
  async handle({ query }, ctx) {
    const top = requireScope(ctx, homeScope(ctx.principal, ctx.registry), "read");
    const units = subtree(ctx.registry, top).map((u) => unitView(ctx.registry, u));
    if (query.format === "csv") {
      const rows: CsvRow[] = [["单位代码", "单位名称", "上级单位代码", "层级", "是否报送单位"]];
      for (const u of units) rows.push([u.code, u.name, u.parent ?? "", u.depth, u.leaf ? "是" : "否"]);
      return csvResponse(`单位名册-${top.code}.csv`, rows);
    }
    return jsonResponse(200, { root: top.code, count: units.length, units });
  },
});

const getUnitRoute = defineRoute({
  method: "GET",
  path: "/v1/units/{code}",
  tag: "单位名册",
  summary: "一个单位:上级链、直属下级、所辖报送单位数",
  params: z.strictObject({ code: unitCode }),
  responses: {
    ...SCOPE_RESPONSES,
    200: {
      description: "单位信息",
      schema: unitSchema.extend({
        ancestors: z.array(z.object({ code: z.string(), name: z.string() })),
        reporting_units: z.number().int(),
      }),
    },
    403: { description: "超出密钥可查询的范围", schema: errorSchema },
    404: { description: "单位不存在", schema: errorSchema },
  },
  async handle({ params }, ctx) {
    const unit = requireScope(ctx, params.code, "read");
    const { registry } = ctx;
    return jsonResponse(200, {
      ...unitView(registry, unit),
      ancestors: registry
        .ancestors(unit.code)
        .map((code) => ({ code, name: registry.get(code)?.name ?? code }))
        .reverse(),
      reporting_units: registry.leavesUnder(unit.code).length,
    });
  },
});

/** This resource's routes, in the order the documentation lists them. */
export const unitRoutes: readonly Route[] = [listUnitsRoute, getUnitRoute];
