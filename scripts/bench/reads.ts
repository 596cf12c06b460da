/**
 * Read benchmark (issue 11): what one API request reads, and how fast it answers, as the registry
 * grows from 63 to 2,000 and 20,000 units. Each registry is generated here (never committed),
 * its returns uploaded as 片区 batch files (plus late, corrected and missing units) through S3 and
 * the real handler; then, with the API cache off, 10 sequential and 500 requests over 50
 * connections for each query. Items read are counted by the request-counting middleware
 * (lib/aws/metrics.ts) on the API's own DynamoDB client.
 *
 *   npx tsx scripts/bench/reads.ts [--sizes 63,2000,20000] [--json]
 */
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import autocannon from "autocannon";
import { createDynamoClient } from "../../lib/aws/clients.ts";
import { gatherBulletinInput } from "../../lib/bulletin/service.ts";
import { newApiKey } from "../../lib/domain/auth.ts";
import { INDICATORS } from "../../lib/domain/catalogue.ts";
import { addMonths, type Month } from "../../lib/domain/periods.ts";
import { formatCsv } from "../../lib/ingest/csv.ts";
import { templateHeader } from "../../lib/ingest/header.ts";
import { importRegistry } from "../../lib/ingest/registry-import.ts";
import { hashString, mapLimit } from "../../lib/support/concurrency.ts";
import { figures } from "../../tests/support/returns.ts";
import { startApiServer } from "../local/http.ts";
import { type LocalStack, startLocalStack } from "../local/stack.ts";

type Log = (line: string) => void;

/** Months with returns; the benchmark's 今年以来 is 2026-01 … 2026-10. */
export const READ_MONTHS: readonly Month[] = ["2026-07", "2026-08", "2026-09", "2026-10"];
const LATEST: Month = "2026-10";
const YEAR = "2026";

export interface ReadShape {
  /** Reporting units (leaves). */
  readonly units: number;
  /** 0: 片区 directly under the root; otherwise groups (地市/系统) of `areas` 片区 each. */
  readonly groups: number;
  /** 片区 in all (groups = 0) or per group. */
  readonly areas: number;
}

/** 63 units in 6 片区 (the built-in sample's size), 2,000 in 20 片区, 20,000 in 20 groups × 10 片区. */
export const READ_SHAPES: readonly ReadShape[] = [
  { units: 63, groups: 0, areas: 6 },
  { units: 2_000, groups: 0, areas: 20 },
  { units: 20_000, groups: 20, areas: 10 },
];

/**
 * The first 片区 of every registry is the same 11 units with the same returns and uploads: the
 * controlled experiment for "reads independent of registry size". The others share the rest.
 */
const FIRST_AREA_UNITS = 11;

interface GeneratedArea {
  readonly code: string;
  /** Position among all 片区 (behaviour and upload ids depend on it, never on the codes). */
  readonly index: number;
  readonly units: readonly string[];
}

interface GeneratedRegistry {
  readonly csv: string;
  readonly root: string;
  /** 片区 in registry order with their units. */
  readonly areas: readonly GeneratedArea[];
}

const pad = (n: number, width = 3): string => String(n).padStart(width, "0");

export function generateRegistry(shape: ReadShape): GeneratedRegistry {
  const rows: string[][] = [
    ["单位代码", "单位名称", "上级单位代码"],
    ["001", "基准测试市直机关工委", ""],
  ];
  const areaCodes: string[] = [];
  if (shape.groups === 0) {
    for (let a = 1; a <= shape.areas; a++) areaCodes.push(`001${pad(a)}`);
  } else {
    for (let g = 1; g <= shape.groups; g++) {
      rows.push([`001${pad(g)}`, `第${g}系统`, "001"]);
      for (let a = 1; a <= shape.areas; a++) areaCodes.push(`001${pad(g)}${pad(a)}`);
    }
  }
  const counts = areaCodes.map(() => 0);
  counts[0] = FIRST_AREA_UNITS;
  for (let i = 0; i < shape.units - FIRST_AREA_UNITS; i++) {
    const a = 1 + (i % (areaCodes.length - 1));
    counts[a] = (counts[a] as number) + 1;
  }
  const areas = areaCodes.map((code, index) => ({
    code,
    index,
    units: Array.from({ length: counts[index] as number }, (_, u) => `${code}${pad(u + 1)}`),
  }));
  for (const area of areas) {
    const parent = area.code.length > 6 ? area.code.slice(0, 6) : "001";
    rows.push([area.code, `第${area.index + 1}片区`, parent]);
    for (const [u, unit] of area.units.entries()) {
      rows.push([unit, `第${area.index + 1}片区第${u + 1}机关党支部`, area.code]);
    }
  }
  return { csv: formatCsv(rows), root: "001", areas };
}

