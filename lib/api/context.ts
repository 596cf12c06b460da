/**
 * What the API needs from outside (ports, settings, a clock) and what each request's handler
 * receives: the caller, the registry, the read model, and the permission check.
 */

import type { Config } from "../config.ts";
import { authorise, homeScope, type Permission, type Principal } from "../domain/auth.ts";
import type { Month } from "../domain/periods.ts";
import type { Registry, Unit } from "../domain/registry.ts";
import type { ObjectStore, PostLimits, PresignedPostForm, Stores } from "../ports.ts";
import type { ReadDeps } from "../read/queries.ts";
import { Forbidden, NotFound } from "./errors.ts";
import type { ResponseDoc } from "./router.ts";
import { errorSchema } from "./schemas.ts";

export interface Presigner {
  presignPost(key: string, seconds: number, limits: PostLimits): Promise<PresignedPostForm>;
  presignGet(key: string, seconds: number, fileName?: string): Promise<string>;
}

/** Starts a bulletin render without waiting for it (Lambda async invoke, or a local call). */
export type BulletinRenderer = (request: { readonly scope: string; readonly period: Month }) => Promise<void>;

export interface ApiSettings {
  /** Reporting deadline: this day of the following month (completeness may override per request). */
  readonly deadlineDay: number;
  /** Lifetime of presigned upload and download links. */
  readonly presignSeconds: number;
  /** How long reads of rollups and returns are reused within one container; 0 turns caching off. */
  readonly cacheSeconds: number;
  /** Largest body POST /v1/validate reads (Lambda's synchronous payload limit is 6 MB). */
  readonly maxValidateBytes: number;
  /** Largest file the pipeline accepts, told to clients that ask for an upload URL. */
  readonly maxUploadBytes: number;
  readonly maxUploadRows: number;
  /** The earliest month returns are taken for. */
  readonly firstMonth: Month;
  /** 逐级审核 levels: 0 turns the review and confirmation routes off (409). */
  readonly approvalLevels: number;
}

export const DEFAULT_CACHE_SECONDS = 10;
const DEFAULT_MAX_VALIDATE_BYTES = 4 * 1024 * 1024;

/** Settings from the validated Config; overrides for the local runner and tests (cacheSeconds: 0). */
export function apiSettings(config: Config, overrides: Partial<ApiSettings> = {}): ApiSettings {
  return {
    deadlineDay: config.DEADLINE_DAY,
    presignSeconds: config.PRESIGN_SECONDS,
    cacheSeconds: config.API_CACHE_SECONDS,
    maxValidateBytes: Math.min(DEFAULT_MAX_VALIDATE_BYTES, config.MAX_UPLOAD_BYTES),
    maxUploadBytes: config.MAX_UPLOAD_BYTES,
    maxUploadRows: config.MAX_UPLOAD_ROWS,
    firstMonth: config.FIRST_REPORTING_MONTH,
    approvalLevels: config.APPROVAL_LEVELS,
    ...overrides,
  };
}

export interface ApiDeps {
  readonly stores: Pick<Stores, "returns" | "rollups" | "uploads" | "bulletins" | "reviews">;
  readonly objects: ObjectStore & Presigner;
  registry(): Promise<Registry>;
  readonly settings: ApiSettings;
  readonly renderBulletin?: BulletinRenderer | undefined;
  now(): Date;
  /** False while the local stack is still starting (health answers 503). */
  ready?(): boolean;
  /** Where unexpected errors go (with the request id); a JSON-lines logger by default. */
  logError?(entry: Record<string, unknown>): void;
}

/** Handed to routes that need no key (health). */
export interface PublicContext {
  readonly deps: ApiDeps;
  readonly now: Date;
  readonly requestId: string;
}

/** Handed to every authenticated route. */
export interface RequestContext extends PublicContext {
  readonly principal: Principal;
  readonly registry: Registry;
  /** The read model over the (possibly cached) store. */
  readonly reads: ReadDeps;
  /**
   * Reuses a computed result for the read cache's lifetime (computes every time when the cache is
   * off). Only for results that depend on nothing but the key: check permissions before.
   */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

/** What requireScope raises, documented with every route that calls it. */
export const SCOPE_RESPONSES = {
  403: { description: "超出密钥可访问的范围(E_FORBIDDEN)", schema: errorSchema },
  404: { description: "单位名册中没有这个单位(E_NOT_FOUND)", schema: errorSchema },
} as const satisfies Readonly<Record<number, ResponseDoc>>;

/** Throws Forbidden unless the caller may do this. */
export function requirePermission(ctx: RequestContext, permission: Permission): void {
  const decision = authorise(ctx.principal, permission, ctx.registry);
  if (!decision.allowed) throw new Forbidden(decision.reason);
}

/**
 * The registry node a request is about: the named code (404 when unknown) or the caller's own
 * node, checked against the caller's subtree.
 */
export function requireScope(ctx: RequestContext, code: string | undefined, action: "read" | "upload"): Unit {
  const chosen = code ?? homeScope(ctx.principal, ctx.registry);
  const unit = ctx.registry.get(chosen);
  // Checked before existence, so a unit key cannot probe which codes exist outside its subtree.
  requirePermission(ctx, { action, scope: chosen });
  if (!unit) {
    const suggestion = ctx.registry.suggestCode(chosen);
    throw new NotFound(
      `单位名册中没有代码为“${chosen}”的单位${suggestion ? `(是否为“${suggestion}”?Excel 可能去掉了前导零)` : ""}。`,
    );
  }
  return unit;
}
