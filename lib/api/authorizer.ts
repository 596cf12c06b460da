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
import { authenticate, credentialOf } from "../auth.ts";
import type { KeyStore } from "../ports.ts";
import type { AuthorizerContext } from "./http.ts";

export type AuthorizerHandler = (
  event: APIGatewayRequestAuthorizerEventV2,
) => Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>>;

export function createAuthorizer(keys: KeyStore): AuthorizerHandler {
  return async (event) => {
    const result = await authenticate(credentialOf(event.headers ?? {}), keys);
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
