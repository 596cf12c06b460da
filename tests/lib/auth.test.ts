/**
 * lib/auth.ts and the authorizer's key cache, without I/O: keys are checked against an in-memory
 * KeyStore (the port, not a mock of the SDK) and time is a counter.
 */
import { describe, expect, it } from "vitest";
import { createAuthorizer } from "../../lib/api/authorizer.ts";
import {
  authenticate,
  authorise,
  credentialOf,
  hashKey,
  keyIdOf,
  newApiKey,
  type Principal,
  weakKeyReason,
} from "../../lib/domain/auth.ts";
import { Registry } from "../../lib/domain/registry.ts";
import type { ApiKeyRecord, KeyStore } from "../../lib/ports.ts";

class MemoryKeys implements KeyStore {
  readonly byHash = new Map<string, ApiKeyRecord>();
  reads = 0;
  async getKeyByHash(hash: string) {
    this.reads++;
    return this.byHash.get(hash);
  }
  async getKeyById(keyId: string) {
    return [...this.byHash.values()].find((r) => r.keyId === keyId);
  }
  async putKey(record: ApiKeyRecord) {
    this.byHash.set(record.hash, record);
  }
  async listKeys() {
    return [...this.byHash.values()];
  }
  async revokeKey(keyId: string, at: string) {
    for (const [hash, r] of this.byHash) {
      if (r.keyId === keyId) {
        this.byHash.set(hash, { ...r, revokedAt: at });
        return true;
      }
    }
    return false;
  }
}

const NOW = new Date("2026-11-10T04:00:00Z");
const registry = new Registry([
  { code: "001", name: "市直机关工委", parentCode: null },
  { code: "001001", name: "第1片区", parentCode: "001" },
  { code: "001001001", name: "财政局机关党支部", parentCode: "001001" },
  { code: "001002", name: "第2片区", parentCode: "001" },
]);

describe("lib/auth: keys", () => {
  it("makes djk_<8 lowercase alnum>_<40 base62> keys and stores only their SHA-256", () => {
    const { key, record } = newApiKey({ role: "unit", unit: "001001", label: "片区" }, NOW);
    expect(key).toMatch(/^djk_[a-z0-9]{8}_[A-Za-z0-9]{40}$/);
    expect(record).toMatchObject({ keyId: keyIdOf(key), hash: hashKey(key), role: "unit", unit: "001001" });
    expect(JSON.stringify(record)).not.toContain(key.split("_")[2]);
    expect(newApiKey({ role: "ops", unit: "001" }, NOW).record.unit).toBeNull();
  });

  it("reads the key from Authorization: Bearer, a bare Authorization, or x-api-key", () => {
    expect(credentialOf({ authorization: "Bearer djk_x" })).toBe("djk_x");
    expect(credentialOf({ authorization: "bearer  djk_x " })).toBe("djk_x");
    expect(credentialOf({ authorization: "djk_x" })).toBe("djk_x");
    expect(credentialOf({ "x-api-key": "djk_y" })).toBe("djk_y");
    expect(credentialOf({})).toBeUndefined();
  });

  it("tells missing, invalid, revoked and ok apart, without a read for malformed text", async () => {
    const keys = new MemoryKeys();
    const { key, record } = newApiKey({ role: "ops", unit: null }, NOW);
    await keys.putKey(record);
    expect(await authenticate(undefined, keys)).toEqual({ kind: "missing" });
    expect(await authenticate("not-a-key", keys)).toEqual({ kind: "invalid" });
    expect(keys.reads).toBe(0);
    expect(await authenticate(`djk_abcdefgh_${"x".repeat(40)}`, keys)).toEqual({ kind: "invalid" });
    expect(await authenticate(key, keys)).toMatchObject({ kind: "ok", principal: { role: "ops" } });
    await keys.revokeKey(record.keyId, NOW.toISOString());
    expect(await authenticate(key, keys)).toEqual({ kind: "revoked" });
  });
});

describe("lib/auth: authorise", () => {
  const ops: Principal = { keyId: "o", role: "ops", unit: null };
  const area: Principal = { keyId: "a", role: "unit", unit: "001001" };

  it("lets ops do everything and a unit key only its own subtree", () => {
    expect(authorise(ops, { action: "render" }, registry).allowed).toBe(true);
    expect(authorise(ops, { action: "read", scope: "001002" }, registry).allowed).toBe(true);
    expect(authorise(area, { action: "read", scope: "001001" }, registry).allowed).toBe(true);
    expect(authorise(area, { action: "upload", scope: "001001001" }, registry).allowed).toBe(true);
    expect(authorise(area, { action: "read", scope: "001" }, registry).allowed).toBe(false);
    expect(authorise(area, { action: "read", scope: "001002" }, registry).allowed).toBe(false);
    const refused = authorise(area, { action: "render" }, registry);
    expect(refused).toMatchObject({ allowed: false });
  });
});

describe("Authorizer: key cache", () => {
  it("reuses a lookup within the cache time, so a revocation reaches a warm container after it", async () => {
    const keys = new MemoryKeys();
    const { key, record } = newApiKey({ role: "unit", unit: "001001" }, NOW);
    await keys.putKey(record);
    let now = 0;
    const authorizer = createAuthorizer(keys, { cacheSeconds: 10, clock: () => now });
    const event = { headers: { authorization: `Bearer ${key}` } } as unknown as Parameters<
      typeof authorizer
    >[0];
    expect((await authorizer(event)).context).toEqual({
      auth: "ok",
      role: "unit",
      unit: "001001",
      keyId: record.keyId,
      via: "key",
    });
    await keys.revokeKey(record.keyId, NOW.toISOString());
    now = 9_000;
    expect((await authorizer(event)).context.auth).toBe("ok");
    expect(keys.reads).toBe(1);
    now = 10_001;
    expect((await authorizer(event)).context.auth).toBe("revoked");
    expect((await authorizer(event)).isAuthorized).toBe(true);
  });

  it("looks every key up when the cache is off", async () => {
    const keys = new MemoryKeys();
    const { key, record } = newApiKey({ role: "ops", unit: null }, NOW);
    await keys.putKey(record);
    const authorizer = createAuthorizer(keys, { cacheSeconds: 0 });
    const event = { headers: { "x-api-key": key } } as unknown as Parameters<typeof authorizer>[0];
    await authorizer(event);
    await keys.revokeKey(record.keyId, NOW.toISOString());
    expect((await authorizer(event)).context.auth).toBe("revoked");
    expect(
      (await authorizer({ headers: {} } as unknown as Parameters<typeof authorizer>[0])).context.auth,
    ).toBe("missing");
  });
});

describe("lib/auth: keys chosen outside (DANGJIAN_OPS_KEY)", () => {
  it("refuses malformed and low-entropy keys and accepts generated ones", () => {
    expect(weakKeyReason("not-a-key")).toContain("格式不正确");
    expect(weakKeyReason(`djk_aaaaaaaa_${"A".repeat(40)}`)).toContain("过于简单");
    expect(weakKeyReason(`djk_abcdefgh_${"AbCd".repeat(10)}`)).toContain("过于简单");
    expect(weakKeyReason(`djk_abcdefgh_${"0123456789ABCDEFGHIJ".repeat(2)}`)).toBeUndefined();
    for (let i = 0; i < 20; i++) {
      expect(weakKeyReason(newApiKey({ role: "ops", unit: null }, new Date()).key)).toBeUndefined();
    }
  });
});
