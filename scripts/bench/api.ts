/**
 * API benchmark: GET /v1/aggregates (root scope, latest month) through the local HTTP server —
 * authorizer (a DynamoDB GetItem per request) then the API handler — at 50 concurrent connections,
 * against DynamoDB Local and s3rver with the built-in sample loaded.
 *
 *   npx tsx scripts/bench/api.ts [--duration 10] [--connections 50] [--json]
 *
 * Also exports apiBench() for the full suite (scripts/bench/suite.ts).
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { type ApiSettings, DEFAULT_CACHE_SECONDS } from "../../lib/api/context.ts";
import { newApiKey } from "../../lib/domain/auth.ts";
import { addMonths, monthOf } from "../../lib/domain/periods.ts";
import { importRegistry } from "../../lib/ingest/registry-import.ts";
import { generateSample } from "../../lib/sample/index.ts";
import { startApiServer } from "../local/http.ts";
import { type LocalStack, startLocalStack } from "../local/stack.ts";

type Log = (line: string) => void;

export interface ApiBenchFigures {
  readonly path: string;
  readonly connections: number;
  readonly seconds: number;
  readonly cacheSeconds: number;
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly max: number;
  /** Non-2xx answers, socket errors and timeouts. */
  readonly errors: number;
}

export interface ApiBenchOptions {
  readonly connections?: number;
  readonly seconds?: number;
  /** Query string after /v1/aggregates? (default: the root and the month given). */
  readonly query?: string;
  /** API settings for this run; the production defaults otherwise (read cache on). */
  readonly settings?: Partial<ApiSettings>;
}

/** Runs autocannon against a fresh API server on an already loaded stack. */
export async function apiBench(
  stack: LocalStack,
  root: string,
  month: string,
  log: Log,
  options: ApiBenchOptions = {},
): Promise<ApiBenchFigures> {
  const { key, record } = newApiKey({ role: "ops", unit: null, label: "bench" }, new Date());
  await stack.services.stores.keys.putKey(record);
  const server = await startApiServer({ services: stack.services, settings: options.settings, ready: true });
  const query = options.query ?? `scope=${root}&period=${month}`;
  const url = `${server.url}/v1/aggregates?${query}`;
  const headers = { authorization: `Bearer ${key}` };
  const connections = options.connections ?? 50;
  const seconds = options.seconds ?? 10;
  const cacheSeconds = options.settings?.cacheSeconds ?? DEFAULT_CACHE_SECONDS;
  try {
    const check = await fetch(url, { headers });
    if (check.status !== 200) throw new Error(`GET ${url} answered ${check.status}: ${await check.text()}`);
    // Warm-up: JIT, the SDK's connection pool, the registry and read caches.
    await autocannon({ url, headers, connections, duration: 2, workers: 1 });
    log(
      `autocannon: ${connections} 并发, ${seconds} 秒, GET /v1/aggregates?${query}(缓存 ${cacheSeconds} 秒)`,
    );
    // The load generator runs in a worker thread so it does not share the server's event loop.
    const r = await autocannon({ url, headers, connections, duration: seconds, workers: 1 });
    return {
      path: `/v1/aggregates?${query}`,
      connections,
      seconds,
      cacheSeconds,
      requests: r.requests.total,
      rps: Math.round(r.requests.average),
      p50: r.latency.p50,
      p99: r.latency.p99,
      mean: Math.round(r.latency.mean * 100) / 100,
      max: r.latency.max,
      errors: r.non2xx + r.errors + r.timeouts,
    };
  } finally {
    await server.close();
  }
}

/** Loads the built-in sample (63 units × 12 months, as units upload them) through S3. */
export async function loadSample(stack: LocalStack, log: Log): Promise<{ root: string; month: string }> {
  const now = new Date();
  const sample = generateSample({ endMonth: addMonths(monthOf(now), -1), now });
  const reg = await importRegistry(new TextEncoder().encode(sample.unitsCsv), stack.services.stores.registry);
  if (!reg.ok) throw new Error("sample registry rejected");
  stack.services.invalidateRegistry();
  log(
    `载入示例数据:${sample.summary.units} 个单位 × ${sample.summary.months.length} 个月,${sample.files.length} 个文件`,
  );
  for (const f of sample.files) {
    const id = f.name
      .replace(/[^A-Za-z0-9]/g, "")
      .slice(-40)
      .padStart(6, "0");
    await stack.put(`incoming/${f.scope}/${f.period}/s${id}.csv`, f.bytes, { submittedAt: f.submittedAt });
  }
  await new Promise((r) => setTimeout(r, 300));
  await stack.drain();
  const month = await stack.services.stores.rollups.latestMonth(reg.root);
  if (!month) throw new Error("sample produced no rollups");
  return { root: reg.root, month };
}

function argValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(args: readonly string[]): Promise<void> {
  const json = args.includes("--json");
  const log: Log = json ? () => {} : (line) => process.stderr.write(`${line}\n`);
  const seconds = Number(argValue(args, "--duration") ?? 10);
  const connections = Number(argValue(args, "--connections") ?? 50);
  const stack = await startLocalStack({ concurrency: 4, env: { LOG_LEVEL: "silent" } });
  try {
    const { root, month } = await loadSample(stack, log);
    const runs = [
      await apiBench(stack, root, month, log, { seconds, connections }),
      await apiBench(stack, root, month, log, { seconds, connections, settings: { cacheSeconds: 0 } }),
      await apiBench(stack, root, month, log, {
        seconds,
        connections,
        query: `scope=${root}&period=${month}&breakdown=children`,
        settings: { cacheSeconds: 0 },
      }),
    ];
    if (json) {
      process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
      return;
    }
    for (const f of runs) {
      process.stdout.write(
        `${f.path}  缓存${f.cacheSeconds}秒  ${f.connections}并发 ${f.seconds}秒: ` +
          `${f.requests} 次, ${f.rps} 次/秒, p50 ${f.p50} ms, p99 ${f.p99} ms, 平均 ${f.mean} ms, 最大 ${f.max} ms, 错误 ${f.errors}\n`,
      );
    }
  } finally {
    await stack.stop();
  }
}

// Run directly (tsx scripts/bench/api.ts) or through a runner that passes the script as its first argument.
const self = fileURLToPath(import.meta.url);
const at = process.argv.slice(1, 3).findIndex((arg) => resolve(arg) === self);
if (at >= 0) await main(process.argv.slice(at + 2));
