/**
 * The pipeline as an attacker and a careless user meet it, on the real emulators: files that would
 * blow up the report, keys nobody issued, keys that need decoding, URLs used twice or after their
 * key was revoked, another upload's id under another prefix, and a registry file next to the real one.
 */
import { describe, expect, it } from "vitest";
import { newApiKey } from "../../lib/domain/auth.ts";
import { INDICATORS } from "../../lib/domain/catalogue.ts";
import { formatCsv } from "../../lib/ingest/csv.ts";
import { templateHeader } from "../../lib/ingest/header.ts";
import { importRegistry } from "../../lib/ingest/registry-import.ts";
import { REPORT_LIMITS, type ValidationReport } from "../../lib/ingest/report.ts";
import { decodeEventKey, reportKeys } from "../../lib/objects.ts";
import type { UploadRecord } from "../../lib/ports.ts";
import { issueUpload } from "../../lib/write/uploads.ts";
import type { LocalStack } from "../../scripts/local/stack.ts";
import { figures, returnCsv } from "../support/returns.ts";
import { loadRegistry, registryCsv, rollupSnapshot, unitCodes, useLocalStack } from "../support/stack.ts";

const stackOf = useLocalStack();
const UNITS = unitCodes(2, 5);

async function report(stack: LocalStack, uploadId: string): Promise<ValidationReport> {
  const bytes = await stack.services.objects.getBytes(reportKeys(uploadId).json);
  return JSON.parse(new TextDecoder().decode(bytes)) as ValidationReport;
}

async function record(stack: LocalStack, uploadId: string): Promise<UploadRecord | undefined> {
  return stack.services.stores.uploads.getUpload(uploadId);
}

async function fresh(): Promise<LocalStack> {
  const stack = stackOf();
  await stack.resetTable();
  await loadRegistry(stack, registryCsv(2, 5));
  stack.setConcurrency(2);
  return stack;
}

/** Rows where every one of the 25 figures and both key cells are garbage. */
function garbage(rows: number): string {
  const header = templateHeader();
  const bad = header.map((_, i) => `x${i}`.repeat(3));
  const lines: string[][] = [header];
  for (let r = 0; r < rows; r++) lines.push(bad);
  return formatCsv(lines);
}

describe("Pipeline hardening: reports stay bounded", () => {
  it("stops a 100,000-row garbage file early, rejected with counts, and keeps the report small", async () => {
    const stack = await fresh();
    const body = garbage(100_000);
    expect(body.length).toBeGreaterThan(5_000_000);
    await stack.put("incoming/001/2026-10/garbage0001.csv", body);
    await stack.drain();
    expect(stack.deadLetters).toEqual([]);
    const json = new TextDecoder().decode(
      await stack.services.objects.getBytes(reportKeys("garbage0001").json),
    );
    const csv = new TextDecoder().decode(
      await stack.services.objects.getBytes(reportKeys("garbage0001").csv),
    );
    expect(json.length).toBeLessThan(1_000_000);
    expect(csv.length).toBeLessThan(1_000_000);
    const r = JSON.parse(json) as ValidationReport;
    expect(r.status).toBe("rejected");
    expect(r.issues[0]?.code).toBe("E_TOO_MANY_ERRORS");
    expect(r.issues).toHaveLength(REPORT_LIMITS.issues);
    expect(r.truncated).toBe(true);
    // Every issue counted, whether its text was kept or not.
    expect(r.issue_counts.reduce((n, c) => n + c.count, 0)).toBe(r.issues_total);
    expect(r.issues_total).toBeGreaterThan(REPORT_LIMITS.issues);
    expect(r.summary.rows).toBeLessThan(2_000);
    expect(r.summary.rejected).toBe(r.summary.rows);
    // Echoed cell text is cut short.
    expect(Math.max(...r.issues.map((i) => i.message.length))).toBeLessThan(200);
    expect((await record(stack, "garbage0001"))?.status).toBe("rejected");
  }, 120_000);

  it("keeps the first 1,000 issues of a long partly wrong file in row order and still stores its good rows", async () => {
    const stack = stackOf();
    await stack.resetTable();
    await loadRegistry(stack, registryCsv(20, 100));
    const units = unitCodes(20, 100);
    const header = templateHeader();
    const lines: (string | number)[][] = [header];
    const warning = 2 + INDICATORS.findIndex((i) => i.key === "warning_edu");
    const lectures = 2 + INDICATORS.findIndex((i) => i.key === "lectures");
    // 3,000 distinct returns; every third one has two wrong cells (a third rejected: no early stop).
    const bad = (r: number) => r % 3 === 0;
    for (let r = 0; r < 3000; r++) {
      const unit = units[r % 2000] as string;
      const row = returnCsv([{ unit, period: r < 2000 ? "2026-10" : "2026-09", values: figures(1, 0) }])
        .split("\r\n")[1]
        ?.split(",") as string[];
      if (bad(r)) {
        row[warning] = "-3";
        row[lectures] = "很多";
      }
      lines.push(row);
    }
    await stack.put("incoming/001/2026-10/partial0001.csv", formatCsv(lines));
    await stack.drain();
    const r = await report(stack, "partial0001");
    expect(r.truncated).toBe(true);
    expect(r.issues).toHaveLength(REPORT_LIMITS.issues);
    const rows = r.issues.map((i) => i.row);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    // The 2026-09 rows of a file filed under 2026-10 get a notice each (and are still accepted).
    expect(r.issues_total).toBe(3000);
    expect(Object.fromEntries(r.issue_counts.map((c) => [c.code, c.count]))).toEqual({
      E_NEGATIVE: 1000,
      E_NOT_NUMBER: 1000,
      W_PERIOD_MISMATCH: 1000,
    });
    expect(r.summary).toEqual({ rows: 3000, accepted: 2000, needs_explanation: 0, rejected: 1000 });
    expect(r.rows).toHaveLength(3000);
    const october = Array.from({ length: 2000 }, (_, i) => i).filter((i) => !bad(i)).length;
    expect((await rollupSnapshot(stack))["001|2026-10"]?.n_reported).toBe(october);
  }, 180_000);
});

