/**
 * What the portal needs (the API handler to call in-process, the key and session stores, the
 * assets, a clock) and what each page handler receives: the viewer, and `api`, which calls the
 * JSON API as the viewer — the same routes, permission checks and Chinese messages as any client.
 */
import type { ApiHandler } from "../api/handler.ts";
import type { ApiRequest, ApiResponse } from "../api/http.ts";
import type { Principal } from "../domain/auth.ts";
import type { KeyStore, SessionStore } from "../ports.ts";
import type { AssetCatalog } from "./assets.ts";

export interface WebSettings {
  /** Deployed behind HTTPS: the session cookie gets Secure. */
  readonly secureCookies: boolean;
  /** Largest file the portal forwards itself when the browser runs no script (Lambda's payload limit). */
  readonly maxRelayBytes: number;
  /** The pipeline's file size limit (the upload policy enforces it; the page says it). */
  readonly maxUploadBytes: number;
}

export interface WebDeps {
  readonly api: ApiHandler;
  readonly keys: KeyStore;
  readonly sessions: SessionStore;
  readonly assets: AssetCatalog;
  readonly settings: WebSettings;
  /** The origin browsers POST upload forms to (for the CSP's connect-src). */
  uploadOrigin(): Promise<string | undefined>;
  now(): Date;
  logError?(entry: Record<string, unknown>): void;
}

export const DEFAULT_RELAY_BYTES = 4 * 1024 * 1024;

/** The person looking at the page: their key's principal and registry node. */
export interface Viewer {
  readonly principal: Principal;
  readonly code: string;
  readonly name: string;
  /** A 报送单位 (no units under it): the unit pages only. */
  readonly leaf: boolean;
  readonly isOps: boolean;
  readonly rootCode: string;
  /** The nodes above the viewer's, root first (a unit's 片区 is the last). */
  readonly ancestors: readonly { readonly code: string; readonly name: string }[];
}

/** A page that cannot be shown: rendered as an error page with the API's Chinese message. */
export class PageError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "PageError";
  }
}

/** The caller's key or session is not (or no longer) valid: back to 登录. */
export class LoginRequired extends Error {
  constructor(readonly reason: "missing" | "invalid" | "revoked") {
    super(`login required: ${reason}`);
    this.name = "LoginRequired";
  }
}

export type Query = Readonly<Record<string, string | undefined>>;

export interface ApiCallOptions {
  readonly query?: Query;
  readonly body?: unknown;
}

export interface PageContext {
  readonly deps: WebDeps;
  readonly request: ApiRequest;
  readonly requestId: string;
  readonly now: Date;
  readonly viewer: Viewer;
  readonly query: Query;
  readonly path: string;
  /** The API's JSON answer; throws PageError / LoginRequired for the API's refusals. */
  api<T>(method: "GET" | "POST", path: string, options?: ApiCallOptions): Promise<T>;
  /** The API's response as it is (CSV exports, 4xx a form shows next to its fields). */
  apiResponse(method: "GET" | "POST", path: string, options?: ApiCallOptions): Promise<ApiResponse>;
}
