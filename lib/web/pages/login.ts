/**
 * 登录 and 退出. The raw key is sent once, checked exactly as the authorizer checks it
 * (authenticate), and answered with a session cookie; after a few failures from one client,
 * each further attempt must wait longer, and is refused unchecked until then.
 */
import type { ApiResponse } from "../../api/http.ts";
import {
  authenticate,
  clientId,
  hashKey,
  LOGIN_FAILURE_WINDOW_SECONDS,
  loginCodeMatches,
  loginWaitSeconds,
  newSession,
  sessionTokenOf,
} from "../../domain/auth.ts";
import { apiCaller } from "../bridge.ts";
import { clearedSessionCookie, redirect, sessionCookie } from "../http.ts";
import { loginView } from "../views/login.ts";
import { W } from "../wording.ts";
import { renderOpenPage } from "./shell.ts";
import { formOf, type OpenContext, type PublicPageRoute } from "./types.ts";

function page(ctx: OpenContext, status: number, view: Parameters<typeof loginView>[0]): ApiResponse {
  return renderOpenPage(ctx.deps, ctx.request, { title: W.login.title, body: loginView(view), status });
}

const REASONS: Record<string, string> = {
  invalid: W.login.expired,
  revoked: W.login.revoked,
  bye: W.login.loggedOut,
};

export const loginPage: PublicPageRoute = {
  method: "GET",
  path: "/web/login",
  async handle(ctx) {
    const reason = ctx.request.queryStringParameters?.reason ?? "";
    return page(ctx, 200, { code: "", info: REASONS[reason] });
  },
};

export const loginSubmit: PublicPageRoute = {
  method: "POST",
  path: "/web/login",
  async handle(ctx) {
    const form = formOf(ctx.request);
    const code = (form.get("code") ?? "").trim().slice(0, 64);
    const key = (form.get("key") ?? "").trim();
    const { sessions, keys } = ctx.deps;
    const client = clientId(ctx.request.requestContext.http.sourceIp);
    const wait = loginWaitSeconds(await sessions.loginFailures(client, ctx.now), ctx.now);
    if (wait > 0) return page(ctx, 429, { code, error: W.login.throttled(wait) });
    if (!key) return page(ctx, 400, { code, error: W.login.missingKey });

    const result = await authenticate(key, keys);
    let accepted = false;
    if (result.kind === "ok") {
      let rootCode = "";
      if (result.principal.role === "ops") {
        const units = await apiCaller(ctx.deps.api, result.principal, ctx.request).json<{ root: string }>(
          "GET",
          "/v1/units",
        );
        rootCode = units.root;
      }
      accepted = loginCodeMatches(result.principal, code, rootCode);
    }
    const record = accepted ? await keys.getKeyByHash(hashKey(key)) : undefined;
    if (!record) {
      // One message whatever was wrong (code, key, revoked): nothing to learn from trying.
      await sessions.recordLoginFailure(client, ctx.now, LOGIN_FAILURE_WINDOW_SECONDS);
      return page(ctx, 401, { code, error: W.login.wrong });
    }
    const session = newSession(record, ctx.now);
    await sessions.putSession(session.record);
    await sessions.clearLoginFailures(client);
    return redirect("/web/home", [sessionCookie(session.token, ctx.deps.settings.secureCookies)]);
  },
};

export const logoutSubmit: PublicPageRoute = {
  method: "POST",
  path: "/web/logout",
  async handle(ctx) {
    const token = sessionTokenOf(ctx.request.cookies);
    if (token) await ctx.deps.sessions.deleteSession(hashKey(token));
    return redirect("/web/login?reason=bye", [clearedSessionCookie(ctx.deps.settings.secureCookies)]);
  },
};