describe("Pipeline hardening: the upload record is the authority", () => {
  it("reads keys with Chinese, spaces, + and % (decoded once) and refuses objects nobody asked for", async () => {
    const stack = await fresh();
    const key = "incoming/测试 单位+1%/2026-10/strange0001.csv";
    await stack.put(
      key,
      returnCsv([{ unit: UNITS[0] as string, period: "2026-10", values: figures(1, 0) }]),
      {
        raw: true,
      },
    );
    await stack.drain();
    // No "The specified key does not exist" dead letter: the handler read the object.
    expect(stack.deadLetters).toEqual([]);
    const event = stack.delivered.find((r) => r.s3.object.key.includes("strange0001"));
    // S3 sends the key URL-encoded ("+" for a space, %2B for "+"): decoded once, it is the key again.
    expect(event?.s3.object.key).not.toBe(key);
    expect(decodeEventKey(event?.s3.object.key ?? "")).toBe(key);
    const r = await report(stack, "strange0001");
    expect(r.issues.map((i) => i.code)).toEqual(["E_UPLOAD_UNKNOWN"]);
    expect((await record(stack, "strange0001"))?.scope).toBe("001");
    expect(await rollupSnapshot(stack)).toEqual({});
  });

  it("refuses incoming/NOSUCHUNIT/… and incoming/../… instead of reading them as the root's", async () => {
    const stack = await fresh();
    const body = returnCsv(UNITS.map((unit, i) => ({ unit, period: "2026-10", values: figures(i, i) })));
    await stack.put("incoming/NOSUCHUNIT/2026-10/nosuch0001.csv", body, { raw: true });
    await stack.put("incoming/../2026-10/dotdot0001.csv", body, { raw: true });
    await stack.drain();
    for (const id of ["nosuch0001", "dotdot0001"]) {
      expect((await report(stack, id)).summary.accepted, id).toBe(0);
      expect((await record(stack, id))?.status, id).toBe("rejected");
    }
    expect(await rollupSnapshot(stack)).toEqual({});
  });

  it("rejects an upload whose unit left the registry after its URL was issued (E_SCOPE_UNKNOWN)", async () => {
    const stack = await fresh();
    const gone = UNITS[9] as string;
    await issueUpload(stack.services.stores.uploads, {
      uploadId: "gone000001",
      scope: gone,
      period: "2026-10",
      at: new Date(),
    });
    // The new registry no longer has the unit.
    const without = registryCsv(2, 5)
      .split("\r\n")
      .filter((l) => !l.startsWith(gone))
      .join("\r\n");
    await loadRegistry(stack, without);
    await stack.put(
      `incoming/${gone}/2026-10/gone000001.csv`,
      returnCsv([{ unit: UNITS[0] as string, period: "2026-10", values: figures(1, 0) }]),
    );
    await stack.drain();
    expect((await report(stack, "gone000001")).issues.map((i) => i.code)).toEqual(["E_SCOPE_UNKNOWN"]);
    expect(await rollupSnapshot(stack)).toEqual({});
  });

  it("refuses an upload whose issuing key was revoked before the file arrived (E_AUTH_REVOKED)", async () => {
    const stack = await fresh();
    const unit = UNITS[0] as string;
    const { record: key } = newApiKey({ role: "unit", unit }, new Date());
    await stack.services.stores.keys.putKey(key);
    await issueUpload(stack.services.stores.uploads, {
      uploadId: "revoked001",
      scope: unit,
      period: "2026-10",
      issuedBy: key.keyId,
      at: new Date(),
    });
    await stack.services.stores.keys.revokeKey(key.keyId, new Date().toISOString());
    await stack.put(
      `incoming/${unit}/2026-10/revoked001.csv`,
      returnCsv([{ unit, period: "2026-10", values: figures(1, 0) }]),
    );
    await stack.drain();
    const r = await report(stack, "revoked001");
    expect(r.issues.map((i) => i.code)).toEqual(["E_AUTH_REVOKED"]);
    expect(r.issues[0]?.message).toContain("吊销");
    expect(await rollupSnapshot(stack)).toEqual({});
  });

  it("accepts one object per upload: a second PUT to the same key changes nothing", async () => {
    const stack = await fresh();
    const unit = UNITS[0] as string;
    const key = `incoming/${unit}/2026-10/once000001.csv`;
    await stack.put(key, returnCsv([{ unit, period: "2026-10", values: figures(1, 0) }]));
    await stack.drain();
    const first = await record(stack, "once000001");
    const rollups = await rollupSnapshot(stack);
    expect(first?.status).toBe("aggregated");
    await stack.put(key, returnCsv([{ unit, period: "2026-10", values: figures(7, 0) }]));
    await stack.drain();
    expect(await record(stack, "once000001")).toEqual(first);
    expect(await rollupSnapshot(stack)).toEqual(rollups);
  });

  it("refuses another upload's id under another prefix and leaves that upload's record alone", async () => {
    const stack = await fresh();
    const [mine, theirs] = [UNITS[0] as string, UNITS[6] as string];
    await stack.put(
      `incoming/${mine}/2026-10/victim0001.csv`,
      returnCsv([{ unit: mine, period: "2026-10", values: figures(1, 0) }]),
    );
    await stack.drain();
    const before = await record(stack, "victim0001");
    const rollups = await rollupSnapshot(stack);
    await stack.put(
      `incoming/${theirs}/2026-10/victim0001.csv`,
      returnCsv([{ unit: theirs, period: "2026-10", values: figures(2, 6) }]),
      {
        raw: true,
      },
    );
    await stack.drain();
    expect(await record(stack, "victim0001")).toEqual(before);
    expect(before?.scope).toBe(mine);
    expect(await rollupSnapshot(stack)).toEqual(rollups);
  });

  it("loads the registry only from registry/units.csv, not from registry/units-old.csv", async () => {
    const stack = await fresh();
    const before = await stack.services.stores.registry.registryVersion();
    await stack.put("registry/units-old.csv", "单位代码,单位名称,上级单位代码\r\n900,旧名册,\r\n");
    await stack.put("registry/units.csv.bak.csv", "单位代码,单位名称,上级单位代码\r\n900,旧名册,\r\n");
    await stack.drain();
    expect(await stack.services.stores.registry.registryVersion()).toBe(before);
    expect((await stack.services.stores.registry.loadRegistry()).some((u) => u.code === "900")).toBe(false);
  });

  it("refuses a registry with codes that cannot be keys (汉字, spaces, +, %), saying which characters may be used", async () => {
    const stack = stackOf();
    const csv =
      "单位代码,单位名称,上级单位代码\r\n001,市直机关工委,\r\n测试001,测试单位,001\r\n002 3,有空格,001\r\n";
    const result = await importRegistry(new TextEncoder().encode(csv), stack.services.stores.registry);
    expect(result.ok).toBe(false);
    const messages = result.ok ? [] : result.problems.map((p) => p.message);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain("第3行");
    expect(messages[0]).toContain("只能由数字、英文字母");
  });
});