type Behaviour = "steady" | "late" | "skips" | "silent" | "corrects";

/** How a unit behaves, from its place in the registry: most report on time every month. */
function behaviour(area: number, unit: number): Behaviour {
  const h = hashString(`${area}/${unit}`) % 100;
  if (h < 2) return "silent";
  if (h < 5) return "skips";
  if (h < 12) return "late";
  if (h < 17) return "corrects";
  return "steady";
}

interface PlannedFile {
  readonly key: string;
  readonly body: string;
  readonly submittedAt: string;
}

/** Beijing 10:00 on `day` of the month after `month`. */
function after(month: Month, day: number): string {
  return new Date(`${addMonths(month, 1)}-${pad(day, 2)}T10:00:00+08:00`).toISOString();
}

function csvOf(rows: readonly { unit: string; period: Month; seed: number; unitSeed: number }[]): string {
  const lines: (string | number)[][] = [templateHeader()];
  for (const r of rows) {
    const v = figures(r.seed, r.unitSeed);
    const story =
      r.seed % 4 === 0
        ? `组织党员开展“民情夜访”,走访群众${10 + (r.seed % 30)}户,解决问题${v.problems_solved}个。`
        : "";
    lines.push([
      r.unit,
      r.period,
      ...INDICATORS.map((i) => v[i.key]),
      "",
      story,
      `联络员${r.unit.slice(-4)}`,
      `0371-6${r.unit.slice(-6).padStart(6, "0")}`,
    ]);
  }
  return formatCsv(lines);
}

/**
 * Each month as it arrives: one batch file per 片区 by the 3rd; late units' own files on the 9th;
 * corrections of September on 20 October. Upload ids depend only on the 片区's position.
 */
export function plannedMonths(reg: GeneratedRegistry): PlannedFile[][] {
  const months: PlannedFile[][] = READ_MONTHS.map(() => []);
  const late: PlannedFile[] = [];
  for (const area of reg.areas) {
    const id = (kind: string, n: number): string => `rd${kind}${pad(area.index, 5)}${pad(n, 4)}`;
    let n = 0;
    for (const [mi, month] of READ_MONTHS.entries()) {
      const rows = [];
      for (const [ui, unit] of area.units.entries()) {
        const kind = behaviour(area.index, ui);
        const seed = mi * 1000 + ui;
        if (kind === "silent" || (kind === "skips" && month === LATEST)) continue;
        if (kind === "late" && month === LATEST) {
          late.push({
            key: `incoming/${unit}/${month}/${id("l", n++)}.csv`,
            body: csvOf([{ unit, period: month, seed, unitSeed: ui }]),
            submittedAt: after(month, 9),
          });
          continue;
        }
        rows.push({ unit, period: month, seed, unitSeed: ui });
        if (kind === "corrects" && month === "2026-09") {
          late.push({
            key: `incoming/${unit}/${month}/${id("c", n++)}.csv`,
            body: csvOf([{ unit, period: month, seed: seed + 7, unitSeed: ui }]),
            submittedAt: after(month, 20),
          });
        }
      }
      if (rows.length) {
        (months[mi] as PlannedFile[]).push({
          key: `incoming/${area.code}/${month}/${id("b", n++)}.csv`,
          body: csvOf(rows),
          submittedAt: after(month, 3),
        });
      }
    }
  }
  return [...months, late];
}

