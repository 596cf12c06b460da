/**
 * Uploads end to end: a presigned POST form to the S3 emulator, the real trigger processing the file,
 * the result through GET /v1/uploads/{id}; the dry-run validator storing nothing; bulletins,
 * health, the OpenAPI document; and the `dangjian upload` / `dangjian query` commands.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeleteObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { ROUTES } from "../../lib/api/routes/all.ts";
import { explanationUploadId } from "../../lib/api/routes/explanations.ts";
import { reportPageSchema, uploadStatusSchema } from "../../lib/api/schemas.ts";
import { postUploadForm } from "../../lib/aws/upload-form.ts";
import { newApiKey } from "../../lib/domain/auth.ts";
import { templateHeader } from "../../lib/ingest/header.ts";
import { issueUpload } from "../../lib/write/uploads.ts";
import { registerQuery } from "../../scripts/commands/query.ts";
import { registerUpload } from "../../scripts/commands/upload.ts";
import { figures, returnCsv, waitingFigures } from "../support/returns.ts";
import { type ApiFixture, call, requestUpload, runCommand, useApiFixture, waitForUpload } from "./fixture.ts";

const fxOf = useApiFixture();
const BOM = [0xef, 0xbb, 0xbf];

/** Everything stored: table items and bucket objects. */
async function storedCounts(fx: ApiFixture): Promise<{ items: number; objects: number }> {
  const { services, config } = fx.stack;
  const scan = await services.clients.ddb.send(
    new ScanCommand({ TableName: config.TABLE_NAME, Select: "COUNT" }),
  );
  const list = await services.clients.s3.send(new ListObjectsV2Command({ Bucket: config.BUCKET_NAME }));
  return { items: scan.Count ?? 0, objects: list.KeyCount ?? 0 };
}

