/**
 * `npm start -- --once --out DIR` as a newcomer runs it (a real child process, real emulators):
 * the latest month is drafted, signed as the local demo 签发人, and the issued PDF — with its 期号
 * and archival metadata — is written to DIR; with `--draft` the 送审稿 is written instead.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { pdfPages, pdfStructure } from "../bulletin/pdf-tools.ts";
import { figures, returnCsv } from "../support/returns.ts";
import { registryCsv } from "../support/stack.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const run = promisify(execFile);
const env = { ...process.env, LOG_LEVEL: "silent", TABLE_NAME: "", BUCKET_NAME: "", DANGJIAN_OPS_KEY: "" };

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "dangjian-once-"));
  await mkdir(join(dir, "data", "returns"), { recursive: true });
  await writeFile(join(dir, "data", "units.csv"), registryCsv(1, 2));
  const rows = ["001001001", "001001002"].map((unit, i) => ({
    unit,
    period: "2026-10",
    values: figures(i + 1, i),
  }));
  await writeFile(join(dir, "data", "returns", "01.csv"), returnCsv(rows));
  return dir;
}

async function once(cwd: string, extra: string[]): Promise<string> {
  const { stdout } = await run(
    "node",
    [join(ROOT, "bin/dangjian.js"), "dev", "--once", "--data", "data", "--out", "out", ...extra],
    { cwd, env, maxBuffer: 1 << 24 },
  );
  return stdout.trim();
}

describe("npm start -- --once", () => {
  it("signs the latest bulletin as the local demo 签发人 and writes the issued PDF; --draft writes the 送审稿", async () => {
    const cwd = await dataDir();
    const issuedFile = await once(cwd, []);
    expect(issuedFile).toBe(join("out", "jianbao-001-2026-10.pdf"));
    const issued = await readFile(join(cwd, issuedFile));
    const first = (await pdfPages(issued))[0];
    expect(first).toContain("2026年第1期");
    expect(first).not.toContain("送审稿");
    const s = await pdfStructure(issued);
    expect(s.xmp.get("dj:signer")).toBe("本地演示签发人");
    expect(s.xmp.get("pdfaid:part")).toBe("2");

    const draftFile = await once(cwd, ["--draft"]);
    expect(draftFile).toBe(join("out", "jianbao-001-2026-10-draft.pdf"));
    const draft = (await pdfPages(await readFile(join(cwd, draftFile))))[0];
    expect(draft).toContain("送审稿");
    expect(draft).not.toMatch(/第\d+期/);
  }, 300_000);
});
