/**
 * The HTTP API Lambda authorizer (payload 2.0, simple responses). It always answers
 * `isAuthorized: true` and passes the outcome on in the context: API Gateway can only turn a
 * refusal into 403, while a missing, unknown or revoked key must be a 401, so the API function
 * refuses instead. Statuses are then the same locally and on AWS.
 */
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from "aws-lambda";
import { type AuthResult, authenticate, credentialOf } from "../domain/auth.ts";
import type { KeyStore } from "../ports.ts";
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
  return async (event) => {
    const result = await lookup(credentialOf(event.headers ?? {}));
    const context: AuthorizerContext =
      result.kind === "ok"
        ? {
            auth: "ok",
            role: result.principal.role,
            unit: result.principal.unit ?? "",
            keyId: result.principal.keyId,
          }
        : { auth: result.kind, role: "", unit: "", keyId: "" };
    return { isAuthorized: true, context };
  };
}
