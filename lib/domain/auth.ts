/**
 * API keys and who may do what. A key is `djk_<keyId>_<secret>`: the keyId is public (listings,
 * revocation), the secret is random; only the SHA-256 of the whole key is stored. Authentication
 * needs the KeyStore port; authorisation is pure (principal × permission × registry).
 */
import { createHash, randomBytes } from "node:crypto";
import type { ApiKeyRecord, KeyStore, Role } from "../ports.ts";
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
  /** Revise a 送审稿 (编者按, 典型案例, 按语) or start a 更正. */
  | { readonly action: "edit-bulletin" }
  /** 签发 a bulletin (assigns its 期号). */
  | { readonly action: "sign-bulletin" };

/** What only ops keys may do, and what a unit key is told. */
const OPS_ONLY: Readonly<Record<"render" | "edit-bulletin" | "sign-bulletin", string>> = {
  render: "只有运维密钥可以重新生成简报。",
  "edit-bulletin": "只有运维密钥可以修改简报送审稿或发更正。",
  "sign-bulletin": "只有运维密钥可以签发简报。",
};

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** Ops may do everything; a unit key may read and upload only within its node's subtree. */
export function authorise(principal: Principal, permission: Permission, registry: Registry): Decision {
  if (principal.role === "ops") return { allowed: true };
  if (permission.action !== "read" && permission.action !== "upload") {
    return { allowed: false, reason: OPS_ONLY[permission.action] };
  }
  const home = principal.unit ?? "";
  if (registry.contains(home, permission.scope)) return { allowed: true };
  const name = registry.get(home)?.name ?? home;
  const verb = permission.action === "upload" ? "上传" : "查询";
  return {
    allowed: false,
    reason: `该密钥只能${verb}“${name}”(${home})及其下级单位的数据,不能访问“${permission.scope}”。`,
  };
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
