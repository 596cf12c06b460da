/**
 * No upload is lost without a trace: an event that fails every retry reaches the dead-letter
 * consumer, which marks its upload `failed` with a Chinese message; ops find it with
 * `dangjian uploads --status failed` (the API filter) and run it again with `dangjian redrive`.
 * Processing is made to fail with the crash-injection hook, on the real emulators.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { newApiKey } from "../../lib/domain/auth.ts";
import { FAILED_MESSAGE } from "../../lib/write/uploads.ts";
import { registerRedrive } from "../../scripts/commands/redrive.ts";
import { registerUpload } from "../../scripts/commands/upload.ts";
import { registerUploads } from "../../scripts/commands/uploads.ts";
import { type ApiServer, startApiServer } from "../../scripts/local/http.ts";
import { runCommand } from "../api/fixture.ts";
import { figures, returnCsv } from "../support/returns.ts";
import { loadRegistry, registryCsv, rollupSnapshot, unitCodes, useLocalStack } from "../support/stack.ts";

// Every attempt dies after its second write (the upload record and the JSON report).
const stackOf = useLocalStack({ FAULT_CRASH_AFTER_WRITES: "2" });
const UNIT = unitCodes(1, 3)[0] as string;
let server: ApiServer | undefined;

afterAll(async () => {
  await server?.close();
});

describe("Pipeline: uploads that fail every retry", () => {
  it("marks them failed, lists them for ops, tells the uploader, and redrives them", async () => {
    const stack = stackOf();
    await loadRegistry(stack, registryCsv(1, 3));
    const ops = newApiKey({ role: "ops", unit: null }, new Date());
    const unit = newApiKey({ role: "unit", unit: UNIT }, new Date());
    await stack.services.stores.keys.putKey(ops.record);
    await stack.services.stores.keys.putKey(unit.record);
    server = await startApiServer({ services: stack.services, settings: { cacheSeconds: 0 }, ready: true });

    // The unit uploads through the CLI: it must say the upload failed, not wait until its timeout.
    const dir = await mkdtemp(join(tmpdir(), "dangjian-failed-"));
    const file = join(dir, "十月.csv");
    await writeFile(file, returnCsv([{ unit: UNIT, period: "2026-10", values: figures(1, 0) }]));
    const started = Date.now();
    const upload = await runCommand(registerUpload, [
      "upload",
      file,
      "--endpoint",
      server.url,
      "--key",
      unit.key,
      "--period",
      "2026-10",
      "--timeout",
      "120",
    ]);
    expect(upload.exit).toBe(1);
    expect(upload.err).toContain("处理失败");
    expect(upload.err).toContain(FAILED_MESSAGE);
    expect(Date.now() - started).toBeLessThan(60_000);
    await stack.drain();
    expect(stack.deadLetters).toHaveLength(1);

    const failed = await stack.services.stores.uploads.listFailed(10);
    expect(failed).toHaveLength(1);
    const id = failed[0]?.uploadId as string;
    expect(failed[0]?.status).toBe("failed");
    expect(failed[0]?.error).toContain(FAILED_MESSAGE);
    expect(failed[0]?.objectTime).toBeDefined();
    expect(await rollupSnapshot(stack)).toEqual({});

    // Ops see it across scopes; the unit sees its own.
    const listed = await runCommand(registerUploads, [
      "uploads",
      "--status",
      "failed",
      "--endpoint",
      server.url,
      "--key",
      ops.key,
    ]);
    expect(listed.exit).toBe(0);
    expect(listed.out).toContain(id);
    expect(listed.out).toContain("处理失败");
    const own = await fetch(`${server.url}/v1/uploads?status=failed&unit=${UNIT}`, {
      headers: { authorization: `Bearer ${unit.key}` },
    });
    expect(
      ((await own.json()) as { uploads: { uploadId: string }[] }).uploads.map((u) => u.uploadId),
    ).toEqual([id]);

    // Once processing works again, redrive runs it and keeps the original time of submission.
    delete process.env.FAULT_CRASH_AFTER_WRITES;
    const redrive = await runCommand(registerRedrive, ["redrive"]);
    expect(redrive.out).toContain("已重新审核并汇总");
    expect(redrive.exit).toBe(0);
    const after = await stack.services.stores.uploads.getUpload(id);
    expect(after?.status).toBe("aggregated");
    expect(after?.objectTime).toBe(failed[0]?.objectTime);
    expect(await stack.services.stores.uploads.listFailed(10)).toEqual([]);
    expect((await rollupSnapshot(stack))["001|2026-10"]?.n_reported).toBe(1);
    const again = await runCommand(registerRedrive, ["redrive"]);
    expect(again.out).toContain("没有处理失败的上传");
  }, 180_000);
});