/** Registry and returns through S3 and the real handler (4 invocations in flight), month by month. */
async function load(stack: LocalStack, shape: ReadShape, log: Log): Promise<GeneratedRegistry> {
  const reg = generateRegistry(shape);
  await stack.resetTable();
  const imported = await importRegistry(new TextEncoder().encode(reg.csv), stack.services.stores.registry);
  if (!imported.ok) throw new Error(`generated registry rejected: ${JSON.stringify(imported.problems)}`);
  stack.services.invalidateRegistry();
  const started = performance.now();
  stack.setConcurrency(4);
  let files = 0;
  for (const wave of plannedMonths(reg)) {
    await mapLimit(wave, 8, (f) => stack.put(f.key, f.body, { submittedAt: f.submittedAt }));
    await new Promise((r) => setTimeout(r, 300));
    await stack.drain();
    files += wave.length;
  }
  if (stack.deadLetters.length) {
    throw new Error(`dead letters: ${JSON.stringify(stack.deadLetters.slice(0, 3))}`);
  }
  log(`  ${shape.units} 个单位:${files} 个文件载入 ${((performance.now() - started) / 1000).toFixed(1)} 秒`);
  return reg;
}

/** The DynamoDB Local JVM serving `endpoint` (its command line names the port), for its CPU time. */
function jvmPid(endpoint: string): number | undefined {
  const port = new URL(endpoint).port;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (args.some((a) => a.includes("DynamoDBLocal")) && args.includes(port) && args[0]?.endsWith("java")) {
        return Number(entry);
      }
    } catch {
      // The process ended meanwhile.
    }
  }
  return undefined;
}

/** CPU milliseconds a process has used (user + system). */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after "pid (comm) ", in 1/100 s.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

export interface QueryFigures {
  readonly units: number;
  readonly query: string;
  readonly path: string;
  readonly items_sequential: number;
  /** DynamoDB calls (Query, GetItem, BatchGetItem …) per request, sequential phase. */
  readonly calls_sequential: number;
  readonly p50_sequential: number;
  readonly p99_sequential: number;
  readonly items_concurrent: number;
  readonly p50: number;
  readonly p99: number;
  readonly rps: number;
  readonly errors: number;
  /** CPU per request over the 50-connection phase: this process (API, SDK, load generator) and DynamoDB Local. */
  readonly node_cpu_ms: number;
  readonly dynamo_cpu_ms: number;
  /** The machine's 1-minute load average when the phase started (other work on the two cores). */
  readonly load: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

async function measure(
  stack: LocalStack,
  base: string,
  headers: Record<string, string>,
  units: number,
  query: string,
  path: string,
): Promise<QueryFigures> {
  const url = `${base}${path}`;
  const metrics = stack.services.metrics;
  const jvm = jvmPid(stack.dynamoEndpoint);
  for (let i = 0; i < 3; i++) {
    const warm = await fetch(url, { headers });
    if (warm.status !== 200) throw new Error(`GET ${path} answered ${warm.status}: ${await warm.text()}`);
    await warm.arrayBuffer();
  }
  // Steady state, not the JVM's first minutes: DynamoDB Local's CPU per call falls ~4× as it warms up.
  await autocannon({ url, headers, connections: 50, amount: 300, workers: 1, timeout: 30 });
  const times: number[] = [];
  let before = metrics.readItems;
  const calls0 = totalRequests(metrics.requests);
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    times.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
  }
  const itemsSequential = (metrics.readItems - before) / 10;
  const callsSequential = (totalRequests(metrics.requests) - calls0) / 10;
  times.sort((a, b) => a - b);
  before = metrics.readItems;
  const amount = 500;
  const load = loadavg()[0] ?? 0;
  const node0 = process.cpuUsage();
  const jvm0 = cpuMs(jvm);
  const r = await autocannon({ url, headers, connections: 50, amount, workers: 1, timeout: 30 });
  const node1 = process.cpuUsage(node0);
  const jvmUsed = cpuMs(jvm) - jvm0;
  const ok = r["2xx"];
  return {
    units,
    query,
    path,
    items_sequential: round(itemsSequential),
    calls_sequential: round(callsSequential),
    p50_sequential: round(percentile(times, 50)),
    p99_sequential: round(percentile(times, 99)),
    items_concurrent: round((metrics.readItems - before) / Math.max(1, ok)),
    p50: r.latency.p50,
    p99: r.latency.p99,
    rps: Math.round(r.requests.average),
    errors: r.non2xx + r.errors + r.timeouts,
    node_cpu_ms: round((node1.user + node1.system) / 1000 / Math.max(1, ok), 2),
    dynamo_cpu_ms: round(jvmUsed / Math.max(1, ok), 2),
    load: round(load, 1),
  };
}

