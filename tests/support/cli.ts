/** Runs the real `dangjian` CLI (bin/dangjian.js) in a child process and collects what it printed. */
import { spawn } from "node:child_process";
import { join } from "node:path";

export interface CliRun {
  readonly exit: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const BIN = join(import.meta.dirname, "..", "..", "bin", "dangjian.js");

export function dangjian(...args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (exit) => resolve({ exit, stdout, stderr }));
  });
}
