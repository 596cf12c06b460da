import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerSample } from "../../scripts/commands/sample.ts";
import { UsageError } from "../../scripts/support/usage-error.ts";

async function run(args: string[]): Promise<string> {
  let out = "";
  const program = new Command("dangjian").exitOverride();
  registerSample(program, { io: { out: (t) => (out += t), err: () => {} }, setExit: () => {} });
  await program.parseAsync(["sample", ...args], { from: "user" });
  return out;
}

describe("dangjian sample", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "dangjian-sample-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes units.csv, the return files and a manifest in file-name order", async () => {
    const out = await run(["--out", dir, "--units", "12", "--months", "3", "--end", "2026-10"]);
    expect(out).toMatch(
      /已生成样例数据:清源市市直机关工委、6个片区、12个市直单位,2026年8月—2026年10月共3个月/,
    );
    const units = await readFile(join(dir, "units.csv"), "utf8");
    expect(units.startsWith("\ufeff单位代码,单位名称,上级单位代码")).toBe(true);
    const manifest = JSON.parse(await readFile(join(dir, "returns", "manifest.json"), "utf8")) as {
      files: { name: string; submittedAt: string; scope: string; period: string }[];
    };
    const csv = (await readdir(join(dir, "returns"))).filter((f) => f.endsWith(".csv")).sort();
    expect(manifest.files.map((f) => f.name)).toEqual(csv);
    expect(manifest.files[0]).toMatchObject({ period: "2026-08" });
    expect(Object.keys(manifest.files[0] ?? {})).toEqual(["name", "submittedAt", "scope", "period"]);
  });

  it("refuses to mix with an earlier run unless --force is given", async () => {
    await run(["--out", dir, "--units", "6", "--months", "1", "--end", "2026-10"]);
    await expect(run(["--out", dir, "--units", "6", "--months", "1", "--end", "2026-09"])).rejects.toThrow(
      UsageError,
    );
    await run(["--out", dir, "--units", "6", "--months", "1", "--end", "2026-09", "--force"]);
    const names = await readdir(join(dir, "returns"));
    expect(names.filter((n) => n.endsWith(".csv")).every((n) => n.startsWith("2026-10"))).toBe(true);
  });

  it("rejects bad numbers and months with Chinese messages", async () => {
    await expect(run(["--out", dir, "--units", "5"])).rejects.toThrow(/--units 应为 6—100000 之间的整数/);
    await expect(run(["--out", dir, "--end", "2026/10"])).rejects.toThrow(/--end 应为 YYYY-MM/);
    await expect(run(["--out", dir, "--end", "2098-01"])).rejects.toThrow(/尚未到来/);
  });
});
