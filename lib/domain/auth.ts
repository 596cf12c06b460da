/**
 * API keys and who may do what. A key is `djk_<keyId>_<secret>`: the keyId is public (listings,
 * revocation), the secret is random; only the SHA-256 of the whole key is stored. Authentication
 * needs the KeyStore port; authorisation is pure (principal × permission × registry).
 */
import { createHash, randomBytes } from "node:crypto";
import type { ApiKeyRecord, KeyStore, Role, SessionRecord, SessionStore } from "../ports.ts";
import type { Registry } from "./registry.ts";

const KEY_PATTERN = /^djk_([a-z0-9]{8})_([A-Za-z0-9]{32,128})$/;
const KEY_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const SECRET_LENGTH = 40;

export interface Principal {
  readonly keyId: string;
  readonly role: Role;
  /** The registry node a unit key is bound to; null for ops keys. */
  readonly unit: string | null;
}

export type AuthOutcome = "ok" | "missing" | "invalid" | "revoked";

export type AuthResult =
  | { readonly kind: "ok"; readonly principal: Principal }
  | { readonly kind: "missing" }
  | { readonly kind: "invalid" }
  | { readonly kind: "revoked" };

export function hashKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** The key's public id, or undefined when the text is not shaped like one of our keys. */
export function keyIdOf(key: string): string | undefined {
  return KEY_PATTERN.exec(key)?.[1];
}

/**
 * Uniform random characters from an alphabet: bytes that would bias the modulo are drawn again.
 * `random` is injectable so tests can make keys deterministic.
 */
