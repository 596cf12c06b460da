/**
 * Per-function bundle size (deflated as in the deployment zip, fonts aside) and handler init time:
 * each bundle imported in a fresh Node process with the Lambda environment it expects.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { deflateRawSync } from "node:zlib";
import { buildFunctions, FUNCTIONS } from "../build.ts";

const run = promisify(execFile);

export interface BundleFigures {
  fn: string;
  raw_kb: number;
  zipped_kb: number;
  init_ms_median: number;
}

export async function bundleFigures(runs = 5): Promise<BundleFigures[]> {
  await buildFunctions();
  const out: BundleFigures[] = [];
  for (const fn of FUNCTIONS) {
    const file = join(process.cwd(), ".build", fn, "index.mjs");
    const code = await readFile(file);
    const zipped = deflateRawSync(code, { level: 9 }).byteLength;
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const script = `const t=performance.now();await import(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t));`;
      const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
        env: {
          ...process.env,
          TABLE_NAME: "bench",
          BUCKET_NAME: "bench",
          AWS_REGION: "cn-north-1",
          AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: "1",
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
          FONTS_DIR: join(process.cwd(), ".build", "bulletin", "fonts"),
        },
      });
      times.push(Number(stdout));
    }
    times.sort((a, b) => a - b);
    out.push({
      fn,
      raw_kb: Math.round(code.byteLength / 1024),
      zipped_kb: Math.round(zipped / 1024),
      init_ms_median: Math.round((times[Math.floor(times.length / 2)] as number) * 10) / 10,
    });
  }
  return out;
}