export interface BulletinReads {
  readonly units: number;
  readonly area: string;
  readonly areaUnits: number;
  readonly items: number;
  readonly requests: number;
  readonly ms: number;
}

/**
 * DynamoDB Local's own ceiling on this machine: one bare Query (6 items, no API, no HTTP server of
 * ours) from the same process, first warmed with WARM_CALLS calls, then CEILING_CALLS calls with
 * 50 in flight. Any API request that makes at least one DynamoDB call can do no better.
 */
export interface Ceiling {
  readonly units: number;
  readonly calls_per_s: number;
  readonly p50: number;
  readonly p99: number;
  readonly node_cpu_ms: number;
  readonly dynamo_cpu_ms: number;
  readonly load: number;
}

const WARM_CALLS = 15_000;
const CEILING_CALLS = 3_000;

async function ceiling(stack: LocalStack, units: number): Promise<Ceiling> {
  const client = createDynamoClient(stack.config);
  const jvm = jvmPid(stack.dynamoEndpoint);
  const query = new QueryCommand({
    TableName: stack.config.TABLE_NAME,
    KeyConditionExpression: "pk = :pk",
    ExpressionAttributeValues: { ":pk": "REG" },
    Limit: 6,
  });
  const run = async (calls: number, inFlight: number): Promise<number[]> => {
    const latencies: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next++ < calls) {
          const t = performance.now();
          await client.send(query);
          latencies.push(performance.now() - t);
        }
      }),
    );
    return latencies.sort((a, b) => a - b);
  };
  try {
    await run(WARM_CALLS, 10);
    const load = loadavg()[0] ?? 0;
    const node0 = process.cpuUsage();
    const jvm0 = cpuMs(jvm);
    const t = performance.now();
    const latencies = await run(CEILING_CALLS, 50);
    const seconds = (performance.now() - t) / 1000;
    const node1 = process.cpuUsage(node0);
    return {
      units,
      calls_per_s: Math.round(CEILING_CALLS / seconds),
      p50: round(percentile(latencies, 50)),
      p99: round(percentile(latencies, 99)),
      node_cpu_ms: round((node1.user + node1.system) / 1000 / CEILING_CALLS, 2),
      dynamo_cpu_ms: round((cpuMs(jvm) - jvm0) / CEILING_CALLS, 2),
      load: round(load, 1),
    };
  } finally {
    client.destroy();
  }
}

export interface ReadBenchResult {
  readonly ceilings: Ceiling[];
  readonly queries: QueryFigures[];
  readonly bulletins: BulletinReads[];
}