function randomString(alphabet: string, length: number, random: (n: number) => Uint8Array): string {
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    for (const byte of random(length * 2)) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

export interface KeyRequest {
  readonly role: Role;
  readonly unit: string | null;
  readonly label?: string | undefined;
}

/** A new key and the record to store for it. The key itself is shown once and never stored. */
export function newApiKey(
  request: KeyRequest,
  now: Date,
  random: (n: number) => Uint8Array = randomBytes,
): { key: string; record: ApiKeyRecord } {
  const keyId = randomString(KEY_ID_ALPHABET, 8, random);
  const key = `djk_${keyId}_${randomString(SECRET_ALPHABET, SECRET_LENGTH, random)}`;
  return { key, record: recordFor(key, keyId, request, now) };
}

/** Least estimated strength of a key chosen outside (bits): what newApiKey's keys have, ~238. */
export const MIN_KEY_BITS = 128;

/**
 * Why a key chosen outside (DANGJIAN_OPS_KEY) is unfit, in Chinese, or undefined when it will do.
 * The estimate is length × log2(distinct characters), with no character allowed to dominate:
 * "djk_aaaaaaaa_AAAA…" is well-formed and worthless.
 */
export function weakKeyReason(key: string): string | undefined {
  const m = KEY_PATTERN.exec(key);
  if (!m) {
    return "格式不正确:应为 djk_ + 8位小写字母或数字 + _ + 32至128位字母或数字(可用 dangjian keys create 生成)";
  }
  const secret = m[2] as string;
  const counts = new Map<string, number>();
  for (const c of secret) counts.set(c, (counts.get(c) ?? 0) + 1);
  const most = Math.max(...counts.values());
  const bits = secret.length * Math.log2(counts.size);
  if (counts.size < 16 || most > secret.length / 4 || bits < MIN_KEY_BITS) {
    return "过于简单(重复或有规律的字符太多),容易被猜中;请改用随机生成的密钥(dangjian keys create 或不设置该变量)";
  }
  return undefined;
}

/** The record for a key chosen outside (DANGJIAN_OPS_KEY); undefined when the text is not a valid key. */
export function recordForKey(key: string, request: KeyRequest, now: Date): ApiKeyRecord | undefined {
  const keyId = keyIdOf(key);
  return keyId ? recordFor(key, keyId, request, now) : undefined;
}

function recordFor(key: string, keyId: string, request: KeyRequest, now: Date): ApiKeyRecord {
  return {
    keyId,
    hash: hashKey(key),
    role: request.role,
    unit: request.role === "unit" ? request.unit : null,
    label: request.label,
    createdAt: now.toISOString(),
  };
}

/** The key a request carries: `Authorization: Bearer <key>` (or the bare key), else `x-api-key`. */
export function credentialOf(headers: Readonly<Record<string, string | undefined>>): string | undefined {
  const authorization = headers.authorization?.trim();
  if (authorization) return /^Bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim() ?? authorization;
  const apiKey = headers["x-api-key"]?.trim();
  return apiKey || undefined;
}

export async function authenticate(credential: string | undefined, keys: KeyStore): Promise<AuthResult> {
  if (!credential) return { kind: "missing" };
  const keyId = keyIdOf(credential);
  // Malformed text never reaches the table.
  if (!keyId) return { kind: "invalid" };
  const record = await keys.getKeyByHash(hashKey(credential));
  if (!record || record.keyId !== keyId) return { kind: "invalid" };
  if (record.revokedAt) return { kind: "revoked" };
  if (record.role === "unit" && !record.unit) return { kind: "invalid" };
  return { kind: "ok", principal: { keyId: record.keyId, role: record.role, unit: record.unit } };
}

export type Permission =
  | { readonly action: "read"; readonly scope: string }
  | { readonly action: "upload"; readonly scope: string }
  | { readonly action: "render" }
  | { readonly action: "manage_keys" }
  /** 片区审核: approve or return a unit's return (a key above the unit, or ops). */
  | { readonly action: "review"; readonly scope: string }
  /** 市级确认 and unlock of a month (ops, or the root's key). */
  | { readonly action: "confirm" };

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** Ops may do everything; a unit key may read and upload only within its node's subtree. */
export function authorise(principal: Principal, permission: Permission, registry: Registry): Decision {
  if (principal.role === "ops") return { allowed: true };
  if (permission.action === "render") {
    return { allowed: false, reason: "只有运维密钥可以重新生成简报。" };
  }
  if (permission.action === "manage_keys") return authoriseKeyManagement(principal);
  const home = principal.unit ?? "";
  if (permission.action === "confirm") {
    return home === registry.root.code
      ? { allowed: true }
      : { allowed: false, reason: "只有运维密钥或市直机关工委的密钥可以进行市级确认或解锁。" };
  }
  if (permission.action === "review") {
    // A unit does not approve its own return: only a node above it (its 片区, the root) does.
    if (home !== permission.scope && !registry.isLeaf(home) && registry.contains(home, permission.scope)) {
      return { allowed: true };
    }
    return { allowed: false, reason: "只有上级(片区或市直机关工委)的密钥可以审核本单位的月报。" };
  }
  if (registry.contains(home, permission.scope)) return { allowed: true };
  const name = registry.get(home)?.name ?? home;
  const verb = permission.action === "upload" ? "上传" : "查询";
  return {
    allowed: false,
    reason: `该密钥只能${verb}“${name}”(${home})及其下级单位的数据,不能访问“${permission.scope}”。`,
  };
}

/** Creating, listing and revoking keys: ops only (the portal's 密钥管理, `dangjian keys`). */
export function authoriseKeyManagement(principal: Principal): Decision {
  return principal.role === "ops"
    ? { allowed: true }
    : { allowed: false, reason: "只有运维人员可以管理密钥。" };
}

/** The scope a request means when it names none: the key's own node, or the root for ops. */
export function homeScope(principal: Principal, registry: Registry): string {
  return principal.role === "unit" && principal.unit ? principal.unit : registry.root.code;
}

/**
 * Stores a key chosen outside (the local runner's DANGJIAN_OPS_KEY) unless it is already stored.
 * Returns false when the text is not a valid key.
 */
export async function ensureKey(
  keys: KeyStore,
  key: string,
  request: KeyRequest,
  now: Date,
): Promise<boolean> {
  const record = recordForKey(key, request, now);
  if (!record) return false;
  if (!(await keys.getKeyByHash(record.hash))) await keys.putKey(record);
  return true;
}

// Portal sessions. The browser gets a random token once, in an HttpOnly cookie; the table keeps
// only its SHA-256 with the key it was opened with. Each request reads the key again, so a
// revoked key ends its sessions at once; an idle session ends after SESSION_IDLE_SECONDS.

export const SESSION_COOKIE = "dj_session";
export const SESSION_IDLE_SECONDS = 8 * 3600;
/** The idle expiry moves forward at most this often: one write per active user every few minutes. */
export const SESSION_TOUCH_SECONDS = 300;
const SESSION_PATTERN = /^djs_[A-Za-z0-9]{43}$/;

export function newSession(
  key: ApiKeyRecord,
  now: Date,
  random: (n: number) => Uint8Array = randomBytes,
): { token: string; record: SessionRecord } {
  const token = `djs_${randomString(SECRET_ALPHABET, 43, random)}`;
  const at = now.toISOString();
  return {
    token,
    record: {
      tokenHash: hashKey(token),
      keyId: key.keyId,
      keyHash: key.hash,
      role: key.role,
      unit: key.unit,
      createdAt: at,
      lastSeenAt: at,
      expiresAt: Math.floor(now.getTime() / 1000) + SESSION_IDLE_SECONDS,
    },
  };
}

/** The session token among a request's cookies (API Gateway payload 2.0 lists them one by one). */
export function sessionTokenOf(cookies: readonly string[] | undefined): string | undefined {
  for (const cookie of cookies ?? []) {
    for (const part of cookie.split(";")) {
      const eq = part.indexOf("=");
      if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE)
        return part.slice(eq + 1).trim() || undefined;
    }
  }
  return undefined;
}

