/**
 * The OpenAPI document against the server that publishes it: every route called with good and bad
 * parameters over real HTTP, and each answer's status must be one the document lists for that
 * route, its JSON body valid against the documented schema (ajv, JSON Schema 2020-12, as
 * OpenAPI 3.1 uses it). The document cannot drift from what the handlers raise.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { beforeAll, describe, expect, it } from "vitest";
import { postUploadForm } from "../../lib/aws/upload-form.ts";
import { composeBulletin } from "../../lib/bulletin/compose.ts";
import { type BulletinDeps, issueBulletin, renderDraft, signBulletin } from "../../lib/bulletin/service.ts";
import { renderBulletinPdf } from "../../lib/files/render.ts";
import { loadWording } from "../../lib/files/wording-file.ts";
import { figures, returnCsv } from "../support/returns.ts";
import { call, type Reply, useApiFixture } from "./fixture.ts";

const fxOf = useApiFixture({ data: true });

type Json = Record<string, unknown>;
interface Case {
  readonly method: "GET" | "POST";
  /** The documented path pattern, and the request path. */
  readonly route: string;
  readonly path: string;
  readonly key?: "ops" | "leaf" | "area" | "none";
  readonly body?: string;
  readonly type?: string;
  /** The status this call must get (documented or not, the test says what is right). */
  readonly want: number;
}

const csv = returnCsv([{ unit: "001001001", period: "2026-10", values: figures(3, 0) }]);
let uploadId = "";
let foreignUploadId = "";
/** An upload whose only row waits for a 说明 (解决问题 > 收集问题). */
let explainId = "";
const warningValues = () => {
  const v = figures(4, 0);
  v.problems_collected = 1;
  v.problems_solved = 4;
  return v;
};

