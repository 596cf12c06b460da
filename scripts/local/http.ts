/**
 * The HTTP API on localhost, shaped like API Gateway's HTTP API: each request becomes a payload
 * 2.0 event, goes through the same Lambda authorizer (REQUEST, simple responses) and then the same
 * API handler as in AWS, and the structured result is written back. Routes as serverless.yml
 * declares them: GET /v1/health, GET / and GET /assets/{proxy+} without authorizer,
 * ANY /v1/{proxy+} and ANY /web/{proxy+} (the portal: session cookie or key) with it.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { APIGatewayRequestAuthorizerEventV2 } from "aws-lambda";
import { createAuthorizer, DEFAULT_KEY_CACHE_SECONDS } from "../../lib/api/authorizer.ts";
import { type ApiSettings, apiSettings, type BulletinRenderer } from "../../lib/api/context.ts";
import { createApiHandler } from "../../lib/api/handler.ts";
import type { ApiRequest, ApiResponse } from "../../lib/api/http.ts";
import { ROUTES } from "../../lib/api/routes/all.ts";
import type { Services } from "../../lib/aws/services.ts";
import { ensureKey, newApiKey, weakKeyReason } from "../../lib/domain/auth.ts";
import { createHttpHandler, portalDeps } from "../../lib/web/index.ts";
import { buildWebAssets } from "../web/assets.ts";

export interface ApiServerOptions {
  readonly services: Services;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Called for POST /v1/bulletins/{period}/render (locally: the bulletin handler itself). */
  readonly renderBulletin?: BulletinRenderer;
  /** Overrides of the API settings, e.g. { cacheSeconds: 0 } in tests. */
  readonly settings?: Partial<ApiSettings>;
  /** How long the authorizer reuses a key lookup (default 10 s; 0 makes revocation immediate). */
  readonly authCacheSeconds?: number;
  /** The API's clock (tests pin it to resolve THIS_MONTH and friends). */
  readonly now?: () => Date;
  /** Whether health answers 200 from the start (default false: call setReady(true)). */
  readonly ready?: boolean;
  readonly log?: (line: string) => void;
  /** Built portal assets; by default they are built into a temporary folder for this server. */
  readonly assetsDir?: string;
}

export interface ApiServer {
  readonly url: string;
  setReady(ready: boolean): void;
  close(): Promise<void>;
}

/** API Gateway's payload limit for HTTP APIs. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Content types API Gateway passes as text; everything else arrives base64-encoded. */
const TEXT_TYPES =
  /^(?:text\/|application\/(?:json|xml|javascript|x-www-form-urlencoded)|application\/[\w.+-]+\+(?:json|xml))/i;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** requestContext.time as API Gateway writes it: 27/Nov/2026:08:21:25 +0000. */
function gatewayTime(at: Date): string {
  const p = (n: number): string => String(n).padStart(2, "0");
  return `${p(at.getUTCDate())}/${MONTHS[at.getUTCMonth()]}/${at.getUTCFullYear()}:${p(at.getUTCHours())}:${p(at.getUTCMinutes())}:${p(at.getUTCSeconds())} +0000`;
}

function readBody(req: IncomingMessage): Promise<Buffer | "too large"> {
  // Most requests are GETs without a body: skip the stream machinery for them.
  if (req.headers["content-length"] === undefined && req.headers["transfer-encoding"] === undefined) {
    return Promise.resolve(Buffer.alloc(0));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners("data");
        req.resume();
        resolve("too large");
      } else {
        chunks.push(chunk);
      }
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function lowerCaseHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === "cookie") continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
  }
  return headers;
}

/** Repeated parameters are joined with commas, as API Gateway does. */
function queryParameters(raw: string): Record<string, string> | undefined {
  if (!raw) return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(raw))
    out[name] = name in out ? `${out[name]},${value}` : value;
  return out;
}

/** The API Gateway event for one request, before the authorizer has run. */
export function gatewayEvent(
  req: IncomingMessage,
  body: Buffer,
  routeKey: string,
  proxy: string | undefined,
): ApiRequest {
  const [rawPath = "/", rawQueryString = ""] = (req.url ?? "/").split(/\?(.*)/s, 2);
  const headers = lowerCaseHeaders(req);
  const cookies = req.headers.cookie?.split(/;\s*/).filter(Boolean);
  const contentType = headers["content-type"] ?? "";
  const binary = body.length > 0 && !TEXT_TYPES.test(contentType);
  const now = new Date();
  const host = headers.host ?? "localhost";
  return {
    version: "2.0",
    routeKey,
    rawPath,
    rawQueryString,
    ...(cookies?.length ? { cookies } : {}),
    headers,
    queryStringParameters: queryParameters(rawQueryString),
    pathParameters: proxy === undefined ? undefined : { proxy },
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: host,
      domainPrefix: host.split(".")[0] ?? host,
      http: {
        method: (req.method ?? "GET").toUpperCase(),
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey,
      stage: "$default",
      time: gatewayTime(now),
      timeEpoch: now.getTime(),
    },
    body: body.length ? body.toString(binary ? "base64" : "utf8") : undefined,
    isBase64Encoded: binary,
  };
}

