/**
 * The portal's entry: GET / → the home page, /assets/* → the built client files, /web/* → the
 * pages. Each page request is checked (Origin on POSTs, the session or key the authorizer
 * accepted), gets its viewer, and its handler's errors become Chinese error pages (403 as a page,
 * never a stack trace). The API behind it is the same handler the /v1 routes use.
 */
import { randomUUID } from "node:crypto";
import type { ApiRequest, ApiResponse } from "../api/http.ts";
import type { Principal } from "../domain/auth.ts";
import { apiCaller } from "./bridge.ts";
import { LoginRequired, type PageContext, PageError, type Viewer, type WebDeps } from "./context.ts";
import { redirect, sameOrigin } from "./http.ts";
import { PAGES, type PageRoute, PUBLIC_PAGES, type PublicPageRoute } from "./pages/index.ts";
import { errorPage } from "./pages/shell.ts";
import { W } from "./wording.ts";

export type PortalHandler = (request: ApiRequest) => Promise<ApiResponse>;

/** Paths the portal answers (the rest is the JSON API's). */
export function isPortalRequest(path: string): boolean {
  return path === "/" || path === "/web" || path.startsWith("/web/") || path.startsWith("/assets/");
}

function match<R extends { method: string; path: string }>(
  routes: readonly R[],
  method: string,
  path: string,
): { route: R; params: Record<string, string> } | undefined {
  const got = path.split("/").filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const want = route.path.split("/").filter(Boolean);
    if (want.length !== got.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < want.length && ok; i++) {
      const w = want[i] as string;
      const g = got[i] as string;
      if (w.startsWith("{")) {
        try {
          params[w.slice(1, -1)] = decodeURIComponent(g);
        } catch {
          ok = false;
        }
      } else ok = w === g;
    }
    if (ok) return { route, params };
  }
  return undefined;
}

function principalOf(request: ApiRequest): Principal | "missing" | "invalid" | "revoked" {
  const ctx = request.requestContext?.authorizer?.lambda;
  const outcome = ctx?.auth ?? "missing";
  if (outcome !== "ok") return outcome === "revoked" || outcome === "invalid" ? outcome : "missing";
  if ((ctx?.role !== "ops" && ctx?.role !== "unit") || !ctx.keyId) return "invalid";
  if (ctx.role === "unit" && !ctx.unit) return "invalid";
  return { keyId: ctx.keyId, role: ctx.role, unit: ctx.role === "unit" ? (ctx.unit ?? null) : null };
}

interface UnitsAnswer {
  root: string;
  units: { code: string; name: string; leaf: boolean; parent: string | null }[];
}
interface UnitAnswer {
  code: string;
  name: string;
  leaf: boolean;
  ancestors: { code: string; name: string }[];
}

async function viewerOf(principal: Principal, call: ReturnType<typeof apiCaller>): Promise<Viewer> {
  if (principal.role === "ops") {
    // The ops key's home is the registry root: the list's first unit.
    const units = await call.json<UnitsAnswer>("GET", "/v1/units");
    const root = units.units.find((u) => u.code === units.root);
    return {
      principal,
      code: units.root,
      name: root?.name ?? units.root,
      leaf: false,
      isOps: true,
      rootCode: units.root,
      ancestors: [],
    };
  }
  const unit = await call.json<UnitAnswer>("GET", `/v1/units/${encodeURIComponent(principal.unit ?? "")}`);
  return {
    principal,
    code: unit.code,
    name: unit.name,
    leaf: unit.leaf,
    isOps: false,
    rootCode: unit.ancestors[0]?.code ?? unit.code,
    ancestors: unit.ancestors.map((a) => ({ code: a.code, name: a.name })),
  };
}

export function createPortalHandler(deps: WebDeps): PortalHandler {
  const log = deps.logError ?? ((entry) => console.error(JSON.stringify(entry)));
  return async (request) => {
    const requestId = request.requestContext?.requestId || randomUUID();
    const method = request.requestContext?.http?.method ?? "GET";
    const path = request.rawPath;
    const respond = async (): Promise<ApiResponse> => {
      if (path === "/" || path === "/web" || path === "/web/") return redirect("/web/home");
      if (path.startsWith("/assets/")) {
        const found =
          method === "GET" ? deps.assets.serve(path.slice("/assets/".length), request) : undefined;
        return found ?? errorPage(deps, request, 404, W.errors.notFound, undefined);
      }
      if (method === "POST" && !sameOrigin(request)) {
        return errorPage(deps, request, 403, W.errors.badOrigin, undefined);
      }
      const open = match<PublicPageRoute>(PUBLIC_PAGES, method, path);
      if (open) return open.route.handle({ deps, request, requestId, now: deps.now() }, open.params);
      const found = match<PageRoute>(PAGES, method, path);
      if (!found) return errorPage(deps, request, 404, W.errors.notFound, undefined);
      const principal = principalOf(request);
      if (typeof principal === "string") throw new LoginRequired(principal);
      const call = apiCaller(deps.api, principal, request);
      const viewer = await viewerOf(principal, call);
      const query: Record<string, string> = { ...(request.queryStringParameters ?? {}) } as Record<
        string,
        string
      >;
      const ctx: PageContext = {
        deps,
        request,
        requestId,
        now: deps.now(),
        viewer,
        query,
        path,
        api: call.json,
        apiResponse: call.call,
      };
      try {
        return await found.route.handle(ctx, found.params);
      } catch (err) {
        if (err instanceof PageError) return errorPage(deps, request, err.status, err.message, viewer, path);
        throw err;
      }
    };
    try {
      const response = await respond();
      response.headers["x-request-id"] = requestId;
      return response;
    } catch (err) {
      if (err instanceof LoginRequired) {
        if (
          method === "GET" &&
          path.startsWith("/web/") &&
          request.headers.accept?.includes("application/json")
        ) {
          return { statusCode: 401, headers: { "content-type": "application/json" }, body: '{"login":true}' };
        }
        const reason = err.reason === "missing" ? "" : `?reason=${err.reason}`;
        return redirect(`/web/login${reason}`);
      }
      if (err instanceof PageError) return errorPage(deps, request, err.status, err.message, undefined);
      log({
        msg: "portal error",
        requestId,
        method,
        path,
        error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
        stack: err instanceof Error ? err.stack : undefined,
      });
      return errorPage(deps, request, 500, W.errors.internal, undefined, undefined, requestId);
    }
  };
}