function cases(): Case[] {
  const get = (route: string, path: string, want: number, key: Case["key"] = "ops"): Case => ({
    method: "GET",
    route,
    path,
    want,
    key,
  });
  const post = (
    route: string,
    path: string,
    body: unknown,
    want: number,
    key: Case["key"] = "ops",
  ): Case => ({
    method: "POST",
    route,
    path,
    body: JSON.stringify(body),
    type: "application/json",
    want,
    key,
  });
  return [
    get("/v1/health", "/v1/health", 200, "none"),
    get("/v1/openapi.json", "/v1/openapi.json", 200),
    get("/v1/aggregates", "/v1/aggregates?scope=001&period=2026-10&breakdown=children", 200),
    get("/v1/aggregates", "/v1/aggregates?scope=001001001&period=THIS_YEAR", 200, "leaf"),
    get("/v1/aggregates", "/v1/aggregates?period=2026-13", 400),
    get("/v1/aggregates", "/v1/aggregates?period=2026-10&bogus=1", 400),
    get("/v1/aggregates", "/v1/aggregates?scope=NOSUCH&period=2026-10", 404),
    get("/v1/aggregates", "/v1/aggregates?scope=001002&period=2026-10", 403, "leaf"),
    get("/v1/aggregates", "/v1/aggregates?period=2026-10", 401, "none"),
    get("/v1/completeness", "/v1/completeness?scope=001001&period=2026-Q3", 200, "area"),
    get("/v1/completeness", "/v1/completeness?scope=NOSUCH&period=2026-10", 404),
    get("/v1/completeness", "/v1/completeness?period=oops", 400),
    get("/v1/completeness", "/v1/completeness?scope=001002&period=2026-10", 403, "area"),
    get("/v1/returns", "/v1/returns?unit=001001001&period=2026-10", 200, "leaf"),
    get("/v1/returns", "/v1/returns?unit=001", 400),
    get("/v1/returns", "/v1/returns?unit=NOSUCH", 404),
    get("/v1/returns", "/v1/returns?unit=001002001", 403, "leaf"),
    post("/v1/uploads", "/v1/uploads", { period: "2026-10", fileName: "十月.csv" }, 201, "leaf"),
    post("/v1/uploads", "/v1/uploads", { period: "not-a-month" }, 400, "leaf"),
    post("/v1/uploads", "/v1/uploads", { unit: "001002001" }, 403, "leaf"),
    post("/v1/uploads", "/v1/uploads", { unit: "NOSUCH" }, 404),
    get("/v1/uploads", "/v1/uploads", 200, "leaf"),
    get("/v1/uploads", "/v1/uploads?status=failed", 200),
    get("/v1/uploads", "/v1/uploads?status=bogus", 400),
    get("/v1/uploads", "/v1/uploads?unit=NOSUCH", 404),
    get("/v1/uploads", "/v1/uploads?unit=001002", 403, "leaf"),
    get("/v1/uploads/{id}", `/v1/uploads/${uploadId}?limit=5`, 200),
    get("/v1/uploads/{id}", "/v1/uploads/bad!id", 400),
    get("/v1/uploads/{id}", "/v1/uploads/nosuchupload0", 404),
    get("/v1/uploads/{id}", `/v1/uploads/${foreignUploadId}`, 403, "leaf"),
    post(
      "/v1/uploads/{id}/explanations",
      `/v1/uploads/${explainId}/explanations`,
      { rows: [{ row: 2, explanation: "已核实" }] },
      201,
      "leaf",
    ),
    post(
      "/v1/uploads/{id}/explanations",
      `/v1/uploads/${uploadId}/explanations`,
      { rows: [{ row: 5, explanation: "无" }] },
      400,
      "leaf",
    ),
    post("/v1/uploads/{id}/explanations", `/v1/uploads/${explainId}/explanations`, { rows: [] }, 400, "leaf"),
    post(
      "/v1/uploads/{id}/explanations",
      "/v1/uploads/bad!id/explanations",
      { rows: [{ row: 2, explanation: "无" }] },
      400,
    ),
    post(
      "/v1/uploads/{id}/explanations",
      "/v1/uploads/nosuchupload0/explanations",
      { rows: [{ row: 2, explanation: "无" }] },
      404,
    ),
    post(
      "/v1/uploads/{id}/explanations",
      `/v1/uploads/${foreignUploadId}/explanations`,
      { rows: [{ row: 2, explanation: "无" }] },
      403,
      "leaf",
    ),
    get("/v1/uploads/{id}/file", `/v1/uploads/${uploadId}/file`, 200, "leaf"),
    get("/v1/uploads/{id}/file", `/v1/uploads/${foreignUploadId}/file`, 404),
    get("/v1/uploads/{id}/file", "/v1/uploads/bad!id/file", 400),
    get("/v1/uploads/{id}/file", `/v1/uploads/${foreignUploadId}/file`, 403, "leaf"),
    {
      method: "POST",
      route: "/v1/validate",
      path: "/v1/validate?limit=10",
      body: csv,
      type: "text/csv",
      want: 200,
      key: "leaf",
    },
    {
      method: "POST",
      route: "/v1/validate",
      path: "/v1/validate?format=xml",
      body: csv,
      type: "text/csv",
      want: 400,
    },
    {
      method: "POST",
      route: "/v1/validate",
      path: "/v1/validate?unit=001002",
      body: csv,
      type: "text/csv",
      want: 403,
      key: "leaf",
    },
    get("/v1/template", "/v1/template", 200, "leaf"),
    get("/v1/template", "/v1/template?scope=001001&period=2026-10", 200, "area"),
    get("/v1/template", "/v1/template?scope=001002", 403, "leaf"),
    get("/v1/template", "/v1/template?scope=NOSUCH", 404),
    get("/v1/template", "/v1/template?period=2026-99", 400),
    get("/v1/bulletins", "/v1/bulletins", 200),
    get("/v1/bulletins", "/v1/bulletins?scope=NOSUCH", 404),
    get("/v1/bulletins", "/v1/bulletins?scope=001002", 403, "area"),
    get("/v1/bulletins/{period}", "/v1/bulletins/2026-10", 404),
    get("/v1/bulletins/{period}", "/v1/bulletins/2026-99", 400),
    post("/v1/bulletins/{period}/render", "/v1/bulletins/2026-10/render", {}, 202),
    post("/v1/bulletins/{period}/render", "/v1/bulletins/2026-10/render", {}, 403, "leaf"),
    post("/v1/bulletins/{period}/render", "/v1/bulletins/oops/render", {}, 400),
    // 审签: 2026-09 is a 送审稿, 2026-08 issued (made in beforeAll), 2026-06 has no bulletin.
    post("/v1/bulletins/{period}/render", "/v1/bulletins/2026-08/render", {}, 409),
    post("/v1/bulletins/{period}/render", "/v1/bulletins/2026-08/render", { edition: 3 }, 404),
    get("/v1/bulletins/{period}", "/v1/bulletins/2026-09", 200),
    get("/v1/bulletins/{period}", "/v1/bulletins/2026-09", 404, "leaf"),
    get("/v1/bulletins/{period}/cases", "/v1/bulletins/2026-09/cases?limit=5", 200),
    get("/v1/bulletins/{period}/cases", "/v1/bulletins/2026-06/cases", 404),
    get("/v1/bulletins/{period}/cases", "/v1/bulletins/2026-09/cases?limit=0", 400),
    get("/v1/bulletins/{period}/cases", "/v1/bulletins/2026-09/cases", 403, "leaf"),
    post("/v1/bulletins/{period}/sign", "/v1/bulletins/2026-09/sign", { signer: "签发人", revision: 1 }, 202),
    post("/v1/bulletins/{period}/sign", "/v1/bulletins/2026-09/sign", { signer: "签发人", revision: 1 }, 409),
    post("/v1/bulletins/{period}/sign", "/v1/bulletins/2026-09/sign", { revision: 1 }, 400),
    post("/v1/bulletins/{period}/sign", "/v1/bulletins/2026-06/sign", { signer: "签发人", revision: 1 }, 404),
    post(
      "/v1/bulletins/{period}/sign",
      "/v1/bulletins/2026-09/sign",
      { signer: "签发人", revision: 1 },
      403,
      "leaf",
    ),
    post("/v1/bulletins/{period}/correct", "/v1/bulletins/2026-08/correct", { reason: "数字有误" }, 202),
    post("/v1/bulletins/{period}/correct", "/v1/bulletins/2026-08/correct", { reason: "数字有误" }, 409),
    post("/v1/bulletins/{period}/correct", "/v1/bulletins/2026-08/correct", {}, 400),
    post("/v1/bulletins/{period}/correct", "/v1/bulletins/2026-06/correct", { reason: "数字有误" }, 404),
    post("/v1/bulletins/{period}/correct", "/v1/bulletins/2026-08/correct", { reason: "x" }, 403, "leaf"),
    post(
      "/v1/bulletins/{period}/edit",
      "/v1/bulletins/2026-08/edit",
      { edition: 1, editor_note: "改写" },
      202,
    ),
    post("/v1/bulletins/{period}/edit", "/v1/bulletins/2026-09/edit", { comment: "按语" }, 409),
    post("/v1/bulletins/{period}/edit", "/v1/bulletins/2026-08/edit", { edition: 1 }, 400),
    post("/v1/bulletins/{period}/edit", "/v1/bulletins/2026-06/edit", { comment: "按语" }, 404),
    post("/v1/bulletins/{period}/edit", "/v1/bulletins/2026-08/edit", { comment: "按语" }, 403, "leaf"),
    get("/v1/reviews", "/v1/reviews?scope=001001&period=2026-10", 200, "area"),
    get("/v1/reviews", "/v1/reviews?scope=001001&period=2026-Q3", 400, "area"),
    get("/v1/reviews", "/v1/reviews?scope=NOSUCH&period=2026-10", 404),
    get("/v1/reviews", "/v1/reviews?scope=001002&period=2026-10", 403, "area"),
    post(
      "/v1/reviews",
      "/v1/reviews",
      { unit: "001001002", period: "2026-10", action: "approve", version: "x#y" },
      409,
      "area",
    ),
    post(
      "/v1/reviews",
      "/v1/reviews",
      { unit: "001001002", period: "2026-10", action: "maybe", version: "x" },
      400,
      "area",
    ),
    post(
      "/v1/reviews",
      "/v1/reviews",
      { unit: "001001001", period: "2026-10", action: "approve", version: "x" },
      403,
      "leaf",
    ),
    get("/v1/reviews/{unit}/{period}", "/v1/reviews/001001002/2026-10", 200, "area"),
    get("/v1/reviews/{unit}/{period}", "/v1/reviews/NOSUCH/2026-10", 404),
    post("/v1/locks", "/v1/locks", { scope: "001001", period: "2026-10", action: "confirm" }, 409),
    post("/v1/locks", "/v1/locks", { scope: "001", period: "2026-10", action: "confirm" }, 400),
    post("/v1/locks", "/v1/locks", { scope: "001001", period: "2026-10", action: "confirm" }, 403, "area"),
    get("/v1/units", "/v1/units", 200, "area"),
    get("/v1/units/{code}", "/v1/units/001001", 200),
    get("/v1/units/{code}", "/v1/units/NOSUCH", 404),
    get("/v1/units/{code}", "/v1/units/a%20b", 400),
    get("/v1/units/{code}", "/v1/units/001002", 403, "leaf"),
  ];
}

