/** The shape of a page route: method, path pattern, and the handler. */
import type { ApiRequest, ApiResponse } from "../../api/http.ts";
import type { PageContext, WebDeps } from "../context.ts";

export interface PageRoute {
  readonly method: "GET" | "POST";
  /** /web/uploads/{id}: segments in braces are parameters. */
  readonly path: string;
  handle(ctx: PageContext, params: Record<string, string>): Promise<ApiResponse>;
}

/** What a page for someone not logged in gets (登录, 退出). */
export interface OpenContext {
  readonly deps: WebDeps;
  readonly request: ApiRequest;
  readonly requestId: string;
  readonly now: Date;
}

export interface PublicPageRoute {
  readonly method: "GET" | "POST";
  readonly path: string;
  handle(ctx: OpenContext, params: Record<string, string>): Promise<ApiResponse>;
}

/** The urlencoded body of a form POST. */
export function formOf(request: ApiRequest): URLSearchParams {
  if (!request.body) return new URLSearchParams();
  const text = request.isBase64Encoded ? Buffer.from(request.body, "base64").toString("utf8") : request.body;
  return new URLSearchParams(text);
}
