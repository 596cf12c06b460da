/**
 * The portal's client files build the same wherever the server is started from: esbuild names
 * entry points relative to its working directory, and a server started from a folder deeper or
 * shallower than the project root once found "no output for portal.js" (CI's checkout is three
 * levels deep, the runner tests start from a temporary folder).
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const run = promisify(execFile);
const made: string[] = [];
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

async function buildFrom(cwd: string, out: string): Promise<Record<string, string>> {
  const script = `import { buildWebAssets } from ${JSON.stringify(join(ROOT, "scripts/web/assets.ts"))};
await buildWebAssets(${JSON.stringify(out)});`;
  await run("node", ["--import", import.meta.resolve("tsx"), "--input-type=module", "-e", script], { cwd });
  return JSON.parse(await readFile(join(out, "manifest.json"), "utf8")) as Record<string, string>;
}

describe("Portal assets", () => {
  it("build every entry whatever folder the server starts from", async () => {
    const base = await mkdtemp(join(tmpdir(), "dangjian-assets-"));
    made.push(base);
    const deep = join(base, "a", "b", "c", "d");
    await mkdir(deep, { recursive: true });
    for (const cwd of [deep, "/", ROOT]) {
      const out = await mkdtemp(join(base, "out-"));
      const manifest = await buildFrom(cwd, out);
      expect(Object.keys(manifest).sort()).toEqual(["charts.js", "portal.css", "portal.js"]);
      for (const file of Object.values(manifest)) {
        expect((await readFile(join(out, file))).length).toBeGreaterThan(100);
      }
    }
  }, 60_000);
});