let doc: Json;
const ajv = new Ajv2020({ strict: false, allErrors: true });

beforeAll(async () => {
  const fx = fxOf();
  doc = (await call(fx, "/v1/openapi.json", { key: fx.keys.ops })).json();
  // Components are reachable as "#/components/schemas/…" from every response schema.
  ajv.addSchema({ $id: "openapi.json", components: doc.components } as Json);
  const created = await call(fx, "/v1/uploads", {
    key: fx.keys.leaf,
    method: "POST",
    body: JSON.stringify({ period: "2026-10" }),
    headers: { "content-type": "application/json" },
  });
  uploadId = created.json().uploadId;
  await postUploadForm(created.json(), new TextEncoder().encode(csv), "upload.csv");
  const explain = await call(fx, "/v1/uploads", {
    key: fx.keys.leaf,
    method: "POST",
    body: JSON.stringify({ period: "2026-09" }),
    headers: { "content-type": "application/json" },
  });
  explainId = explain.json().uploadId;
  const warning = returnCsv([{ unit: "001001001", period: "2026-09", values: warningValues() }]);
  await postUploadForm(explain.json(), new TextEncoder().encode(warning), "warning.csv");
  const foreign = await call(fx, "/v1/uploads", {
    key: fx.keys.ops,
    method: "POST",
    body: JSON.stringify({ unit: "001002001", period: "2026-10" }),
    headers: { "content-type": "application/json" },
  });
  foreignUploadId = foreign.json().uploadId;
  // Wait for the report so the 200 carries one.
  for (const id of [uploadId, explainId]) {
    for (let i = 0; i < 100; i++) {
      const state = (await call(fx, `/v1/uploads/${id}`, { key: fx.keys.ops })).json();
      if (state.report) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  // Bulletins in each state the 审签 routes answer for: a 送审稿 (2026-09) and an issued one (2026-08).
  const services = fx.stack.services;
  const deps: BulletinDeps = {
    stores: services.stores,
    objects: services.objects,
    registry: await services.registry(),
    deadlineDay: services.config.DEADLINE_DAY,
    wording: await loadWording(),
    compose: composeBulletin,
    render: renderBulletinPdf,
  };
  await renderDraft(deps, "001", "2026-09", new Date());
  const august = await renderDraft(deps, "001", "2026-08", new Date());
  const signer = { revision: august.record.revision, signer: "签发人", signedBy: "contract" };
  await signBulletin(services.stores.bulletins, deps.registry, "001", "2026-08", signer, new Date());
  await issueBulletin(deps, "001", "2026-08", new Date());
}, 180_000);

/** Rewrites the document's local refs so ajv resolves them against the added components. */
function resolvable(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(resolvable);
  if (!schema || typeof schema !== "object") return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    out[k] =
      k === "$ref" && typeof v === "string" && v.startsWith("#/components/")
        ? `openapi.json${v}`
        : resolvable(v);
  }
  return out;
}

function documented(c: Case): Json | undefined {
  const paths = doc.paths as Record<string, Record<string, { responses: Record<string, Json> }>>;
  return paths[c.route]?.[c.method.toLowerCase()]?.responses;
}

async function send(c: Case): Promise<Reply> {
  const fx = fxOf();
  const key = c.key === "none" ? undefined : fx.keys[c.key ?? "ops"];
  return call(fx, c.path, {
    key,
    method: c.method,
    ...(c.body !== undefined
      ? { body: c.body, headers: { "content-type": c.type ?? "application/json" } }
      : {}),
  });
}

describe("OpenAPI contract", () => {
  it("documents every route the server has", () => {
    const routes = new Set(cases().map((c) => `${c.method} ${c.route}`));
    const paths = doc.paths as Record<string, Record<string, unknown>>;
    const listed = Object.entries(paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(listed.filter((r) => !routes.has(r))).toEqual([]);
  });

  it("answers every call with a documented status and a body valid against its schema", async () => {
    const problems: string[] = [];
    for (const c of cases()) {
      const reply = await send(c);
      const where = `${c.method} ${c.path} (${c.key ?? "ops"})`;
      if (reply.status !== c.want)
        problems.push(`${where}: status ${reply.status}, want ${c.want}: ${reply.text.slice(0, 200)}`);
      const response = documented(c)?.[String(reply.status)] as
        | { content?: Record<string, { schema?: unknown }> }
        | undefined;
      if (!response) {
        problems.push(`${where}: status ${reply.status} is not documented`);
        continue;
      }
      const type = (reply.headers.get("content-type") ?? "").split(";")[0] ?? "";
      if (type !== "application/json") continue;
      const schema = response.content?.["application/json"]?.schema;
      if (!schema) {
        problems.push(`${where}: no JSON schema documented for ${reply.status}`);
        continue;
      }
      const validate = ajv.compile(resolvable(schema) as Json);
      if (!validate(reply.json())) {
        problems.push(
          `${where}: body does not match the documented schema: ${ajv.errorsText(validate.errors)}`,
        );
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
