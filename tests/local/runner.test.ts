/**
 * The local runner leaves nothing behind however it ends: killed with SIGKILL (no exit hook runs),
 * DynamoDB Local and the S3 emulator's folder go with it, and the session file it left is ignored;
 * stopped with SIGTERM, `npm start` shuts down like Ctrl-C. While it runs, `dangjian keys` in a
 * second terminal reaches it through .dangjian/local.env.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it, onTestFinished } from "vitest";
import { figures, returnCsv } from "../support/returns.ts";
import { registryCsv } from "../support/stack.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const run = promisify(execFile);
const env = { ...process.env, LOG_LEVEL: "silent", TABLE_NAME: "", BUCKET_NAME: "", DANGJIAN_OPS_KEY: "" };

function started(child: ChildProcess, marker: RegExp, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`not ready: ${out}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = marker.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise(m[1] ?? m[0]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return check();
}

function keysList(cwd: string) {
  return run("node", [join(ROOT, "bin/dangjian.js"), "keys", "list"], { cwd, env }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );
}

describe("Local runner", () => {
  it("takes DynamoDB Local and the S3 folder with it when killed with SIGKILL; keys reach it meanwhile", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "dangjian-runner-"));
    const child = spawn(
      "node",
      ["--import", import.meta.resolve("tsx"), join(ROOT, "tests/local/child-stack.ts")],
      {
        cwd,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    // Whatever an assertion does, the child goes (its watchdog then takes the emulators).
    onTestFinished(() => {
      child.kill("SIGKILL");
    });
    const [endpoint, folder] = (await started(child, /READY (\S+ \S+)/)).split(" ") as [string, string];
    expect(existsSync(folder)).toBe(true);
    expect(await answers(endpoint)).toBe(true);

    // A second terminal: the session file gives `dangjian keys` the emulators' endpoints.
    const listed = await keysList(cwd);
    expect(listed.err).not.toContain("TABLE_NAME");
    expect(listed.code).toBe(0);

    child.kill("SIGKILL");
    expect(await eventually(async () => !(await answers(endpoint)))).toBe(true);
    expect(await eventually(async () => !existsSync(folder))).toBe(true);
    // The stale session file is ignored: the command says what to set instead of hanging on a dead port.
    const stale = await keysList(cwd);
    expect(stale.code).toBe(2);
    expect(stale.err).toContain("TABLE_NAME");
  }, 180_000);

  it("stops npm start on SIGTERM like on Ctrl-C: emulators gone, session file removed, exit 0", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "dangjian-start-"));
    const data = join(cwd, "data");
    await mkdir(join(data, "returns"), { recursive: true });
    await writeFile(join(data, "units.csv"), registryCsv(1, 2));
    await writeFile(
      join(data, "returns", "01.csv"),
      returnCsv([{ unit: "001001001", period: "2026-10", values: figures(1, 0) }]),
    );
    const child = spawn("node", [join(ROOT, "bin/dangjian.js"), "dev", "--data", data, "--port", "0"], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const endpoint = await started(child, /DynamoDB Local (http\S+)/);
    expect(existsSync(join(cwd, ".dangjian", "local.env"))).toBe(true);
    onTestFinished(() => {
      child.kill("SIGKILL");
    });
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(existsSync(join(cwd, ".dangjian", "local.env"))).toBe(false);
    expect(await eventually(async () => !(await answers(endpoint)))).toBe(true);
  }, 180_000);

  it("refuses a low-entropy DANGJIAN_OPS_KEY in one Chinese line, exit 2, before starting anything", async () => {
    const result = await run("node", [join(ROOT, "bin/dangjian.js"), "dev", "--once"], {
      env: { ...env, DANGJIAN_OPS_KEY: `djk_aaaaaaaa_${"A".repeat(40)}` },
    }).then(
      () => ({ code: 0, err: "" }),
      (e: { code: number; stderr: string }) => ({ code: e.code, err: e.stderr }),
    );
    expect(result.code).toBe(2);
    expect(result.err.trim().split("\n")).toHaveLength(1);
    expect(result.err).toContain("DANGJIAN_OPS_KEY");
    expect(result.err).not.toMatch(/\bat \S+ \(/);
  }, 60_000);
});