function authorizerEvent(request: ApiRequest): APIGatewayRequestAuthorizerEventV2 {
  const { method } = request.requestContext.http;
  return {
    version: "2.0",
    type: "REQUEST",
    routeArn: `arn:aws-cn:execute-api:cn-north-1:000000000000:local/$default/${method}${request.rawPath}`,
    identitySource: [request.headers.authorization ?? request.headers["x-api-key"] ?? ""].filter(Boolean),
    routeKey: request.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    cookies: request.cookies ?? [],
    headers: request.headers,
    queryStringParameters: request.queryStringParameters,
    requestContext: request.requestContext,
    pathParameters: request.pathParameters,
  };
}

function send(res: ServerResponse, result: ApiResponse): void {
  const body = result.isBase64Encoded ? Buffer.from(result.body, "base64") : Buffer.from(result.body, "utf8");
  for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value);
  if (result.cookies?.length) res.setHeader("set-cookie", result.cookies);
  res.setHeader("content-length", body.length);
  res.writeHead(result.statusCode);
  res.end(body);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** API Gateway's own answers (not the API's): unknown route, refused authorizer, authorizer failure. */
function gatewayAnswer(status: number, message: string): ApiResponse {
  return {
    statusCode: status,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ message }),
  };
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { services } = options;
  const log = options.log ?? (() => {});
  let ready = options.ready ?? false;
  const authorize = createAuthorizer(services.stores.keys, {
    cacheSeconds: options.authCacheSeconds ?? DEFAULT_KEY_CACHE_SECONDS,
    sessions: services.stores.sessions,
    ...(options.now ? { clock: () => (options.now as () => Date)().getTime() } : {}),
  });
  const builtAssets = options.assetsDir ? undefined : await mkdtemp(join(tmpdir(), "dangjian-web-"));
  if (builtAssets) await buildWebAssets(builtAssets);
  const api = createApiHandler(
    {
      stores: services.stores,
      objects: services.objects,
      registry: services.registry,
      settings: apiSettings(services.config, options.settings),
      renderBulletin: options.renderBulletin,
      now: options.now ?? (() => new Date()),
      ready: () => ready,
      logError: (entry) => log(JSON.stringify(entry)),
    },
    ROUTES,
  );
  const http = createHttpHandler(
    api,
    portalDeps({
      api,
      stores: services.stores,
      assetsDir: options.assetsDir ?? (builtAssets as string),
      // Plain HTTP on localhost: a Secure cookie would never come back.
      secureCookies: false,
      maxUploadBytes: services.config.MAX_UPLOAD_BYTES,
      presignPost: (key, seconds, limits) => services.objects.presignPost(key, seconds, limits),
      ...(options.now ? { now: options.now } : {}),
      logError: (entry) => log(JSON.stringify(entry)),
    }),
  );

  const handle = async (req: IncomingMessage): Promise<ApiResponse> => {
    const body = await readBody(req);
    if (body === "too large") return gatewayAnswer(413, "Request Entity Too Large");
    const method = (req.method ?? "GET").toUpperCase();
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (method === "GET" && path === "/v1/health") {
      return api(gatewayEvent(req, body, "GET /v1/health", undefined));
    }
    if (method === "GET" && path === "/") return http(gatewayEvent(req, body, "GET /", undefined));
    if (method === "GET" && path.startsWith("/assets/")) {
      return http(gatewayEvent(req, body, "GET /assets/{proxy+}", safeDecode(path.slice("/assets/".length))));
    }
    const prefix = path.startsWith("/v1/") ? "/v1/" : path.startsWith("/web/") ? "/web/" : undefined;
    if (!prefix) return gatewayAnswer(404, "Not Found");
    const event = gatewayEvent(req, body, `ANY ${prefix}{proxy+}`, safeDecode(path.slice(prefix.length)));
    let verdict: Awaited<ReturnType<typeof authorize>>;
    try {
      verdict = await authorize(authorizerEvent(event));
    } catch (err) {
      log(`授权函数出错:${err instanceof Error ? err.message : String(err)}`);
      return gatewayAnswer(500, "Internal Server Error");
    }
    if (!verdict.isAuthorized) return gatewayAnswer(403, "Forbidden");
    return http({
      ...event,
      requestContext: { ...event.requestContext, authorizer: { lambda: verdict.context } },
    });
  };

  const server = createServer((req, res) => {
    handle(req)
      .then((result) => send(res, result))
      .catch((err: unknown) => {
        log(`本地接口出错:${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        send(res, gatewayAnswer(500, "Internal Server Error"));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${address.port}`,
    setReady(value) {
      ready = value;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => (builtAssets ? rm(builtAssets, { recursive: true, force: true }) : undefined));
    },
  };
}

/**
 * The local ops key: DANGJIAN_OPS_KEY when set (stored if it is not yet), otherwise a new one.
 * Returns the key so the runner can print it.
 */
export async function installOpsKey(services: Services, fromEnv: string | undefined): Promise<string> {
  const request = { role: "ops" as const, unit: null, label: "本地运维密钥" };
  const now = new Date();
  if (fromEnv) {
    const weak = weakKeyReason(fromEnv);
    if (weak || !(await ensureKey(services.stores.keys, fromEnv, request, now))) {
      throw new Error(`DANGJIAN_OPS_KEY ${weak ?? "格式不正确"}`);
    }
    return fromEnv;
  }
  const { key, record } = newApiKey(request, now);
  await services.stores.keys.putKey(record);
  return key;
}
