/**
 * Calls the JSON API in-process as a given principal: the request is shaped like the one API
 * Gateway would send after the authorizer accepted the viewer, so the API handler runs exactly
 * as for any client. The portal holds no copy of a business rule: it shows what the API answers.
 */
import type { ApiHandler } from "../api/handler.ts";
import type { ApiRequest, ApiResponse, AuthorizerContext } from "../api/http.ts";
import type { Principal } from "../domain/auth.ts";
import { type ApiCallOptions, LoginRequired, PageError } from "./context.ts";

export function apiRequest(
  principal: Principal,
  method: "GET" | "POST",
  path: string,
  options: ApiCallOptions,
  origin: ApiRequest,
): ApiRequest {
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined && v !== "") query[k] = v;
  const lambda: AuthorizerContext = {
    auth: "ok",
    role: principal.role,
    unit: principal.unit ?? "",
    keyId: principal.keyId,
    via: "session",
  };
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return {
    version: "2.0",
    routeKey: "ANY /v1/{proxy+}",
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: body ? { "content-type": "application/json" } : {},
    queryStringParameters: Object.keys(query).length ? query : undefined,
    requestContext: {
      ...origin.requestContext,
      http: { ...origin.requestContext.http, method, path },
      authorizer: { lambda },
    },
    body,
    isBase64Encoded: false,
  };
}

export function apiCaller(api: ApiHandler, principal: Principal, origin: ApiRequest) {
  const call = (method: "GET" | "POST", path: string, options: ApiCallOptions = {}): Promise<ApiResponse> =>
    api(apiRequest(principal, method, path, options, origin));
  const json = async <T>(method: "GET" | "POST", path: string, options: ApiCallOptions = {}): Promise<T> => {
    const response = await call(method, path, options);
    if (response.statusCode >= 200 && response.statusCode < 300) return JSON.parse(response.body) as T;
    throw refusal(response);
  };
  return { call, json };
}

/** The API's refusal as the portal shows it. */
export function refusal(response: ApiResponse): Error {
  let code = "E_INTERNAL";
  let message = "";
  try {
    const body = JSON.parse(response.body) as { error?: { code?: string; message?: string } };
    code = body.error?.code ?? code;
    message = body.error?.message ?? "";
  } catch {
    // not JSON: keep the generic message
  }
  if (response.statusCode === 401) {
    return new LoginRequired(
      code === "E_AUTH_REVOKED" ? "revoked" : code === "E_AUTH_MISSING" ? "missing" : "invalid",
    );
  }
  return new PageError(response.statusCode, message, code);
}

/** The field-level details of an API refusal (the units in the way of 市级确认, a missing reason). */
export function refusalDetails(response: ApiResponse): { field: string; message: string }[] {
  try {
    const body = JSON.parse(response.body) as { error?: { details?: { field: string; message: string }[] } };
    return Array.isArray(body.error?.details) ? body.error.details : [];
  } catch {
    return [];
  }
}
