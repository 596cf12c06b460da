/**
 * Excel returns end to end on the real local stack: POST /v1/uploads picks the key's suffix from
 * `format` or the file name, the presigned PUT of an .xlsx triggers the same pipeline through a real
 * S3 event, the raw workbook stays in S3, the upload detail links the annotated report; POST
 * /v1/validate reads workbooks and answers with the annotated workbook; `dangjian upload` and
 * `dangjian template --format xlsx`.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import * as XLSX from "@e965/xlsx";
import { describe, expect, it } from "vitest";
import { reportPageSchema } from "../../lib/api/schemas.ts";
import { postUploadForm } from "../../lib/aws/upload-form.ts";
import { resolveHeader } from "../../lib/ingest/header.ts";
import { registerTemplate } from "../../scripts/commands/template.ts";
import { registerUpload } from "../../scripts/commands/upload.ts";
import { figures, returnWorkbook, waitingFigures } from "../support/returns.ts";
import { registryCsv } from "../support/stack.ts";
import { call, requestUpload, runCommand, useApiFixture, waitForUpload } from "./fixture.ts";

const fxOf = useApiFixture();
const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function sheets(bytes: Uint8Array): XLSX.WorkBook {
  return XLSX.read(bytes, { dense: true });
}

describe("Excel uploads through a presigned URL", () => {
  it("keys the file by its format, processes it like a CSV, keeps it, and links the annotated report", async () => {
    const fx = fxOf();
    const created = await requestUpload(fx, fx.keys.leaf, { period: "2026-10", fileName: "十月.xlsx" });
    expect(created.key).toBe(`incoming/001001001/2026-10/${created.uploadId}.xlsx`);
    expect(created.fields["Content-Type"]).toBe(XLSX_TYPE);
    const values = figures(5, 0);
    const body = returnWorkbook([
      { unit: "001001001", period: "2026-10", values },
      { unit: "001001002", period: "2026-10", values: figures(6, 1) },
    ]);
    const put = await postUploadForm(created, body, "十月.xlsx");
    expect(put.status).toBe(204);
    const state = await waitForUpload(fx, fx.keys.leaf, created.uploadId);
    // The same rules as for a CSV: the second row is another unit's (E_UNIT_FORBIDDEN).
    expect(state.upload).toMatchObject({ status: "aggregated", applied: { inserted: 1 } });
    expect(state.report?.status).toBe("partial");
    expect(state.report?.encoding).toBe(null);
    expect(state.issues?.items.map((i) => [i.row, i.code])).toEqual([[3, "E_UNIT_FORBIDDEN"]]);
    const stored = (
      await call(fx, "/v1/returns?unit=001001001&period=2026-10", { key: fx.keys.leaf })
    ).json();
    expect(stored.returns[0]).toMatchObject({ upload_id: created.uploadId, values });
    // The raw workbook is kept byte for byte.
    expect(await fx.stack.services.objects.getBytes(created.key)).toEqual(body);
    // The annotated report: the rows as sent, 审核意见 and 状态, a comment on the offending cell, 问题清单.
    expect(state.reportXlsxUrl).toBeTruthy();
    const download = await fetch(state.reportXlsxUrl ?? "");
    expect(download.status).toBe(200);
    const book = sheets(new Uint8Array(await download.arrayBuffer()));
    expect(book.SheetNames).toEqual(["月报表", "问题清单"]);
    const rows = XLSX.utils.sheet_to_json<string[]>(book.Sheets.月报表 as XLSX.WorkSheet, {
      header: 1,
      raw: false,
    });
    expect(rows[0]?.slice(-2)).toEqual(["审核意见", "状态"]);
    expect(rows[1]?.at(-1)).toBe("已接收");
    expect(rows[2]?.at(-1)).toBe("未通过");
    expect(rows[2]?.at(-2)).toContain("或其下级");
    const offending = (book.Sheets.月报表 as XLSX.WorkSheet)["!data"]?.[2]?.[0] as
      | XLSX.CellObject
      | undefined;
    const comment = offending?.c?.[0]?.t;
    expect(comment).toContain("或其下级");
  });

  it("takes a 说明 for a workbook's warning row without retyping, like for a CSV", async () => {
    const fx = fxOf();
    const created = await requestUpload(fx, fx.keys.leaf, { period: "2026-08", fileName: "八月.xlsx" });
    const warn = waitingFigures(1, 3);
    const body = returnWorkbook([
      { unit: "001001001", period: "2026-08", values: warn, highlight: "表中亮点" },
    ]);
    await postUploadForm(created, body, "八月.xlsx");
    const first = await waitForUpload(fx, fx.keys.leaf, created.uploadId);
    expect(first.report?.summary).toMatchObject({ needs_explanation: 1 });
    const row = first.issues?.items.find((i) => i.severity === "warning")?.row as number;
    const sent = await call(fx, `/v1/uploads/${created.uploadId}/explanations`, {
      key: fx.keys.leaf,
      method: "POST",
      body: JSON.stringify({ rows: [{ row, explanation: "上月问题本月解决。" }] }),
      headers: { "content-type": "application/json" },
    });
    expect(sent.status, sent.text).toBe(201);
    const second = await waitForUpload(fx, fx.keys.leaf, sent.json().uploadId);
    expect(second.upload).toMatchObject({ status: "aggregated", applied: { inserted: 1 } });
    const stored = (
      await call(fx, "/v1/returns?unit=001001001&period=2026-08", { key: fx.keys.leaf })
    ).json();
    expect(stored.returns[0]).toMatchObject({
      values: warn,
      explanation: "上月问题本月解决。",
      highlight: "表中亮点",
    });
    // A workbook checked before its waiting rows were kept is not read again here: the unit is told.
    await fx.stack.services.clients.s3.send(
      new DeleteObjectCommand({
        Bucket: fx.stack.config.BUCKET_NAME,
        Key: `reports/${created.uploadId}.waiting.json`,
      }),
    );
    const older = await call(fx, `/v1/uploads/${created.uploadId}/explanations`, {
      key: fx.keys.leaf,
      method: "POST",
      body: JSON.stringify({ rows: [{ row, explanation: "另一份说明。" }] }),
      headers: { "content-type": "application/json" },
    });
    expect(older.status).toBe(400);
    expect(older.json().error.message).toContain("请在原表“说明”列中填写后重新上传");
  });

  it("takes the suffix from `format`, or from the file name (.xlsm as .xlsx), and refuses another format", async () => {
    const fx = fxOf();
    const xls = await requestUpload(fx, fx.keys.leaf, { period: "2026-09", format: "xls" });
    expect(xls.key.endsWith(".xls")).toBe(true);
    expect(xls.fields["Content-Type"]).toBe("application/vnd.ms-excel");
    const xlsm = await requestUpload(fx, fx.keys.leaf, { period: "2026-09", fileName: "九月(宏).XLSM" });
    expect(xlsm.key.endsWith(`${xlsm.uploadId}.xlsx`)).toBe(true);
    const csv = await requestUpload(fx, fx.keys.leaf, { period: "2026-09", fileName: "九月" });
    expect(csv.key.endsWith(".csv")).toBe(true);
    const wrong = await call(fx, "/v1/uploads", {
      key: fx.keys.leaf,
      method: "POST",
      body: JSON.stringify({ format: "pdf" }),
      headers: { "content-type": "application/json" },
    });
    expect(wrong.status).toBe(400);
  });

  it("rejects an encrypted workbook with a Chinese reason and keeps it", async () => {
    const fx = fxOf();
    const created = await requestUpload(fx, fx.keys.leaf, { period: "2026-08", fileName: "加密.xls" });
    const encrypted = await readFile(new URL("../fixtures/workbooks/lo-w11-encrypted.xls", import.meta.url));
    expect((await postUploadForm(created, new Uint8Array(encrypted), "加密.xls")).status).toBe(204);
    const state = await waitForUpload(fx, fx.keys.leaf, created.uploadId);
    expect(state.upload.status).toBe("rejected");
    expect(state.issues?.items.map((i) => i.code)).toEqual(["E_WORKBOOK"]);
    expect(state.issues?.items[0]?.message).toContain("密码");
    expect(await fx.stack.services.objects.exists(created.key)).toBe(true);
    const book = sheets(new Uint8Array(await (await fetch(state.reportXlsxUrl ?? "")).arrayBuffer()));
    const list = XLSX.utils.sheet_to_json<string[]>(book.Sheets.问题清单 as XLSX.WorkSheet, { header: 1 });
    expect(list[1]).toContain("E_WORKBOOK");
  });
});

describe("POST /v1/validate with a workbook", () => {
  it("checks the workbook like an upload, and answers with the annotated workbook on format=xlsx", async () => {
    const fx = fxOf();
    const body = returnWorkbook([
      { unit: "001001003", period: "2026-10", values: { ...figures(1, 2), members_total: -3 } },
    ]);
    const headers = { "content-type": XLSX_TYPE };
    const json = await call(fx, "/v1/validate", { key: fx.keys.ops, method: "POST", body, headers });
    expect(json.status).toBe(200);
    const report = reportPageSchema.parse(json.json());
    expect(report.issues.items.map((i) => i.code)).toEqual(["E_NEGATIVE"]);
    const annotated = await call(fx, "/v1/validate?format=xlsx", {
      key: fx.keys.ops,
      method: "POST",
      body,
      headers,
    });
    expect(annotated.headers.get("content-type")).toBe(XLSX_TYPE);
    const book = sheets(annotated.bytes);
    const rows = XLSX.utils.sheet_to_json<string[]>(book.Sheets.月报表 as XLSX.WorkSheet, {
      header: 1,
      raw: false,
    });
    expect(rows[1]?.at(-1)).toBe("未通过");
    expect(rows[1]?.at(-2)).toContain("不能为负数");
  });
});

describe("Commands on workbooks", () => {
  it("dangjian upload sends an .xlsx and prints the annotated report's link", async () => {
    const fx = fxOf();
    const dir = await mkdtemp(join(tmpdir(), "dangjian-xlsx-"));
    const file = join(dir, "七月.xlsx");
    await writeFile(file, returnWorkbook([{ unit: "001001004", period: "2026-07", values: figures(7, 3) }]));
    const run = await runCommand(registerUpload, [
      "upload",
      file,
      "--endpoint",
      fx.server.url,
      "--key",
      fx.keys.area,
      "--period",
      "2026-07",
    ]);
    expect(run.out).toContain("审核结果:全部通过");
    expect(run.out).toMatch(/审核意见表\(Excel[^)]*\)下载:http/);
    expect(run.exit).toBe(0);
    const listed = (await call(fx, "/v1/uploads?status=aggregated", { key: fx.keys.area })).json();
    expect(
      listed.uploads.some(
        (u: { key: string; fileName: string }) => u.key.endsWith(".xlsx") && u.fileName === "七月.xlsx",
      ),
    ).toBe(true);
  });

  it("GET /v1/template answers the same prefilled workbook for the caller's scope, and no other", async () => {
    const fx = fxOf();
    const reply = await call(fx, "/v1/template?scope=001001&period=2026-09", { key: fx.keys.area });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.headers.get("content-type")).toBe(XLSX_TYPE);
    expect(decodeURIComponent(reply.headers.get("content-disposition") ?? "")).toContain(
      "月报表-001001-2026-09.xlsx",
    );
    const book = sheets(reply.bytes);
    expect(book.SheetNames).toEqual(["月报表", "填报说明"]);
    const data = (book.Sheets.月报表 as XLSX.WorkSheet)["!data"] as XLSX.CellObject[][];
    const registry = await fx.stack.services.registry();
    expect(data.slice(2).map((r) => [r[0]?.v, r[2]?.v])).toEqual(
      registry.leavesUnder("001001").map((u) => [u.code, "2026-09"]),
    );
    // A unit key gets its own row only, and never another 片区's.
    const own = sheets((await call(fx, "/v1/template?period=2026-09", { key: fx.keys.leaf })).bytes);
    const ownRows = ((own.Sheets.月报表 as XLSX.WorkSheet)["!data"] as XLSX.CellObject[][]).slice(2);
    expect(ownRows.map((r) => r[0]?.v)).toEqual(["001001001"]);
    expect((await call(fx, "/v1/template?scope=001002", { key: fx.keys.area })).status).toBe(403);
  });

  it("dangjian template --format xlsx prefills the scope's units, and the filled template validates", async () => {
    const fx = fxOf();
    const dir = await mkdtemp(join(tmpdir(), "dangjian-template-"));
    const registry = join(dir, "units.csv");
    await writeFile(registry, registryCsv(2, 4));
    const out = join(dir, "模板.xlsx");
    const made = await runCommand(registerTemplate, [
      "template",
      "--format",
      "xlsx",
      "--registry",
      registry,
      "--scope",
      "001002",
      "--period",
      "2026年9月",
      "--out",
      out,
    ]);
    expect(made.exit, made.err).toBe(0);
    expect(made.err).toContain("4个报送单位");
    const book = XLSX.read(await readFile(out), { dense: true, cellNF: true });
    expect(book.SheetNames).toEqual(["月报表", "填报说明"]);
    const ws = book.Sheets.月报表 as XLSX.WorkSheet;
    const data = ws["!data"] as XLSX.CellObject[][];
    const header = data[1]?.map((c) => String(c?.v ?? "")) ?? [];
    expect(resolveHeader(header).ok).toBe(true);
    expect(data.slice(2).map((r) => [r[0]?.v, r[0]?.z, r[2]?.v])).toEqual(
      ["001002001", "001002002", "001002003", "001002004"].map((u) => [u, "@", "2026-09"]),
    );
    // Filled in by the 片区 (cells typed into the template's rows) and sent to the dry run: every row accepted.
    const aoa = XLSX.utils.sheet_to_json<(string | number)[]>(ws, { header: 1, raw: true, defval: "" });
    const ind = (name: string) => header.findIndex((h) => h.includes(name));
    aoa.slice(2).forEach((row, i) => {
      const v = figures(i + 20, 4 + i);
      row[ind("党支部总数")] = v.branches_total;
      row[ind("党员总数")] = v.members_total;
      row[ind("三会一课")] = 9;
    });
    const filledBook = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(filledBook, XLSX.utils.aoa_to_sheet(aoa), "月报表");
    // The instructions sheet goes back too: it must not count as other data.
    const instructions = XLSX.utils.sheet_to_json<string[]>(book.Sheets.填报说明 as XLSX.WorkSheet, {
      header: 1,
    });
    XLSX.utils.book_append_sheet(filledBook, XLSX.utils.aoa_to_sheet(instructions), "填报说明");
    const filled = new Uint8Array(XLSX.write(filledBook, { type: "buffer", bookType: "xlsx" }) as Buffer);
    const reply = await call(fx, "/v1/validate", {
      key: fx.keys.ops,
      method: "POST",
      body: filled,
      headers: { "content-type": "application/octet-stream" },
    });
    const report = reportPageSchema.parse(reply.json());
    expect(report.summary).toEqual({ rows: 4, accepted: 4, needs_explanation: 0, rejected: 0 });
    expect(report.issues.items).toEqual([]);

    const noRegistry = await runCommand(registerTemplate, ["template", "--format", "xlsx"]);
    expect(noRegistry.exit).toBe(2);
    expect(noRegistry.err).toContain("单位名册");
  });
});
