/**
 * What every portal response carries: the security headers (a CSP without inline script,
 * frame-ancestors 'none', nosniff, Referrer-Policy), gzip when the browser takes it, and the
 * session cookie's attributes. Pages are about one user's data: never cached by anyone else.
 */
import { gzipSync } from "node:zlib";
import type { ApiRequest, ApiResponse } from "../api/http.ts";
import { SESSION_COOKIE } from "../domain/auth.ts";
import type { SafeHtml } from "./html.ts";

export interface SecurityOptions {
  /** Where browsers POST upload forms (the bucket's origin): the only other origin a page may reach. */
  readonly uploadOrigin?: string | undefined;
}

export function securityHeaders(options: SecurityOptions = {}): Record<string, string> {
  const connect = ["'self'", options.uploadOrigin].filter(Boolean).join(" ");
  return {
    "content-security-policy": [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src ${connect}`,
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join("; "),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
  };
}

function acceptsGzip(request: ApiRequest): boolean {
  return /\bgzip\b/.test(request.headers["accept-encoding"] ?? "");
}

/** Text bodies over 1 KB go out gzipped when the browser says it takes gzip. */
export function encodeBody(
  request: ApiRequest,
  body: string | Uint8Array,
  headers: Record<string, string>,
  status: number,
): ApiResponse {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body);
  const vary = { vary: "accept-encoding" };
  if (bytes.length > 1024 && acceptsGzip(request)) {
    return {
      statusCode: status,
      headers: { ...headers, ...vary, "content-encoding": "gzip" },
      body: gzipSync(bytes).toString("base64"),
      isBase64Encoded: true,
    };
  }
  return {
    statusCode: status,
    headers: { ...headers, ...vary },
    body: bytes.toString("base64"),
    isBase64Encoded: true,
  };
}

export interface PageOptions extends SecurityOptions {
  readonly cookies?: readonly string[];
}

export function htmlResponse(
  request: ApiRequest,
  status: number,
  page: SafeHtml,
  options: PageOptions = {},
): ApiResponse {
  const response = encodeBody(
    request,
    `<!doctype html>\n${page.value}`,
    {
      ...securityHeaders(options),
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
    },
    status,
  );
  return options.cookies?.length ? { ...response, cookies: [...options.cookies] } : response;
}

export function jsonPageResponse(status: number, data: unknown): ApiResponse {
  return {
    statusCode: status,
    headers: {
      ...securityHeaders(),
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
    },
    body: JSON.stringify(data),
  };
}

/** 303: after a POST the browser GETs the next page (no "resubmit the form?" on reload). */
export function redirect(location: string, cookies: readonly string[] = []): ApiResponse {
  return {
    statusCode: 303,
    headers: { ...securityHeaders(), location, "cache-control": "no-store" },
    body: "",
    ...(cookies.length ? { cookies: [...cookies] } : {}),
  };
}

/** The session cookie: script cannot read it, no other site's request carries it, HTTPS only when deployed. */
export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? "; Secure" : ""}`;
}

/**
 * CSRF: a POST must come from one of our own pages. Browsers send Origin on every POST; its host
 * must be the host the request was sent to. Together with SameSite=Strict.
 */
export function sameOrigin(request: ApiRequest): boolean {
  const origin = request.headers.origin;
  const host = request.headers.host ?? request.requestContext?.domainName;
  if (!origin || !host || origin === "null") return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