export async function readBench(
  stack: LocalStack,
  log: Log,
  shapes: readonly ReadShape[] = READ_SHAPES,
): Promise<ReadBenchResult> {
  const queries: QueryFigures[] = [];
  const bulletins: BulletinReads[] = [];
  const ceilings: Ceiling[] = [];
  for (const shape of shapes) {
    const reg = await load(stack, shape, log);
    const c = await ceiling(stack, shape.units);
    log(
      `  ${shape.units} DynamoDB Local 上限:${c.calls_per_s} 次/秒,p50 ${c.p50} ms,p99 ${c.p99} ms(50 个并发)`,
    );
    ceilings.push(c);
    const { key, record } = newApiKey({ role: "ops", unit: null, label: "read bench" }, new Date());
    await stack.services.stores.keys.putKey(record);
    const server = await startApiServer({
      services: stack.services,
      settings: { cacheSeconds: 0 },
      ready: true,
    });
    const headers = { authorization: `Bearer ${key}` };
    const area = reg.areas[0] as GeneratedArea;
    const big = reg.areas[1] as GeneratedArea;
    const unit = area.units[area.units.findIndex((_, u) => behaviour(area.index, u) === "steady")] as string;
    const paths: [string, string][] = [
      ["floor: /v1/units/{片区} (no table read)", `/v1/units/${area.code}`],
      ["one unit, 今年以来", `/v1/aggregates?scope=${unit}&period=${YEAR}`],
      ["one 片区, month", `/v1/aggregates?scope=${area.code}&period=${LATEST}`],
      ["one 片区, 今年以来", `/v1/aggregates?scope=${area.code}&period=${YEAR}`],
      [
        "root, month, breakdown=children",
        `/v1/aggregates?scope=${reg.root}&period=${LATEST}&breakdown=children`,
      ],
      [
        `/v1/completeness, one 片区 (${area.units.length} units)`,
        `/v1/completeness?scope=${area.code}&period=${LATEST}`,
      ],
      [
        `/v1/completeness, 片区 2 (${big.units.length} units)`,
        `/v1/completeness?scope=${big.code}&period=${LATEST}`,
      ],
    ];
    try {
      for (const [query, path] of paths) {
        const f = await measure(stack, server.url, headers, shape.units, query, path);
        log(
          `  ${shape.units} ${query}: ${f.items_sequential} 项/次(顺序) ${f.items_concurrent} 项/次(并发),p50 ${f.p50} ms,p99 ${f.p99} ms`,
        );
        queries.push(f);
      }
    } finally {
      await server.close();
    }
    // The 片区's bulletin, read through the same counted client.
    const deps = {
      returns: stack.services.stores.returns,
      rollups: stack.services.stores.rollups,
      registry: await stack.services.registry(),
      deadlineDay: stack.config.DEADLINE_DAY,
    };
    const metrics = stack.services.metrics;
    for (const a of [area, big]) {
      const before = { items: metrics.readItems, requests: totalRequests(metrics.requests) };
      const t = performance.now();
      await gatherBulletinInput(deps, a.code, LATEST, 1, "2026-11-06");
      bulletins.push({
        units: shape.units,
        area: a.code,
        areaUnits: a.units.length,
        items: metrics.readItems - before.items,
        requests: totalRequests(metrics.requests) - before.requests,
        ms: Math.round(performance.now() - t),
      });
    }
  }
  return { ceilings, queries, bulletins };
}

function totalRequests(requests: Readonly<Record<string, number>>): number {
  return Object.values(requests).reduce((a, b) => a + b, 0);
}

/** Items per request of the largest registry over the smallest's, for the queries with that target. */
function ratios(queries: readonly QueryFigures[]): string[] {
  const sizes = [...new Set(queries.map((q) => q.units))].sort((a, b) => a - b);
  const small = sizes[0];
  const large = sizes[sizes.length - 1];
  if (small === undefined || large === undefined || small === large) return [];
  const parts = ["one unit, 今年以来", "one 片区, month", "one 片区, 今年以来"].map((query) => {
    const a = queries.find((q) => q.units === small && q.query === query)?.items_sequential ?? 0;
    const b = queries.find((q) => q.units === large && q.query === query)?.items_sequential ?? 0;
    return `${query} ${a > 0 ? round(b / a, 2) : "—"}×`;
  });
  return [`Items per request at ${large} units over ${small} units: ${parts.join("; ")}.`, ""];
}