describe("Uploads through a presigned URL", () => {
  it("stores the file under the caller's prefix, processes it, and shows status and report", async () => {
    const fx = fxOf();
    const created = await requestUpload(fx, fx.keys.leaf, { period: "2026-10", fileName: "十月.csv" });
    expect(created.key).toBe(`incoming/001001001/2026-10/${created.uploadId}.csv`);
    const before = await call(fx, `/v1/uploads/${created.uploadId}`, { key: fx.keys.leaf });
    expect(before.json()).toMatchObject({
      upload: { status: "awaiting_file", fileName: "十月.csv" },
      report: null,
    });

    const values = figures(3, 0);
    const csvBytes = new TextEncoder().encode(returnCsv([{ unit: "001001001", period: "2026-10", values }]));
    const put = await postUploadForm(created, csvBytes, "十月.csv");
    expect(put.status).toBe(204);
    const state = await waitForUpload(fx, fx.keys.leaf, created.uploadId);
    expect(state.upload).toMatchObject({
      status: "aggregated",
      scope: "001001001",
      applied: { inserted: 1 },
    });
    expect(state.upload.uploadedBy).toBe(fx.keys.leaf.split("_")[1]);
    expect(state.report?.status).toBe("accepted");
    const reportCsv = new Uint8Array(await (await fetch(state.reportCsvUrl ?? "")).arrayBuffer());
    expect([...reportCsv.slice(0, 3)]).toEqual(BOM);

    const returns = (
      await call(fx, "/v1/returns?unit=001001001&period=2026-10", { key: fx.keys.leaf })
    ).json();
    expect(returns.returns[0]).toMatchObject({ upload_id: created.uploadId, values });
    const listed = (await call(fx, "/v1/uploads?status=aggregated", { key: fx.keys.leaf })).json();
    expect(listed.uploads.map((u: { uploadId: string }) => u.uploadId)).toContain(created.uploadId);
    const csv = await call(fx, "/v1/uploads?format=csv", { key: fx.keys.leaf });
    expect([...csv.bytes.slice(0, 3)]).toEqual(BOM);
    expect(csv.text).toContain(created.uploadId);
    // The 片区 above the unit may read its uploads.
    const other = await call(fx, `/v1/uploads/${created.uploadId}`, { key: fx.keys.area });
    expect(other.status).toBe(200);
    expect((await call(fx, "/v1/uploads/nosuchupload", { key: fx.keys.ops })).status).toBe(404);
  });

  it("signs a POST policy that binds the key and content type and bounds the size", async () => {
    const fx = fxOf();
    const created = await requestUpload(fx, fx.keys.leaf, { period: "2026-10" });
    expect(created.method).toBe("POST");
    expect(created.fields.key).toBe(created.key);
    const policy = JSON.parse(Buffer.from(created.fields.Policy ?? "", "base64").toString("utf8")) as {
      expiration: string;
      conditions: unknown[];
    };
    const maxBytes = fx.stack.config.MAX_UPLOAD_BYTES;
    expect(created.maxBytes).toBe(maxBytes);
    expect(policy.conditions).toContainEqual(["content-length-range", 0, maxBytes]);
    expect(policy.conditions).toContainEqual({ "Content-Type": "text/csv" });
    expect(policy.conditions).toContainEqual({ key: created.key });
    expect(policy.conditions).toContainEqual({ bucket: fx.stack.config.BUCKET_NAME });
    expect(Date.parse(policy.expiration)).toBeGreaterThan(Date.now());
    expect(created.fields["X-Amz-Signature"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("resubmits only rows that needed a 说明, from the stored file, as a new upload of the same scope", async () => {
    const fx = fxOf();
    const created = await requestUpload(fx, fx.keys.leaf, { period: "2026-07", fileName: "七月.csv" });
    const warn = waitingFigures(2, 5);
    const csv = returnCsv([
      { unit: "001001001", period: "2026-07", values: warn, highlight: "原文亮点" },
      { unit: "001001001", period: "2026-06", values: figures(9, 0) },
    ]);
    await postUploadForm(created, new TextEncoder().encode(csv), "七月.csv");
    const first = await waitForUpload(fx, fx.keys.leaf, created.uploadId);
    expect(first.report?.summary).toMatchObject({ accepted: 1, needs_explanation: 1 });
    const post = (key: string, id: string, rows: unknown) =>
      call(fx, `/v1/uploads/${id}/explanations`, {
        key,
        method: "POST",
        body: JSON.stringify({ rows }),
        headers: { "content-type": "application/json" },
      });
    // Row 3 was accepted: it needs no 说明, and nothing is created.
    const wrong = await post(fx.keys.leaf, created.uploadId, [{ row: 3, explanation: "无" }]);
    expect(wrong.status).toBe(400);
    expect(wrong.json().error.message).toContain("第3行不是待说明的行");
    // Another 片区's key may not upload for this unit.
    const otherArea = newApiKey({ role: "unit", unit: "001002" }, new Date());
    await fx.stack.services.stores.keys.putKey(otherArea.record);
    const foreign = await post(otherArea.key, created.uploadId, [{ row: 2, explanation: "无" }]);
    expect(foreign.status).toBe(403);
    const ok = await post(fx.keys.area, created.uploadId, [
      { row: 2, explanation: "上月问题本月一并解决。" },
    ]);
    expect(ok.status, ok.text).toBe(201);
    const { uploadId } = ok.json() as { uploadId: string };
    expect(uploadId).not.toBe(created.uploadId);
    const second = await waitForUpload(fx, fx.keys.leaf, uploadId);
    expect(second.upload).toMatchObject({
      scope: "001001001",
      status: "aggregated",
      applied: { inserted: 1 },
    });
    expect(second.upload.key).toBe(`incoming/001001001/2026-07/${uploadId}.csv`);
    expect(second.report?.summary).toMatchObject({ rows: 1, accepted: 1, needs_explanation: 0 });
    const stored = (
      await call(fx, "/v1/returns?unit=001001001&period=2026-07", { key: fx.keys.leaf })
    ).json();
    expect(stored.returns[0]).toMatchObject({
      explanation: "上月问题本月一并解决。",
      highlight: "原文亮点",
      values: warn,
      upload_id: uploadId,
    });
    // The same 说明 sent again (a retry, a second click) is the same upload: nothing filed twice.
    const again = await post(fx.keys.leaf, created.uploadId, [
      { row: 2, explanation: " 上月问题本月一并解决。" },
    ]);
    expect(again.status, again.text).toBe(200);
    expect(again.json()).toMatchObject({ uploadId, replayed: true, rows: 1 });
    const listedUploads = (await call(fx, "/v1/uploads?limit=100", { key: fx.keys.leaf })).json() as {
      uploads: { uploadId: string; fileName?: string }[];
    };
    expect(listedUploads.uploads.filter((u) => u.fileName === "说明-七月.csv")).toHaveLength(1);
    const file = await call(fx, `/v1/uploads/${uploadId}/file`, { key: fx.keys.leaf });
    expect(file.status).toBe(200);
    expect(await (await fetch(file.json().url)).text()).toContain("上月问题本月一并解决。");
    const other = await call(fx, `/v1/uploads/${uploadId}/file`, { key: fx.keys.ops });
    expect(other.status).toBe(200);
  });

  it("files a 说明 whose first request died before its file was stored; other text is another upload", async () => {
    const fx = fxOf();
    const created = await requestUpload(fx, fx.keys.leaf, { period: "2026-05", fileName: "五月.csv" });
    const warn = waitingFigures(1, 4);
    await postUploadForm(
      created,
      new TextEncoder().encode(returnCsv([{ unit: "001001001", period: "2026-05", values: warn }])),
      "五月.csv",
    );
    expect((await waitForUpload(fx, fx.keys.leaf, created.uploadId)).report?.summary).toMatchObject({
      needs_explanation: 1,
    });
    const rows = [{ row: 2, explanation: "补报以前月份的问题。" }];
    const post = (body: unknown) =>
      call(fx, `/v1/uploads/${created.uploadId}/explanations`, {
        key: fx.keys.leaf,
        method: "POST",
        body: JSON.stringify({ rows: body }),
        headers: { "content-type": "application/json" },
      });
    // The first attempt got as far as the record: no file, so nothing would ever process it.
    const id = explanationUploadId(created.uploadId, rows);
    await issueUpload(fx.stack.services.stores.uploads, {
      uploadId: id,
      scope: "001001001",
      period: "2026-05",
      issuedBy: (await fx.stack.services.stores.uploads.getUpload(created.uploadId))?.uploadedBy ?? "",
      fileName: "说明-五月.csv",
      at: new Date(),
    });
    const retried = await post(rows);
    expect(retried.status, retried.text).toBe(200);
    expect(retried.json()).toMatchObject({ uploadId: id, replayed: true });
    const done = await waitForUpload(fx, fx.keys.leaf, id);
    expect(done.upload.status).toBe("aggregated");
    expect(done.report?.summary).toMatchObject({ rows: 1, accepted: 1 });
    // A different 说明 for the same row is a new upload.
    const other = await post([{ row: 2, explanation: "另一份说明。" }]);
    expect(other.status, other.text).toBe(201);
    expect(other.json().uploadId).not.toBe(id);
    await waitForUpload(fx, fx.keys.leaf, other.json().uploadId);
    const stored = (
      await call(fx, "/v1/returns?unit=001001001&period=2026-05", { key: fx.keys.leaf })
    ).json();
    expect(stored.returns[0]).toMatchObject({
      explanation: "另一份说明。",
      upload_id: other.json().uploadId,
    });
  });

  it("keeps only the waiting rows beside the report, and reads an upload checked before that from its CSV", async () => {
    const fx = fxOf();
    const created = await requestUpload(fx, fx.keys.leaf, { period: "2026-04", fileName: "四月.csv" });
    const warn = waitingFigures(1, 2);
    const csv = returnCsv([
      { unit: "001001001", period: "2026-03", values: figures(3, 0) },
      { unit: "001001001", period: "2026-04", values: warn },
    ]);
    await postUploadForm(created, new TextEncoder().encode(csv), "四月.csv");
    await waitForUpload(fx, fx.keys.leaf, created.uploadId);
    const key = `reports/${created.uploadId}.waiting.json`;
    const kept = JSON.parse(Buffer.from(await fx.stack.services.objects.getBytes(key)).toString("utf8"));
    expect(kept.header).toEqual(templateHeader());
    expect(kept.rows.map((r: { row: number }) => r.row)).toEqual([3]);
    expect(kept.rows[0].cells.slice(0, 2)).toEqual(["001001001", "2026-04"]);
    // As an upload checked before the rows were kept: the CSV itself is read.
    await fx.stack.services.clients.s3.send(
      new DeleteObjectCommand({ Bucket: fx.stack.config.BUCKET_NAME, Key: key }),
    );
    const sent = await call(fx, `/v1/uploads/${created.uploadId}/explanations`, {
      key: fx.keys.leaf,
      method: "POST",
      body: JSON.stringify({ rows: [{ row: 3, explanation: "补录。" }] }),
      headers: { "content-type": "application/json" },
    });
    expect(sent.status, sent.text).toBe(201);
    const done = await waitForUpload(fx, fx.keys.leaf, sent.json().uploadId);
    expect(done.upload).toMatchObject({ status: "aggregated", applied: { inserted: 1 } });
  });

  it("derives the 说明 upload's id from the source and the texts, not their order or repeats", () => {
    const a = { row: 2, explanation: "甲" };
    const b = { row: 5, explanation: "乙" };
    const id = explanationUploadId("src1", [a, b]);
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(explanationUploadId("src1", [b, a])).toBe(id);
    expect(explanationUploadId("src1", [b, { row: 2, explanation: "旧" }, a])).toBe(id);
    expect(explanationUploadId("src2", [a, b])).not.toBe(id);
    expect(explanationUploadId("src1", [a, { row: 5, explanation: "乙。" }])).not.toBe(id);
    expect(explanationUploadId("src1", [a])).not.toBe(id);
    // Row 2 with text "5\t…" must not collide with rows 2 and 5.
    expect(explanationUploadId("src1", [{ row: 2, explanation: "甲\n5\t1\t乙" }])).not.toBe(id);
  });

  it("rejects rows for units outside the uploader's subtree with E_UNIT_FORBIDDEN", async () => {
    const fx = fxOf();
    const created = await requestUpload(fx, fx.keys.leaf, { period: "2026-09" });
    const body = returnCsv([
      { unit: "001001001", period: "2026-09", values: figures(4, 0) },
      { unit: "001002001", period: "2026-09", values: figures(5, 4) },
    ]);
    await postUploadForm(created, new TextEncoder().encode(body), "upload.csv");
    const state = await waitForUpload(fx, fx.keys.leaf, created.uploadId);
    expect(state.report?.status).toBe("partial");
    expect(state.issues?.items.filter((i) => i.code === "E_UNIT_FORBIDDEN").map((i) => i.unit)).toEqual([
      "001002001",
    ]);
    const foreign = await call(fx, "/v1/returns?unit=001002001", { key: fx.keys.ops });
    expect(foreign.json().returns).toEqual([]);
  });

  it("refuses another unit's upload record with 403", async () => {
    const fx = fxOf();
    const created = await requestUpload(fx, fx.keys.ops, { unit: "001002", period: "2026-10" });
    expect((await call(fx, `/v1/uploads/${created.uploadId}`, { key: fx.keys.leaf })).status).toBe(403);
    expect((await call(fx, `/v1/uploads/${created.uploadId}`, { key: fx.keys.ops })).status).toBe(200);
  });
});

/** `rows` rows of 27 wrong cells each (code and period included): the report explosion of issue 9. */
function garbageCsv(rows: number): string {
  const header = templateHeader();
  const lines = [header.join(",")];
  const bad = header.map((_, i) => `坏${i}`).join(",");
  for (let r = 0; r < rows; r++) lines.push(bad);
  return `${lines.join("\r\n")}\r\n`;
}

describe("GET /v1/uploads/{id} of a huge report", () => {
  it("answers 200 with the summary and a page of issues, however big the file was", async () => {
    const fx = fxOf();
    const created = await requestUpload(fx, fx.keys.ops, { period: "2026-10" });
    const put = await postUploadForm(created, new TextEncoder().encode(garbageCsv(20_000)), "garbage.csv");
    expect(put.ok).toBe(true);
    const state = await waitForUpload(fx, fx.keys.ops, created.uploadId);
    expect(state.upload.status).toBe("rejected");
    expect(state.issues?.items).toHaveLength(100);
    expect(state.report?.issues_total).toBeGreaterThan(1000);
    const last = uploadStatusSchema.parse(
      (await call(fx, `/v1/uploads/${created.uploadId}?offset=990&limit=200`, { key: fx.keys.ops })).json(),
    );
    expect(last.issues).toMatchObject({ offset: 990, limit: 200, total: 1000 });
    expect(last.issues?.items).toHaveLength(10);
  });
});

describe("POST /v1/validate", () => {
  it("answers a garbage file with a summary and one page of issues, never megabytes", async () => {
    const fx = fxOf();
    const body = garbageCsv(3000);
    expect(body.length).toBeGreaterThan(300_000);
    const reply = await call(fx, "/v1/validate?limit=50", {
      key: fx.keys.ops,
      method: "POST",
      body,
      headers: { "content-type": "text/csv" },
    });
    expect(reply.status).toBe(200);
    expect(reply.bytes.length).toBeLessThan(200_000);
    const report = reportPageSchema.parse(reply.json());
    expect(report.status).toBe("rejected");
    expect(report.issues.items).toHaveLength(50);
    expect(report.issues.total).toBe(1000);
    expect(report.issues_total).toBe(report.issue_counts.reduce((n, c) => n + c.count, 0));
    expect(report.issue_counts.map((c) => c.code)).toContain("E_TOO_MANY_ERRORS");
    const page2 = reportPageSchema.parse(
      (
        await call(fx, "/v1/validate?offset=50&limit=50", {
          key: fx.keys.ops,
          method: "POST",
          body,
          headers: { "content-type": "text/csv" },
        })
      ).json(),
    );
    expect(page2.issues.items[0]).toEqual(
      reportPageSchema.parse(
        (
          await call(fx, "/v1/validate?offset=0&limit=51", {
            key: fx.keys.ops,
            method: "POST",
            body,
            headers: { "content-type": "text/csv" },
          })
        ).json(),
      ).issues.items[50],
    );
  });

  it("checks a file like an upload would and stores nothing", async () => {
    const fx = fxOf();
    const before = await storedCounts(fx);
    const body = returnCsv([
      { unit: "001001002", period: "2026-10", values: figures(1, 1) },
      { unit: "001002002", period: "2026-10", values: figures(2, 5) },
    ]);
    const reply = await call(fx, "/v1/validate", {
      key: fx.keys.area,
      method: "POST",
      body,
      headers: { "content-type": "text/csv" },
    });
    expect(reply.status).toBe(200);
    const report = reportPageSchema.parse(reply.json());
    expect(report.summary).toEqual({ rows: 2, accepted: 1, needs_explanation: 0, rejected: 1 });
    expect(report.issues.items.map((i) => [i.unit, i.code])).toEqual([["001002002", "E_UNIT_FORBIDDEN"]]);
    expect(await storedCounts(fx)).toEqual(before);
  });

  it("reads GB18030 bytes sent as octet-stream, and answers as Chinese text or CSV", async () => {
    const fx = fxOf();
    const csv = returnCsv([
      { unit: "001001003", period: "2026-10", values: figures(1, 2), highlight: "开展主题党日" },
    ]);
    const gbk = new Uint8Array(iconv.encode(csv.replace(/^\ufeff/, ""), "gb18030"));
    const headers = { "content-type": "application/octet-stream" };
    const json = await call(fx, "/v1/validate", { key: fx.keys.ops, method: "POST", body: gbk, headers });
    expect(json.json()).toMatchObject({ status: "accepted", encoding: "gb18030" });
    const text = await call(fx, "/v1/validate?format=text&fileName=%E5%8D%81%E6%9C%88.csv", {
      key: fx.keys.ops,
      method: "POST",
      body: gbk,
      headers,
    });
    expect(text.headers.get("content-type")).toContain("text/plain");
    expect(text.text).toContain("文件:十月.csv");
    expect(text.text).toContain("审核结果:全部通过");
    const bad = returnCsv([
      { unit: "001001003", period: "2026-10", values: { ...figures(1, 2), members_total: -3 } },
    ]);
    const table = await call(fx, "/v1/validate?format=csv", {
      key: fx.keys.ops,
      method: "POST",
      body: bad,
      headers,
    });
    expect([...table.bytes.slice(0, 3)]).toEqual(BOM);
    expect(table.text).toContain("E_NEGATIVE");
  });
});

describe("Bulletins", () => {
  it("lists bulletins, gives a working download link, and 404s a month without one", async () => {
    const fx = fxOf();
    const pdf = new TextEncoder().encode("%PDF-1.7 test bulletin");
    const key = "bulletins/001/2026-10/jianbao-001-2026-10-r1.pdf";
    await fx.stack.services.objects.put(key, pdf, "application/pdf");
    await fx.stack.services.stores.bulletins.putBulletin({
      scope: "001",
      period: "2026-10",
      issueNumber: 10,
      revision: 1,
      key,
      pages: 4,
      bytes: pdf.length,
      renderMs: 800,
      createdAt: "2026-11-06T01:00:00.000Z",
      updatedAt: "2026-11-06T01:00:00.000Z",
    });
    const list = (await call(fx, "/v1/bulletins", { key: fx.keys.ops })).json();
    expect(list.bulletins).toEqual([
      expect.objectContaining({ period: "2026-10", issue_number: 10, pages: 4, revision: 1 }),
    ]);
    const one = await call(fx, "/v1/bulletins/2026-10", { key: fx.keys.ops });
    expect(one.json()).toMatchObject({
      issue_number: 10,
      fileName: "测试市直机关工委机关党建工作简报2026年第10期.pdf",
    });
    const download = await fetch(one.json().url);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(pdf);
    expect((await call(fx, "/v1/bulletins/2026-09", { key: fx.keys.ops })).status).toBe(404);
    expect((await call(fx, "/v1/bulletins/2026-Q3", { key: fx.keys.ops })).status).toBe(400);
  });

  it("asks for a re-render of LAST_MONTH for a 片区", async () => {
    const fx = fxOf();
    const reply = await call(fx, "/v1/bulletins/LAST_MONTH/render", {
      key: fx.keys.ops,
      method: "POST",
      body: JSON.stringify({ scope: "001002" }),
      headers: { "content-type": "application/json" },
    });
    expect(reply.status).toBe(202);
    expect(reply.json()).toEqual({ status: "accepted", scope: "001002", period: "2026-10" });
    expect(fx.renders).toContainEqual({ scope: "001002", period: "2026-10" });
  });
});

describe("GET /v1/openapi.json and GET /v1/health", () => {
  it("describes every route as OpenAPI 3.1 with resolvable references", async () => {
    const fx = fxOf();
    const doc = (await call(fx, "/v1/openapi.json", { key: fx.keys.ops })).json();
    expect(doc.openapi).toBe("3.1.0");
    for (const route of ROUTES) {
      const operation = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation.responses["500"]).toBeDefined();
      for (const param of route.path.match(/\{(\w+)\}/g) ?? []) {
        expect(operation.parameters.map((p: { name: string }) => `{${p.name}}`)).toContain(param);
      }
    }
    expect(doc.paths["/v1/health"].get.security).toEqual([]);
    const aggregates = doc.paths["/v1/aggregates"].get;
    expect(aggregates.parameters.find((p: { name: string }) => p.name === "period")).toMatchObject({
      required: true,
    });
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      const name = ref.slice('"$ref":"#/components/schemas/'.length, -1);
      expect(doc.components.schemas[name], ref).toBeDefined();
    }
  });

  it("answers health without a key, and 503 until the stack is ready", async () => {
    const fx = fxOf();
    fx.server.setReady(false);
    const starting = await call(fx, "/v1/health");
    expect(starting.status).toBe(503);
    expect(starting.json().error.code).toBe("E_NOT_READY");
    fx.server.setReady(true);
    expect((await call(fx, "/v1/health")).json()).toMatchObject({ status: "ok" });
  });
});

describe("Commands: dangjian upload and dangjian query", () => {
  it("uploads a file, waits, prints the report and exits 0 only when every row is accepted", async () => {
    const fx = fxOf();
    const dir = await mkdtemp(join(tmpdir(), "dangjian-upload-"));
    const good = join(dir, "八月.csv");
    await writeFile(good, returnCsv([{ unit: "001001004", period: "2026-08", values: figures(8, 3) }]));
    const args = ["--endpoint", fx.server.url, "--key", fx.keys.area];
    const ok = await runCommand(registerUpload, ["upload", good, ...args, "--period", "2026-08"]);
    expect(ok.err).toContain("状态:已汇总");
    expect(ok.out).toContain("审核结果:全部通过");
    expect(ok.out).toContain("入库:新增1份");
    expect(ok.exit).toBe(0);

    const bad = join(dir, "有错.csv");
    await writeFile(
      bad,
      returnCsv([
        { unit: "001001004", period: "2026-07", values: figures(7, 3) },
        { unit: "001002003", period: "2026-07", values: figures(7, 6) },
      ]),
    );
    const partial = await runCommand(registerUpload, ["upload", bad, ...args]);
    expect(partial.out).toContain("E_UNIT_FORBIDDEN");
    expect(partial.exit).toBe(1);

    const noKey = await runCommand(registerUpload, ["upload", good, "--endpoint", fx.server.url]);
    expect(noKey.exit).toBe(2);
    const wrongKey = await runCommand(registerUpload, [
      "upload",
      good,
      "--endpoint",
      fx.server.url,
      "--key",
      fx.keys.revoked,
    ]);
    expect(wrongKey.exit).toBe(1);
    expect(wrongKey.err).toContain("吊销");
  });

  it("prints figures with 环比 and 同比 as a table, per child, or as CSV", async () => {
    const fx = fxOf();
    const args = ["--endpoint", fx.server.url, "--key", fx.keys.ops];
    const table = await runCommand(registerQuery, [
      "query",
      "--scope",
      "001",
      "--period",
      "2026-10",
      "--children",
      ...args,
    ]);
    expect(table.exit, table.err).toBe(0);
    expect(table.out).toContain("测试市直机关工委(001)· 2026年10月");
    expect(table.out).toMatch(/党员总数\(名\)\s+\d+/);
    expect(table.out).toContain("上期(2026年9月)");
    expect(table.out).toContain("下级单位:");
    expect(table.out).toContain("第2片区(001002)");
    const csv = await runCommand(registerQuery, [
      "query",
      "--period",
      "2026-10",
      "--indicators",
      "members_total",
      "--csv",
      ...args,
    ]);
    expect(csv.out.startsWith("\ufeff单位代码,单位名称,期间")).toBe(true);
    const bad = await runCommand(registerQuery, ["query", "--period", "someday", ...args]);
    expect(bad.exit).toBe(2);
    expect(bad.err).toContain("无法识别的期间");
  });
});
