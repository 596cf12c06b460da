/**
 * How long the commands people type take, as whole processes: `dangjian --help` and `validate` of a
 * one-row file, from the install-time bundle and from the TypeScript sources (tsx), and through npx.
 * Targets: ≤ 300 ms for --help, ≤ 600 ms for validate.
 */
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { formatCsv } from "../../lib/ingest/csv.ts";
import { templateHeader } from "../../lib/ingest/header.ts";
import { buildCli } from "../build-cli.ts";

const run = promisify(execFile);

export interface CliTiming {
  readonly command: string;
  readonly how: string;
  readonly p50_ms: number;
  readonly min_ms: number;
  readonly max_ms: number;
}

async function time(
  cmd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  runs: number,
): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run(cmd, [...args], { env, cwd: process.cwd() }).catch((err: { code?: number }) => {
      // validate exits 1 when a row needs attention: a result, not a failure of the run.
      if (err.code !== 1) throw err;
    });
    out.push(performance.now() - started);
  }
  return out.sort((a, b) => a - b);
}

export async function cliBench(log: (line: string) => void, runs = 10): Promise<CliTiming[]> {
  await buildCli();
  const dir = await mkdtemp(join(tmpdir(), "dangjian-cli-"));
  const file = join(dir, "one-row.csv");
  const row = templateHeader().map((h, i) =>
    i === 0 ? "001001001" : i === 1 ? "2026-10" : h.includes("说明") ? "" : "1",
  );
  await writeFile(file, formatCsv([templateHeader(), row]));
  const registry = join(process.cwd(), "tests", "fixtures", "units.csv");
  const cases = [
    { command: "--help", args: ["--help"] },
    { command: "validate (one row)", args: ["validate", file, "--registry", registry] },
  ];
  const out: CliTiming[] = [];
  for (const c of cases) {
    for (const [how, cmd, args, env] of [
      ["bundle (node bin/dangjian.js)", "node", ["bin/dangjian.js", ...c.args], process.env],
      ["npx dangjian", "npx", ["dangjian", ...c.args], process.env],
      [
        "from source (tsx)",
        "node",
        ["bin/dangjian.js", ...c.args],
        { ...process.env, DANGJIAN_FROM_SOURCE: "1" },
      ],
    ] as const) {
      const times = await time(cmd, args, env, how.startsWith("from source") ? Math.min(3, runs) : runs);
      const row = {
        command: c.command,
        how,
        p50_ms: Math.round(times[Math.floor(times.length / 2)] ?? 0),
        min_ms: Math.round(times[0] ?? 0),
        max_ms: Math.round(times.at(-1) ?? 0),
      };
      log(`  ${row.command} — ${row.how}: p50 ${row.p50_ms} ms`);
      out.push(row);
    }
  }
  return out;
}