export function readMarkdown(result: ReadBenchResult): string {
  const lines = [
    "## Reads per API request as the registry grows (API cache off)",
    "",
    "Generated registries (63 units in 6 片区; 2,000 in 20 片区; 20,000 in 20 groups × 10 片区). The first 片区 is the",
    "same 11 units with the same returns and uploads in all three (the controlled experiment); the others share the",
    `rest (~100 units each at 2,000 and 20,000). Returns for ${READ_MONTHS[0]} … ${LATEST}, month by month, as 片区`,
    "batch files through S3 and the real handler, plus late units' own files, corrections and missing units.",
    "Items = DynamoDB items read per request, counted by the request-counting middleware on the API's client",
    "(key look-ups and the registry stamp check included). Each query: 10 sequential requests, then 500 requests",
    "over 50 connections after 300 warm-up ones (autocannon in a worker thread of the same process). CPU = milliseconds of CPU per",
    "request in this process (API, SDK, load generator) and in DynamoDB Local; load = the machine's 1-minute",
    "load average when the phase started (other work shares the two cores).",
    "",
    "| units | query | items/request | DynamoDB calls/request | sequential p50 ms | items/request (50 conn) | p50 ms | p99 ms | req/s | errors | CPU ms/request node + DynamoDB Local | load |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const q of result.queries) {
    lines.push(
      `| ${q.units} | ${q.query} | ${q.items_sequential} | ${q.calls_sequential} | ${q.p50_sequential} | ${q.items_concurrent} | ${q.p50} | ${q.p99} | ${q.rps} | ${q.errors} | ${q.node_cpu_ms} + ${q.dynamo_cpu_ms} | ${q.load} |`,
    );
  }
  lines.push(
    "",
    "Targets: items per request for the unit and 片区 queries independent of registry size (20,000-unit figure",
    "within 1.2× of the 63-unit one); p99 ≤ 50 ms at 50 connections for every query but completeness.",
    "",
    `DynamoDB Local's own ceiling on this machine: one bare Query of 6 items from the SDK, no API in between, after`,
    `${WARM_CALLS.toLocaleString("en")} warm-up calls; ${CEILING_CALLS.toLocaleString("en")} calls with 50 in flight. A request that makes even one DynamoDB call`,
    "cannot answer faster at 50 connections than this.",
    "",
    "| units in the table | calls/s | p50 ms | p99 ms | CPU ms/call node + DynamoDB Local | load |",
    "|---|---|---|---|---|---|",
    ...result.ceilings.map(
      (c) =>
        `| ${c.units} | ${c.calls_per_s} | ${c.p50} | ${c.p99} | ${c.node_cpu_ms} + ${c.dynamo_cpu_ms} | ${c.load} |`,
    ),
    "",
    ...ratios(result.queries),
    "The bulletin's reads for one 片区 (gatherBulletinInput):",
    "",
    "| registry units | 片区 | units in the 片区 | items read | requests | ms |",
    "|---|---|---|---|---|---|",
    ...result.bulletins.map(
      (b) => `| ${b.units} | ${b.area} | ${b.areaUnits} | ${b.items} | ${b.requests} | ${b.ms} |`,
    ),
    "",
  );
  return lines.join("\n");
}

async function main(args: readonly string[]): Promise<void> {
  const json = args.includes("--json");
  const log: Log = (line) => process.stderr.write(`${line}\n`);
  const at = args.indexOf("--sizes");
  const sizes = at >= 0 ? (args[at + 1] ?? "").split(",").map(Number) : undefined;
  const shapes = sizes ? READ_SHAPES.filter((s) => sizes.includes(s.units)) : READ_SHAPES;
  const stack = await startLocalStack({ concurrency: 4, env: { LOG_LEVEL: "silent" } });
  try {
    const result = await readBench(stack, log, shapes);
    process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : `${readMarkdown(result)}\n`);
  } finally {
    await stack.stop();
  }
}

// Run directly (tsx scripts/bench/reads.ts) or through a runner that passes the script as its first argument.
const self = fileURLToPath(import.meta.url);
const argAt = process.argv.slice(1, 3).findIndex((arg) => resolve(arg) === self);
if (argAt >= 0) await main(process.argv.slice(argAt + 2));
