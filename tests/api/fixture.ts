/**
 * The API on the real local stack for a test file: DynamoDB Local + s3rver + the pipeline handlers,
 * the HTTP server in front of the real authorizer and API handler, keys of every kind, and (when
 * asked) 13 months of returns uploaded through S3 so rollups exist. Expected figures are computed
 * here from the rows themselves, independently of the pipeline.
 */
import { Command } from "commander";
import { afterAll, beforeAll, expect } from "vitest";
import type { BulletinRenderer } from "../../lib/api/context.ts";
import { uploadCreatedSchema, uploadStatusSchema } from "../../lib/api/schemas.ts";
import { newApiKey } from "../../lib/domain/auth.ts";
import { INDICATOR_KEYS, STOCK_KEYS, type Values, zeroValues } from "../../lib/domain/catalogue.ts";
import { addMonths, type Month, monthIndex, monthsBetween } from "../../lib/domain/periods.ts";
import { type ApiServer, startApiServer } from "../../scripts/local/http.ts";
import type { LocalStack } from "../../scripts/local/stack.ts";
import type { CommandContext } from "../../scripts/support/command.ts";
import { UsageError } from "../../scripts/support/usage-error.ts";
import { figures, returnCsv, type TestRow } from "../support/returns.ts";
import { loadRegistry, registryCsv, unitCodes, useLocalStack } from "../support/stack.ts";

/** 2026-11-10 12:00 Beijing: THIS_MONTH is 2026-11, LAST_MONTH 2026-10. */
export const NOW = new Date("2026-11-10T04:00:00.000Z");
export const FIRST_MONTH: Month = "2025-10";
export const LAST_MONTH: Month = "2026-10";
export const MONTHS = monthsBetween(FIRST_MONTH, LAST_MONTH);
export const UNITS = unitCodes(2, 4);
/** Never reports. */
export const SILENT_UNIT = "001002004";
/** Skips August 2026. */
export const GAP_UNIT = "001001002";
export const GAP_MONTH: Month = "2026-08";
/** Sends October 2026 after the 5 November deadline. */
export const LATE_UNIT = "001001003";
export const FORMULA_TEXT = '=HYPERLINK("http://example.com","点击")';

export interface Keys {
  readonly ops: string;
  /** Bound to the leaf 001001001. */
  readonly leaf: string;
  /** Bound to 片区 001001. */
  readonly area: string;
  readonly revoked: string;
  readonly revokedId: string;
}

export interface ApiFixture {
  readonly stack: LocalStack;
  readonly server: ApiServer;
  readonly keys: Keys;
  /** Every accepted row uploaded (the expectations are built from these). */
  readonly rows: readonly TestRow[];
  readonly renders: { scope: string; period: string }[];
}

/** Beijing 10:00 on `day` of the month after `month`, as an ISO instant. */
export function submittedOn(month: Month, day: number): string {
  const next = addMonths(month, 1);
  return new Date(`${next}-${String(day).padStart(2, "0")}T10:00:00+08:00`).toISOString();
}

/** A unit's figures for a month: flows vary; 党员总数 grows a member a month so LAST is visible. */
export function unitValues(unit: string, month: Month): Values {
  const ui = UNITS.indexOf(unit);
  const m = monthIndex(month) - monthIndex(FIRST_MONTH);
  const v = figures(m * 3 + ui, ui);
  v.members_total = 40 + ui + m;
  return v;
}

function plannedRows(): { onTime: TestRow[][]; late: TestRow[] } {
  const onTime: TestRow[][] = [];
  const late: TestRow[] = [];
  for (const month of MONTHS) {
    const rows: TestRow[] = [];
    for (const unit of UNITS) {
      if (unit === SILENT_UNIT) continue;
      if (unit === GAP_UNIT && month === GAP_MONTH) continue;
      const row: TestRow = {
        unit,
        period: month,
        values: unitValues(unit, month),
        ...(unit === "001001001" && month === LAST_MONTH ? { highlight: FORMULA_TEXT } : {}),
      };
      if (unit === LATE_UNIT && month === LAST_MONTH) late.push(row);
      else rows.push(row);
    }
    onTime.push(rows);
  }
  return { onTime, late };
}