export async function authenticateSession(
  token: string | undefined,
  sessions: SessionStore,
  keys: KeyStore,
  now: Date,
): Promise<AuthResult> {
  if (!token) return { kind: "missing" };
  if (!SESSION_PATTERN.test(token)) return { kind: "invalid" };
  const tokenHash = hashKey(token);
  const session = await sessions.getSession(tokenHash);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  // TTL deletion lags: an expired item may still be there, and counts as gone.
  if (!session || session.expiresAt <= nowSeconds) return { kind: "invalid" };
  const key = await keys.getKeyByHash(session.keyHash);
  if (!key || key.keyId !== session.keyId) return { kind: "invalid" };
  if (key.revokedAt) return { kind: "revoked" };
  if (key.role === "unit" && !key.unit) return { kind: "invalid" };
  if (now.getTime() - Date.parse(session.lastSeenAt) >= SESSION_TOUCH_SECONDS * 1000) {
    await sessions.touchSession(tokenHash, now.toISOString(), nowSeconds + SESSION_IDLE_SECONDS);
  }
  return { kind: "ok", principal: { keyId: key.keyId, role: key.role, unit: key.unit } };
}

/**
 * Whether the 单位代码 typed at login belongs to the key: a unit key's own node; for an ops key
 * the root's code (or nothing). A mismatch is refused like a wrong key, with the same message.
 */
export function loginCodeMatches(principal: Principal, code: string, rootCode: string): boolean {
  const typed = code.trim();
  if (principal.role === "ops") return typed === "" || typed === rootCode;
  return typed === principal.unit;
}

/** Failed logins are remembered per client for this long after the last one. */
export const LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60;
const FREE_LOGIN_FAILURES = 3;
const MAX_LOGIN_DELAY_SECONDS = 5 * 60;

/** How long a client must wait after its latest failure: nothing for the first few, then doubling. */
export function loginDelaySeconds(failures: number): number {
  if (failures < FREE_LOGIN_FAILURES) return 0;
  return Math.min(MAX_LOGIN_DELAY_SECONDS, 2 ** (failures - FREE_LOGIN_FAILURES));
}

/** Seconds the client must still wait before its next attempt is even checked (0: go ahead). */
export function loginWaitSeconds(failures: { count: number; lastAt: string } | undefined, now: Date): number {
  if (!failures) return 0;
  const until = Date.parse(failures.lastAt) + loginDelaySeconds(failures.count) * 1000;
  return Math.max(0, Math.ceil((until - now.getTime()) / 1000));
}

/** Failed-login counters are kept by a hash of the client's address, not the address itself. */
export function clientId(sourceIp: string): string {
  return hashKey(`client:${sourceIp}`);
}
