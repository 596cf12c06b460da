/**
 * Nobody gets in where they don't belong: every refusal over real HTTP, through the same Lambda
 * authorizer and API handler that run on AWS, and the key commands that issue and revoke keys.
 */

import type { APIGatewayRequestAuthorizerEventV2 } from "aws-lambda";
import { describe, expect, it } from "vitest";
import type { ApiRequest } from "../../lib/api/http.ts";
import { ROUTES } from "../../lib/api/routes/all.ts";
import { registerKeys } from "../../scripts/commands/keys.ts";
import { call, runCommand, useApiFixture } from "./fixture.ts";

const fxOf = useApiFixture();

/** A concrete path for every route pattern. */
function concrete(path: string): string {
  return path.replace("{period}", "2026-10").replace("{id}", "abcdef123456").replace("{code}", "001");
}

describe("Auth: refusals", () => {
  it("answers 401 E_AUTH_MISSING on every route but health when no key is sent", async () => {
    const fx = fxOf();
    for (const route of ROUTES) {
      const reply = await call(fx, concrete(route.path), { method: route.method });
      if (!route.auth) {
        expect(reply.status, route.path).toBe(200);
        continue;
      }
      expect(reply.status, `${route.method} ${route.path}`).toBe(401);
      expect(reply.json().error.code).toBe("E_AUTH_MISSING");
      expect(reply.headers.get("www-authenticate")).toContain("Bearer");
    }
  });

  it("answers 401 E_AUTH_INVALID for an unknown key and for text that is not a key", async () => {
    const fx = fxOf();
    const forged = `djk_abcdefgh_${"A".repeat(40)}`;
    for (const key of [forged, "hello", `${fx.keys.ops}x`]) {
      const reply = await call(fx, "/v1/units", { key });
      expect(reply.status, key).toBe(401);
      expect(reply.json().error.code).toBe("E_AUTH_INVALID");
    }
  });

  it("answers 401 E_AUTH_REVOKED for a revoked key", async () => {
    const fx = fxOf();
    const reply = await call(fx, "/v1/units", { key: fx.keys.revoked });
    expect(reply.status).toBe(401);
    expect(reply.json().error).toMatchObject({ code: "E_AUTH_REVOKED" });
    expect(reply.json().error.message).toContain("吊销");
  });

  it("accepts the key as Authorization: Bearer and as x-api-key", async () => {
    const fx = fxOf();
    expect((await call(fx, "/v1/units", { key: fx.keys.ops })).status).toBe(200);
    expect((await call(fx, "/v1/units", { headers: { "x-api-key": fx.keys.ops } })).status).toBe(200);
  });

  it("checks the key before saying a path does not exist, and answers 405 for a wrong method", async () => {
    const fx = fxOf();
    expect((await call(fx, "/v1/secret-admin")).status).toBe(401);
    expect((await call(fx, "/v1/secret-admin", { key: fx.keys.ops })).status).toBe(404);
    const wrong = await call(fx, "/v1/units", { key: fx.keys.ops, method: "DELETE" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET");
    expect((await call(fx, "/elsewhere")).status).toBe(404);
  });

  it("keeps a unit key inside its node's subtree with 403 outside", async () => {
    const fx = fxOf();
    const { leaf, area } = fx.keys;
    const status = async (path: string, key: string) => (await call(fx, path, { key })).status;
    expect(await status("/v1/aggregates?period=2026-10", leaf)).toBe(200);
    expect(await status("/v1/aggregates?scope=001001001&period=2026-10", leaf)).toBe(200);
    expect(await status("/v1/aggregates?scope=001&period=2026-10", leaf)).toBe(403);
    expect(await status("/v1/aggregates?scope=001001002&period=2026-10", leaf)).toBe(403);
    expect(await status("/v1/aggregates?scope=001001002&period=2026-10", area)).toBe(200);
    expect(await status("/v1/aggregates?scope=001002&period=2026-10", area)).toBe(403);
    expect(await status("/v1/completeness?scope=001&period=2026-10", area)).toBe(403);
    expect(await status("/v1/returns?unit=001002001", leaf)).toBe(403);
    expect(await status("/v1/units/001", leaf)).toBe(403);
    expect(await status("/v1/uploads?unit=001", area)).toBe(403);
    expect(await status("/v1/bulletins?scope=001", area)).toBe(403);
    // An unknown code outside the subtree is refused, not reported missing: no probing of codes.
    expect(await status("/v1/units/999999", leaf)).toBe(403);
    const forbidden = await call(fx, "/v1/aggregates?scope=001&period=2026-10", { key: leaf });
    expect(forbidden.json().error).toMatchObject({ code: "E_FORBIDDEN" });
    expect(forbidden.json().error.message).toContain("第1片区第1机关党支部");
    const units = (await call(fx, "/v1/units", { key: area })).json();
    expect(units.units.map((u: { code: string }) => u.code)).toEqual([
      "001001",
      "001001001",
      "001001002",
      "001001003",
      "001001004",
    ]);
  });

  it("lets only an ops key render a bulletin", async () => {
    const fx = fxOf();
    const refused = await call(fx, "/v1/bulletins/2026-10/render", { key: fx.keys.area, method: "POST" });
    expect(refused.status).toBe(403);
    expect(refused.json().error.message).toContain("运维");
    expect(fx.renders).toEqual([]);
    const accepted = await call(fx, "/v1/bulletins/2026-10/render", { key: fx.keys.ops, method: "POST" });
    expect(accepted.status).toBe(202);
    expect(fx.renders).toEqual([{ scope: "001", period: "2026-10" }]);
  });

  it("gives a unit key upload URLs only under its own prefix", async () => {
    const fx = fxOf();
    const post = (key: string, body: unknown) =>
      call(fx, "/v1/uploads", {
        key,
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json" },
      });
    const own = await post(fx.keys.leaf, {});
    expect(own.status).toBe(201);
    expect(own.json().key).toMatch(/^incoming\/001001001\/2026-10\/[A-Za-z0-9_-]{22}\.csv$/);
    expect((await post(fx.keys.leaf, { unit: "001002001" })).status).toBe(403);
    expect((await post(fx.keys.leaf, { unit: "001" })).status).toBe(403);
    const child = await post(fx.keys.area, { unit: "001001002", period: "2026-09" });
    expect(child.json().key).toMatch(/^incoming\/001001002\/2026-09\//);
  });
});

describe("Command: dangjian keys", () => {
  it("creates a unit key that works at once, lists it, and revokes it with immediate effect", async () => {
    const fx = fxOf();
    const created = await runCommand(registerKeys, [
      "keys",
      "create",
      "--role",
      "unit",
      "--unit",
      "001002",
      "--label",
      "第2片区",
    ]);
    expect(created.exit, created.err).toBe(0);
    const key = /djk_[a-z0-9]{8}_[A-Za-z0-9]{40}/.exec(created.out)?.[0] ?? "";
    expect(key).not.toBe("");
    expect(created.out).toContain("只显示这一次");
    expect((await call(fx, "/v1/units/001002001", { key })).status).toBe(200);
    expect((await call(fx, "/v1/units/001001001", { key })).status).toBe(403);

    const listed = await runCommand(registerKeys, ["keys", "list"]);
    const keyId = key.split("_")[1] ?? "";
    expect(listed.out).toMatch(new RegExp(`${keyId}\\s+单位\\s+001002\\s+第2片区`));
    expect(listed.out).not.toContain(key);

    const revoked = await runCommand(registerKeys, ["keys", "revoke", keyId]);
    expect(revoked.exit).toBe(0);
    expect((await call(fx, "/v1/units/001002001", { key })).status).toBe(401);
    expect((await runCommand(registerKeys, ["keys", "list"])).out).toMatch(new RegExp(`${keyId}.*已吊销`));
  });

  it("refuses a unit key for a code outside the registry and a missing --unit", async () => {
    const unknown = await runCommand(registerKeys, ["keys", "create", "--role", "unit", "--unit", "1001"]);
    expect(unknown.exit).toBe(2);
    expect(unknown.err).toContain("001001");
    expect((await runCommand(registerKeys, ["keys", "create", "--role", "unit"])).exit).toBe(2);
    expect((await runCommand(registerKeys, ["keys", "revoke", "zzzzzzzz"])).exit).toBe(1);
  });

  it("creates an ops key", async () => {
    const fx = fxOf();
    const created = await runCommand(registerKeys, ["keys", "create", "--role", "ops", "--json"]);
    const { key, role } = JSON.parse(created.out) as { key: string; role: string };
    expect(role).toBe("ops");
    expect((await call(fx, "/v1/aggregates?scope=001&period=2026-10", { key })).status).toBe(200);
  });
});

/** The event API Gateway sends for a GET (HTTP API, payload 2.0). */
function gatewayGet(path: string, routeKey: string, headers: Record<string, string>, query = ""): ApiRequest {
  return {
    version: "2.0",
    routeKey,
    rawPath: path,
    rawQueryString: query,
    ...(query ? { queryStringParameters: Object.fromEntries(new URLSearchParams(query)) } : {}),
    headers,
    isBase64Encoded: false,
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      domainName: "api.example.com",
      domainPrefix: "api",
      http: { method: "GET", path, protocol: "HTTP/1.1", sourceIp: "10.0.0.1", userAgent: "t" },
      requestId: "req-1",
      routeKey,
      stage: "$default",
      time: "10/Nov/2026:04:00:00 +0000",
      timeEpoch: 0,
    },
  };
}

describe("Deployed handlers: functions/authorizer.ts and functions/api.ts", () => {
  it("authorise and answer the events API Gateway sends", async () => {
    const fx = fxOf();
    const { handler: authorizer } = await import("../../functions/authorizer.ts");
    const { handler: api } = await import("../../functions/api.ts");
    const request = (headers: Record<string, string>): ApiRequest => ({
      ...gatewayGet("/v1/units/001001", "ANY /v1/{proxy+}", headers),
      pathParameters: { proxy: "units/001001" },
    });
    const withKey = request({ authorization: `Bearer ${fx.keys.area}` });
    const verdict = await authorizer({
      ...withKey,
      type: "REQUEST",
      routeArn: "arn:aws-cn:execute-api:cn-north-1:123456789012:api/$default/GET/v1/units/001001",
      identitySource: [`Bearer ${fx.keys.area}`],
      cookies: [],
    } as APIGatewayRequestAuthorizerEventV2);
    expect(verdict).toMatchObject({
      isAuthorized: true,
      context: { auth: "ok", role: "unit", unit: "001001" },
    });
    const ok = await api({
      ...withKey,
      requestContext: { ...withKey.requestContext, authorizer: { lambda: verdict.context } },
    });
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ code: "001001", reporting_units: 4 });
    const anonymous = await api(request({}));
    expect(anonymous.statusCode).toBe(401);
  });

  it("functions/check.ts serves the portal's Excel template page and GET /v1/template with the spreadsheet library", async () => {
    const fx = fxOf();
    const { handler: authorizer } = await import("../../functions/authorizer.ts");
    const { handler: check } = await import("../../functions/check.ts");
    const event = (path: string, routeKey: string): ApiRequest =>
      gatewayGet(path, routeKey, { authorization: `Bearer ${fx.keys.leaf}` }, "period=2026-10");
    for (const [path, routeKey] of [
      ["/web/template.xlsx", "GET /web/template.xlsx"],
      ["/v1/template", "GET /v1/template"],
    ] as const) {
      const request = event(path, routeKey);
      const verdict = await authorizer({
        ...request,
        type: "REQUEST",
        routeArn: `arn:aws-cn:execute-api:cn-north-1:123456789012:api/$default/GET${path}`,
        identitySource: [`Bearer ${fx.keys.leaf}`],
        cookies: [],
      } as APIGatewayRequestAuthorizerEventV2);
      expect(verdict.isAuthorized, path).toBe(true);
      const answer = await check({
        ...request,
        requestContext: { ...request.requestContext, authorizer: { lambda: verdict.context } },
      });
      expect(answer.statusCode, `${path}: ${answer.body.slice(0, 200)}`).toBe(200);
      expect(answer.headers?.["content-type"], path).toContain("spreadsheetml");
      const bytes = Buffer.from(answer.body, "base64");
      expect([...bytes.subarray(0, 2)], path).toEqual([0x50, 0x4b]);
    }
  });
});
