/**
 * GET /v1/openapi.json, generated from the route table and the very zod schemas that validate the
 * requests (zod 4's toJSONSchema, JSON Schema 2020-12 as OpenAPI 3.1 uses it). Named schemas
 * (`.meta({ id })`) become components; the local `$defs` references are pointed there.
 */
import { z } from "zod";
import type { RouteDoc } from "./router.ts";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Moves `$defs` into `components` and rewrites `#/$defs/X` to `#/components/schemas/X`. */
function hoist(schema: Json, components: Json): Json {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isObject(node)) return node;
    const out: Json = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "$schema") continue;
      if (key === "$defs" && isObject(value)) {
        for (const [name, def] of Object.entries(value)) components[name] = walk(def);
        continue;
      }
      if (key === "$ref" && typeof value === "string" && value.startsWith("#/$defs/")) {
        out[key] = `#/components/schemas/${value.slice("#/$defs/".length)}`;
        continue;
      }
      out[key] = walk(value);
    }
    return out;
  };
  return walk(schema) as Json;
}

function jsonSchema(schema: z.ZodType, io: "input" | "output", components: Json): Json {
  return hoist(
    z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" }) as Json,
    components,
  );
}

/** An object schema's properties as OpenAPI parameters (query or path). */
function parameters(schema: z.ZodType | undefined, location: "query" | "path", components: Json): Json[] {
  if (!schema) return [];
  const object = jsonSchema(schema, "input", components);
  const properties = isObject(object.properties) ? object.properties : {};
  const required = new Set(Array.isArray(object.required) ? object.required.map(String) : []);
  return Object.entries(properties).map(([name, raw]) => {
    const { description, example, ...rest } = isObject(raw) ? raw : {};
    return {
      name,
      in: location,
      required: location === "path" || required.has(name),
      ...(typeof description === "string" ? { description } : {}),
      ...(example !== undefined ? { example } : {}),
      schema: rest,
    };
  });
}

const AUTH_RESPONSE = {
  description: "缺少密钥、密钥无效或已吊销(E_AUTH_MISSING / E_AUTH_INVALID / E_AUTH_REVOKED)",
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
};
const INTERNAL_RESPONSE = {
  description: "服务器内部错误(响应只含请求编号,不含细节)",
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
};

export function openApiDocument(routes: readonly RouteDoc[], version: string): Json {
  const components: Json = {};
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const responses: Json = {};
    for (const [status, doc] of Object.entries(route.responses)) {
      const content: Json = {};
      if (doc.schema) content["application/json"] = { schema: jsonSchema(doc.schema, "output", components) };
      if (doc.csv) content["text/csv"] = { schema: { type: "string", description: "UTF-8(带 BOM)CSV" } };
      if (doc.file) content[doc.file] = { schema: { type: "string", format: "binary" } };
      responses[status] = {
        description: doc.description,
        ...(Object.keys(content).length ? { content } : {}),
      };
    }
    if (route.auth) responses["401"] = AUTH_RESPONSE;
    responses["500"] = INTERNAL_RESPONSE;
    const operation: Json = {
      operationId: `${route.method.toLowerCase()}${route.path
        .split("/")
        .filter(Boolean)
        .slice(1)
        .map((s) => s.replace(/[{}.]/g, "").replace(/^./, (c) => c.toUpperCase()))
        .join("")}`,
      tags: [route.tag],
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      ...(route.auth ? {} : { security: [] }),
      parameters: [
        ...parameters(route.params, "path", components),
        ...parameters(route.query, "query", components),
      ],
      responses,
    };
    if (route.bodyMedia === "csv") {
      operation.requestBody = {
        required: true,
        content: {
          "application/octet-stream": { schema: { type: "string", contentMediaType: "text/csv" } },
          "text/csv": { schema: { type: "string" } },
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
            schema: { type: "string", contentEncoding: "binary" },
          },
          "application/vnd.ms-excel": { schema: { type: "string", contentEncoding: "binary" } },
        },
      };
    } else if (route.body) {
      operation.requestBody = {
        required: false,
        content: { "application/json": { schema: jsonSchema(route.body, "input", components) } },
      };
    }
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "党建数据直报与简报接口",
      version,
      description:
        "机关党建月报的汇总查询、报送情况、上传与简报。除 /v1/health 外都须带接口密钥:" +
        "Authorization: Bearer <密钥> 或 x-api-key: <密钥>。错误统一为 {error: {code, message}}。",
    },
    servers: [{ url: "/" }],
    security: [{ bearerKey: [] }, { headerKey: [] }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearerKey: { type: "http", scheme: "bearer", description: "djk_ 开头的接口密钥" },
        headerKey: { type: "apiKey", in: "header", name: "x-api-key" },
      },
    },
  };
}
