/**
 * The HTTP API Lambda authorizer (payload 2.0, simple responses). It always answers
 * `isAuthorized: true` and passes the outcome on in the context: API Gateway can only turn a
 * refusal into 403, while a missing, unknown or revoked key must be a 401, so the API function
 * refuses instead. Statuses are then the same locally and on AWS.
 *
 * The portal's pages (/web/…) may instead carry the session cookie the login page set; the JSON
 * API (/v1/…) answers keys only, so a cookie can never drive it from another site's page.
 */
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from "aws-lambda";
import {
  type AuthResult,
  authenticate,
  authenticateSession,
  credentialOf,
  sessionTokenOf,
} from "../domain/auth.ts";
import type { KeyStore, SessionStore } from "../ports.ts";
import { TtlCache } from "./cache.ts";
import type { AuthorizerContext } from "./http.ts";

export type AuthorizerHandler = (
  event: APIGatewayRequestAuthorizerEventV2,
) => Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>>;

export interface AuthorizerOptions {
  /**
   * How long a container reuses a key lookup. A revocation reaches warm containers within this
   * time (like API Gateway's own authorizer cache); 0 looks every key up on every request.
   */
  readonly cacheSeconds: number;
  readonly clock?: () => number;
  /** Where portal sessions live; without it the cookie is ignored. */
  readonly sessions?: SessionStore | undefined;
}

/** The paths whose requests may authenticate with the session cookie. */
export function isPortalPath(path: string): boolean {
  return path === "/web" || path.startsWith("/web/");
}

export const DEFAULT_KEY_CACHE_SECONDS = 10;
/** Bounded so that a flood of made-up keys cannot grow the container's memory. */
const MAX_CACHED_KEYS = 1000;

export function createAuthorizer(
  keys: KeyStore,
  options: AuthorizerOptions = { cacheSeconds: DEFAULT_KEY_CACHE_SECONDS },
): AuthorizerHandler {
  const cache = new TtlCache(options.cacheSeconds * 1000, MAX_CACHED_KEYS, options.clock);
  const lookup = (credential: string | undefined): Promise<AuthResult> => {
    // Only well-formed keys are worth remembering; the rest is refused without a read anyway.
    if (!credential || !/^djk_[a-z0-9]{8}_/.test(credential)) return authenticate(credential, keys);
    return cache.get(credential, () => authenticate(credential, keys));
  };
  const clock = options.clock ?? Date.now;
  return async (event) => {
    const credential = credentialOf(event.headers ?? {});
    const token = sessionTokenOf(event.cookies);
    const viaSession = !credential && token !== undefined && options.sessions && isPortalPath(event.rawPath);
    // Sessions are not cached: 退出 and revocation must take effect on the very next request.
    const result =
      viaSession && options.sessions
        ? await authenticateSession(token, options.sessions, keys, new Date(clock()))
        : await lookup(credential);
    const via = viaSession ? "session" : "key";
    const context: AuthorizerContext =
      result.kind === "ok"
        ? {
            auth: "ok",
            role: result.principal.role,
            unit: result.principal.unit ?? "",
            keyId: result.principal.keyId,
            via,
          }
        : { auth: result.kind, role: "", unit: "", keyId: "", via };
    return { isAuthorized: true, context };
  };
}
