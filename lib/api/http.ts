/**
 * The HTTP shapes the API speaks: API Gateway HTTP API payload 2.0 in, structured results out.
 * JSON by default; tables as CSV for Excel (UTF-8 BOM, formula-like cells neutralised).
 */
import type {
  APIGatewayEventRequestContextV2,
  APIGatewayProxyEventV2WithRequestContext,
  APIGatewayProxyStructuredResultV2,
} from "aws-lambda";
import type { AuthOutcome } from "../domain/auth.ts";
import { formatCsv } from "../ingest/csv.ts";
import { type ApiError, type ErrorBody, INTERNAL_MESSAGE, MethodNotAllowed } from "./errors.ts";

/**
 * What the authorizer hands over in `requestContext.authorizer.lambda`. The authorizer always says
 * "authorised" and lets the API refuse, because an HTTP API authorizer that refuses can only
 * produce a 403, and a missing or revoked key must be a 401.
 */
export interface AuthorizerContext {
  readonly auth: AuthOutcome;
  /** "ops" | "unit", or "" when auth is not "ok" (context values must be strings). */
  readonly role: string;
  readonly unit: string;
  readonly keyId: string;
  /** How the caller proved itself: an API key, or (portal pages only) the session cookie. */
  readonly via?: "key" | "session";
}

/** An HTTP API request; GET /v1/health has no authorizer, so the context may be absent. */
export type ApiRequest = APIGatewayProxyEventV2WithRequestContext<
  APIGatewayEventRequestContextV2 & {
    readonly authorizer?: { readonly lambda?: Partial<AuthorizerContext> | undefined } | undefined;
  }
>;

export type ApiResponse = APIGatewayProxyStructuredResultV2 & {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
};

const COMMON_HEADERS = {
  // Every answer is about one caller's data: no shared caches.
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
} as const;

export function jsonResponse(
  status: number,
  data: unknown,
  headers: Record<string, string> = {},
): ApiResponse {
  return {
    statusCode: status,
    headers: { ...COMMON_HEADERS, "content-type": "application/json; charset=utf-8", ...headers },
    body: JSON.stringify(data),
  };
}

export type CsvRow = readonly (string | number | null | undefined)[];

/** A table for Excel: BOM so Chinese opens right, cells starting with = + - @ neutralised. */
/**
 * Content-Disposition for a download: the Chinese name for browsers (RFC 5987 `filename*`) and an
 * ASCII one for the rest (by default the name with every other character replaced).
 */
export function attachment(fileName: string, ascii?: string): string {
  const plain = (ascii ?? fileName).replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${plain}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** A file to download (a workbook): sent base64-encoded, as API Gateway carries binary bodies. */
export function fileResponse(
  bytes: Uint8Array,
  contentType: string,
  fileName: string,
  ascii?: string,
): ApiResponse {
  return {
    statusCode: 200,
    headers: {
      ...COMMON_HEADERS,
      "content-type": contentType,
      "content-disposition": attachment(fileName, ascii),
    },
    body: Buffer.from(bytes).toString("base64"),
    isBase64Encoded: true,
  };
}

export function csvResponse(fileName: string, rows: readonly CsvRow[]): ApiResponse {
  return {
    statusCode: 200,
    headers: {
      ...COMMON_HEADERS,
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": attachment(fileName),
    },
    body: formatCsv(rows, { bom: true, neutraliseFormulas: true }),
  };
}

export function errorResponse(error: ApiError, requestId: string): ApiResponse {
  const body: ErrorBody = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details?.length ? { details: error.details } : {}),
      ...(error.status >= 500 ? { requestId } : {}),
    },
  };
  const headers: Record<string, string> = { "x-request-id": requestId };
  if (error instanceof MethodNotAllowed) headers.allow = error.allowed.join(", ");
  return jsonResponse(error.status, body, headers);
}

/** A 500 that says nothing about the cause (which goes to the log with the same request id). */
export function internalErrorResponse(requestId: string): ApiResponse {
  const body: ErrorBody = { error: { code: "E_INTERNAL", message: INTERNAL_MESSAGE, requestId } };
  return jsonResponse(500, body, { "x-request-id": requestId });
}

/** The request body as bytes, whatever API Gateway did with it. */
export function bodyBytes(request: ApiRequest): Uint8Array {
  if (request.body === undefined || request.body === "") return new Uint8Array(0);
  return request.isBase64Encoded ? Buffer.from(request.body, "base64") : Buffer.from(request.body, "utf8");
}

export function header(request: ApiRequest, name: string): string | undefined {
  return request.headers[name.toLowerCase()];
}