export function useApiFixture(
  options: { data?: boolean; renderBulletin?: BulletinRenderer } = {},
): () => ApiFixture {
  const stackOf = useLocalStack({ LOG_LEVEL: "silent" });
  let fixture: ApiFixture | undefined;
  beforeAll(async () => {
    const stack = stackOf();
    await loadRegistry(stack, registryCsv(2, 4));
    const rows: TestRow[] = [];
    if (options.data) {
      const { onTime, late } = plannedRows();
      // One batch file per month from the root (as a 市直机关工委 collecting returns would send).
      for (const [i, monthRows] of onTime.entries()) {
        const month = MONTHS[i] as Month;
        await stack.put(`incoming/001/${month}/month${month.replace("-", "")}.csv`, returnCsv(monthRows), {
          submittedAt: submittedOn(month, 2),
        });
        rows.push(...monthRows);
      }
      await stack.put(
        `incoming/${LATE_UNIT}/${LAST_MONTH}/late${LAST_MONTH.replace("-", "")}.csv`,
        returnCsv(late),
        {
          submittedAt: submittedOn(LAST_MONTH, 8),
        },
      );
      rows.push(...late);
      await new Promise((r) => setTimeout(r, 300));
      await stack.drain();
      if (stack.deadLetters.length) throw new Error(JSON.stringify(stack.deadLetters));
    }
    const at = new Date();
    const make = (role: "ops" | "unit", unit: string | null, label: string) => {
      const made = newApiKey({ role, unit, label }, at);
      return { ...made, stored: stack.services.stores.keys.putKey(made.record) };
    };
    const ops = make("ops", null, "测试运维");
    const leaf = make("unit", "001001001", "测试支部");
    const area = make("unit", "001001", "测试片区");
    const revoked = make("unit", "001001001", "已吊销");
    await Promise.all([ops.stored, leaf.stored, area.stored, revoked.stored]);
    await stack.services.stores.keys.revokeKey(revoked.record.keyId, at.toISOString());
    const renders: { scope: string; period: string }[] = [];
    const server = await startApiServer({
      services: stack.services,
      settings: { cacheSeconds: 0 },
      authCacheSeconds: 0,
      now: () => NOW,
      ready: true,
      renderBulletin:
        options.renderBulletin ??
        (async (request) => {
          renders.push({ ...request });
        }),
    });
    fixture = {
      stack,
      server,
      keys: {
        ops: ops.key,
        leaf: leaf.key,
        area: area.key,
        revoked: revoked.key,
        revokedId: revoked.record.keyId,
      },
      rows,
      renders,
    };
  }, 120_000);
  afterAll(async () => {
    await fixture?.server.close();
  });
  return () => {
    if (!fixture) throw new Error("API fixture not started");
    return fixture;
  };
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly bytes: Uint8Array;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the tests' expectations.
  json(): any;
}

/** One real HTTP request to the local API. */
export async function call(
  fx: ApiFixture,
  path: string,
  init: {
    key?: string | undefined;
    method?: string;
    body?: BodyInit;
    headers?: Record<string, string>;
  } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  const res = await fetch(`${fx.server.url}${path}`, {
    method: init.method ?? "GET",
    headers,
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  return {
    status: res.status,
    headers: res.headers,
    text,
    bytes,
    json: () => JSON.parse(text),
  };
}

/** The figures a scope should show over [from, to], from the uploaded rows alone. */
export function expectedFigures(
  rows: readonly TestRow[],
  units: readonly string[],
  from: Month,
  to: Month,
): { values: Values; reported: number } {
  const inSpan = rows.filter(
    (r) =>
      units.includes(r.unit) &&
      monthIndex(r.period) >= monthIndex(from) &&
      monthIndex(r.period) <= monthIndex(to),
  );
  const values = zeroValues();
  const stocks = new Set<string>(STOCK_KEYS);
  for (const key of INDICATOR_KEYS) {
    if (stocks.has(key)) continue;
    values[key] = Math.round(inSpan.reduce((s, r) => s + r.values[key], 0) * 100) / 100;
  }
  const latest = new Map<string, TestRow>();
  for (const r of inSpan) {
    const seen = latest.get(r.unit);
    if (!seen || monthIndex(r.period) > monthIndex(seen.period)) latest.set(r.unit, r);
  }
  for (const key of STOCK_KEYS) values[key] = [...latest.values()].reduce((s, r) => s + r.values[key], 0);
  return { values, reported: latest.size };
}

export interface CommandRun {
  readonly out: string;
  readonly err: string;
  readonly exit: number;
}

/** Runs one `dangjian` command the way scripts/cli.ts does (usage errors → exit 2). */
export async function runCommand(
  register: (program: Command, ctx: CommandContext) => void,
  args: readonly string[],
): Promise<CommandRun> {
  let out = "";
  let err = "";
  let exit = 0;
  const ctx: CommandContext = {
    io: { out: (t) => (out += t), err: (t) => (err += t) },
    setExit: (code) => {
      exit = code;
    },
  };
  const program = new Command("dangjian")
    .exitOverride()
    .configureOutput({ writeOut: ctx.io.out, writeErr: ctx.io.err });
  register(program, ctx);
  try {
    await program.parseAsync(["node", "dangjian", ...args]);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err += e.message;
    exit = 2;
  }
  return { out, err, exit };
}

/** POST /v1/uploads as `key`: the created upload (presigned POST form), 201 or the test fails. */
export async function requestUpload(fx: ApiFixture, key: string, body: Record<string, string>) {
  const reply = await call(fx, "/v1/uploads", {
    key,
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });
  expect(reply.status, reply.text).toBe(201);
  return uploadCreatedSchema.parse(reply.json());
}

/** Polls GET /v1/uploads/{id} until the upload is aggregated or rejected (10 s at most). */
export async function waitForUpload(fx: ApiFixture, key: string, uploadId: string) {
  for (let i = 0; i < 100; i++) {
    const state = uploadStatusSchema.parse((await call(fx, `/v1/uploads/${uploadId}`, { key })).json());
    if (state.upload.status === "aggregated" || state.upload.status === "rejected") return state;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`upload ${uploadId} not processed`);
}
