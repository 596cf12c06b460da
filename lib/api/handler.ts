/**
 * The API's one entry point: request → (key check) → route → response, with every error turned
 * into `{error: {code, message}}` here and nowhere else. Deployed behind API Gateway's Lambda
 * authorizer, locally behind scripts/local/http.ts, which calls the same authorizer first.
 */
import { randomUUID } from "node:crypto";
import type { Principal } from "../domain/auth.ts";
import { BulletinMissing, BulletinRequestError, BulletinStateError, RegistryMissing } from "../errors.ts";
import { createLogger } from "../support/log.ts";
import { WorkflowConflict } from "../workflow/service.ts";
import { cachedReads, TtlCache } from "./cache.ts";
import type { ApiDeps, PublicContext, RequestContext } from "./context.ts";
import { ApiError, BadRequest, Conflict, NotFound, Unauthenticated, Unavailable } from "./errors.ts";
import {
  type ApiRequest,
  type ApiResponse,
  type AuthorizerContext,
  errorResponse,
  internalErrorResponse,
} from "./http.ts";
import { matchRoute, type Route } from "./router.ts";

export type ApiHandler = (request: ApiRequest) => Promise<ApiResponse>;

const REFUSALS = {
  missing: new Unauthenticated(
    "E_AUTH_MISSING",
    "缺少接口密钥:请在请求头中加入 Authorization: Bearer <密钥>(或 x-api-key: <密钥>)。",
  ),
  invalid: new Unauthenticated("E_AUTH_INVALID", "接口密钥无效,请检查是否完整复制。"),
  revoked: new Unauthenticated("E_AUTH_REVOKED", "该接口密钥已被吊销,请向运维人员申请新的密钥。"),
} as const;

/** The caller, from what the authorizer put in the request context (no context means no key). */
export function principalOf(context: Partial<AuthorizerContext> | undefined): Principal {
  const outcome = context?.auth ?? "missing";
  if (outcome !== "ok") throw REFUSALS[outcome] ?? REFUSALS.invalid;
  const role = context?.role;
  if ((role !== "ops" && role !== "unit") || !context?.keyId || (role === "unit" && !context.unit)) {
    throw REFUSALS.invalid;
  }
  return { keyId: context.keyId, role, unit: role === "unit" ? (context.unit ?? null) : null };
}

function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  // Raised by the registry loader (lib/aws/services.ts) when no units.csv was imported yet.
  if (err instanceof RegistryMissing) return new Unavailable(err.code, err.message);
  if (err instanceof WorkflowConflict) {
    return new Conflict(
      err.code,
      err.message,
      err.units.map((unit) => ({ field: "unit", message: unit })),
    );
  }
  // A bulletin not in the state the request needs (signed: immutable), or not there at all.
  if (err instanceof BulletinStateError) return new Conflict(err.code, err.message);
  if (err instanceof BulletinMissing) return new NotFound(err.message);
  if (err instanceof BulletinRequestError) return new BadRequest(err.message);
  return undefined;
}

/** `routes`: routes/all.ts (everything) or the table of one function (functions/api.ts, check.ts). */
export function createApiHandler(deps: ApiDeps, routes: readonly Route[]): ApiHandler {
  // Module scope of the Lambda container: the cache lives as long as the container.
  const cache = new TtlCache(deps.settings.cacheSeconds * 1000);
  const reads = cachedReads(deps.stores.returns, deps.stores.rollups, cache);
  const fallback = createLogger("error");
  const logError = deps.logError ?? ((entry) => fallback.error("api error", entry));

  return async (request) => {
    const requestId = request.requestContext?.requestId || randomUUID();
    const method = request.requestContext?.http?.method ?? "GET";
    const path = request.rawPath;
    const now = deps.now();
    let response: ApiResponse;
    try {
      let match: ReturnType<typeof matchRoute> | undefined;
      let notMatched: unknown;
      try {
        match = matchRoute(routes, method, path);
      } catch (err) {
        notMatched = err;
      }
      if (match && !match.route.auth) {
        const ctx: PublicContext = { deps, now, requestId };
        response = await match.route.run(request, match.params, ctx);
      } else {
        // Refuse a caller without a valid key before telling it anything, even that a path does not exist.
        const principal = principalOf(request.requestContext?.authorizer?.lambda);
        if (!match) throw notMatched;
        const registry = await deps.registry();
        const ctx: RequestContext = {
          deps,
          now,
          requestId,
          principal,
          registry,
          reads: { ...reads, registry, deadlineDay: deps.settings.deadlineDay },
          memo: (key, compute) => cache.get(`memo\u0000${key}`, compute),
        };
        response = await match.route.run(request, match.params, ctx);
      }
    } catch (err) {
      const known = toApiError(err);
      if (known) {
        response = errorResponse(known, requestId);
        if (known.status === 401) response.headers["www-authenticate"] = 'Bearer realm="dangjian"';
      } else {
        logError({
          msg: "api error",
          requestId,
          method,
          path,
          error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
          stack: err instanceof Error ? err.stack : undefined,
        });
        response = internalErrorResponse(requestId);
      }
    }
    response.headers["x-request-id"] = requestId;
    return response;
  };
}
