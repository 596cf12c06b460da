/**
 * Portal sessions on the real local stack (DynamoDB Local): repeated login failures from one
 * client are slowed down (and only that client), an idle session ends after 8 hours while an
 * active one goes on, the cookie opens portal pages but never the JSON API, and it is Secure
 * when deployed. The login handler runs in-process here so the client address and clock can vary.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { apiSettings } from "../../lib/api/context.ts";
import { createApiHandler } from "../../lib/api/handler.ts";
import type { ApiRequest, ApiResponse } from "../../lib/api/http.ts";
import { ROUTES } from "../../lib/api/routes/all.ts";
import {
  authenticateSession,
  loginDelaySeconds,
  newApiKey,
  newSession,
  SESSION_IDLE_SECONDS,
} from "../../lib/domain/auth.ts";
import { createHttpHandler, portalDeps } from "../../lib/web/index.ts";
import { startApiServer } from "../../scripts/local/http.ts";
import { buildWebAssets } from "../../scripts/web/assets.ts";
import { loadRegistry, registryCsv, useLocalStack } from "../support/stack.ts";

const stackOf = useLocalStack({ LOG_LEVEL: "silent" });
const built: string[] = [];
afterAll(async () => {
  for (const dir of built) await rm(dir, { recursive: true, force: true });
});

function loginRequest(ip: string, body: string, host = "portal.example"): ApiRequest {
  return {
    version: "2.0",
    routeKey: "ANY /web/{proxy+}",
    rawPath: "/web/login",
    rawQueryString: "",
    headers: { host, origin: `https://${host}`, "content-type": "application/x-www-form-urlencoded" },
    requestContext: {
      accountId: "0",
      apiId: "test",
      domainName: host,
      domainPrefix: "portal",
      http: { method: "POST", path: "/web/login", protocol: "HTTP/1.1", sourceIp: ip, userAgent: "test" },
      requestId: `r${Math.random()}`,
      routeKey: "ANY /web/{proxy+}",
      stage: "$default",
      time: "",
      timeEpoch: 0,
    },
    body,
    isBase64Encoded: false,
  };
}

async function setup(now: () => Date, secureCookies = false) {
  const stack = stackOf();
  await loadRegistry(stack, registryCsv(1, 2));
  const { services } = stack;
  const api = createApiHandler(
    {
      stores: services.stores,
      objects: services.objects,
      registry: services.registry,
      settings: apiSettings(services.config, { cacheSeconds: 0 }),
      now,
    },
    ROUTES,
  );
  const assetsDir = await mkdtemp(join(tmpdir(), "dangjian-web-test-"));
  built.push(assetsDir);
  await buildWebAssets(assetsDir);
  const handler = createHttpHandler(
    api,
    portalDeps({
      api,
      stores: services.stores,
      assetsDir,
      secureCookies,
      maxUploadBytes: services.config.MAX_UPLOAD_BYTES,
      presignPost: (key, seconds, limits) => services.objects.presignPost(key, seconds, limits),
      now,
    }),
  );
  const made = newApiKey({ role: "unit", unit: "001001001", label: "测试" }, now());
  await services.stores.keys.putKey(made.record);
  return { stack, handler, key: made.key };
}

const form = (code: string, key: string) => new URLSearchParams({ code, key }).toString();
const text = (r: ApiResponse) =>
  r.isBase64Encoded ? Buffer.from(r.body, "base64").toString("utf8") : r.body;

describe("Portal sessions", () => {
  it("slows repeated login failures from one client, and only that client", async () => {
    let clock = Date.parse("2026-11-10T02:00:00Z");
    const { handler, key } = await setup(() => new Date(clock));
    const wrong = `${key.slice(0, -4)}XXXX`;
    for (let i = 0; i < 3; i++) {
      const r = await handler(loginRequest("10.0.0.1", form("001001001", wrong)));
      expect(r.statusCode).toBe(401);
      expect(text(r)).toContain("单位代码或填报密钥不正确");
    }
    // A wrong 单位代码 with the right key gets the very same answer.
    const mismatch = await handler(loginRequest("10.0.0.9", form("001001002", key)));
    expect(mismatch.statusCode).toBe(401);
    expect(text(mismatch)).toContain("单位代码或填报密钥不正确");
    // After three failures even the right key is not checked until the wait is over.
    const held = await handler(loginRequest("10.0.0.1", form("001001001", key)));
    expect(held.statusCode).toBe(429);
    expect(text(held)).toMatch(/尝试次数过多,请 \d+ 秒后再试/);
    expect(held.cookies ?? []).toEqual([]);
    const other = await handler(loginRequest("10.0.0.2", form("001001001", key)));
    expect(other.statusCode).toBe(303);
    clock += loginDelaySeconds(3) * 1000 + 1;
    const later = await handler(loginRequest("10.0.0.1", form("001001001", key)));
    expect(later.statusCode).toBe(303);
    expect(later.headers.location).toBe("/web/home");
    expect(loginDelaySeconds(4)).toBe(2 * loginDelaySeconds(3));
  });

  it("ends an idle session after 8 hours and keeps an active one going", async () => {
    const stack = stackOf();
    const { sessions, keys } = stack.services.stores;
    const t0 = new Date("2026-11-10T02:00:00Z");
    const made = newApiKey({ role: "unit", unit: "001001002" }, t0);
    await keys.putKey(made.record);
    const { token, record } = newSession(made.record, t0);
    await sessions.putSession(record);
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
    const almost = SESSION_IDLE_SECONDS - 60;
    expect((await authenticateSession(token, sessions, keys, at(almost))).kind).toBe("ok");
    // That request moved the expiry: another almost-8 hours later it still works.
    expect((await authenticateSession(token, sessions, keys, at(2 * almost))).kind).toBe("ok");
    expect(
      (await authenticateSession(token, sessions, keys, at(2 * almost + SESSION_IDLE_SECONDS + 1))).kind,
    ).toBe("invalid");
    expect((await authenticateSession("djs_notarealtoken", sessions, keys, t0)).kind).toBe("invalid");
  });

  it("takes the cookie on portal pages only, never on the JSON API, and marks it Secure when deployed", async () => {
    const stack = stackOf();
    const made = newApiKey({ role: "unit", unit: "001001001" }, new Date());
    await stack.services.stores.keys.putKey(made.record);
    const server = await startApiServer({ services: stack.services, ready: true, authCacheSeconds: 0 });
    try {
      const origin = server.url;
      const login = await fetch(`${origin}/web/login`, {
        method: "POST",
        headers: { origin, "content-type": "application/x-www-form-urlencoded" },
        body: form("001001001", made.key),
        redirect: "manual",
      });
      expect(login.status).toBe(303);
      const cookie = login.headers.get("set-cookie") ?? "";
      expect(cookie).toMatch(/^dj_session=djs_\w+; Path=\/; HttpOnly; SameSite=Strict$/);
      const session = cookie.split(";")[0] as string;
      expect((await fetch(`${origin}/web/home`, { headers: { cookie: session } })).status).toBe(200);
      const api = await fetch(`${origin}/v1/units`, { headers: { cookie: session } });
      expect(api.status).toBe(401);
    } finally {
      await server.close();
    }
    const deployed = await setup(() => new Date(), true);
    const r = await deployed.handler(loginRequest("10.0.1.1", form("001001001", deployed.key)));
    expect(r.statusCode).toBe(303);
    expect(r.cookies?.[0]).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
  });
});
