/**
 * Processing one uploaded return file, as named stages: read → validate (with the units' stored
 * history) → report → plan → apply (conditional transactions) → mend chains → done.
 * Every stage is safe to repeat, so a retried or duplicated S3 event converges on the same state.
 * Storage is reached only through the ports; this module does no I/O of its own.
 */
import { hashString, mapLimit } from "./concurrency.ts";
import {
  applyHistory,
  countOutcomes,
  DEFAULT_LIMITS,
  hasFileError,
  type IngestLimits,
  ingest,
} from "./ingest.ts";
import type { Month } from "./periods.ts";
import {
  deltasOf,
  type IncomingReturn,
  mergeWrites,
  type PlanOutcome,
  planIncoming,
  planRepairs,
  type ReturnWrite,
  type StoredReturn,
} from "./plan.ts";
import { type ObjectStore, type ReturnsStore, type UploadRecord, WriteConflict } from "./ports.ts";
import type { Registry } from "./registry.ts";
import { buildReport, reportCsv, type ValidationReport } from "./report.ts";
import type { CheckedRow } from "./returns.ts";

/** What the S3 event says about the uploaded object. */
export interface UploadEvent {
  readonly key: string;
  readonly size: number;
  /** When S3 received the object: the submission time that decides 及时 and version order. */
  readonly eventTime: string;
  readonly eTag?: string | undefined;
}

export interface PipelineOptions {
  readonly deadlineDay: number;
  readonly shards: number;
  readonly limits?: IngestLimits;
  /** Test hook: throw CrashInjected after this many writes (crash-between-writes tests). */
  readonly crashAfterWrites?: number | undefined;
}

export interface PipelineDeps {
  readonly store: ReturnsStore;
  readonly objects: ObjectStore;
  readonly registry: () => Promise<Registry>;
  readonly options: PipelineOptions;
}

export type ProcessResult =
  | { readonly kind: "ignored"; readonly reason: string }
  | { readonly kind: "duplicate"; readonly uploadId: string }
  | {
      readonly kind: "processed";
      readonly uploadId: string;
      readonly status: UploadRecord["status"];
      readonly report: ValidationReport;
      readonly applied: Readonly<Record<string, number>>;
      /** Writes this run made (S3 objects, upload records, transactions): one crash point after each. */
      readonly writes: number;
    };

/** A deliberate crash from the fault-injection hook. */
export class CrashInjected extends Error {
  constructor(readonly afterWrites: number) {
    super(`crash injected after ${afterWrites} writes`);
    this.name = "CrashInjected";
  }
}

/** What an upload id may look like (it becomes part of S3 keys and report names). */
export const UPLOAD_ID = /^[A-Za-z0-9_-]{6,80}$/;
const KEY_PATTERN = new RegExp(`^incoming/([^/]+)/([^/]+)/(${UPLOAD_ID.source.slice(1, -1)})\\.csv$`);
const MAX_TX_ITEMS = 100;
const MAX_ATTEMPTS = 12;
const READ_CONCURRENCY = 16;

export interface ParsedKey {
  readonly scope: string;
  readonly period: string;
  readonly uploadId: string;
}

/** S3 event keys are URL-encoded with '+' for spaces. */
export function parseUploadKey(rawKey: string): ParsedKey | undefined {
  const key = decodeURIComponent(rawKey.replace(/\+/g, " "));
  const m = KEY_PATTERN.exec(key);
  return m ? { scope: m[1] as string, period: m[2] as string, uploadId: m[3] as string } : undefined;
}

export function uploadKey(scope: string, period: string, uploadId: string): string {
  return `incoming/${scope}/${period}/${uploadId}.csv`;
}

export function reportKeys(uploadId: string): { json: string; csv: string } {
  return { json: `reports/${uploadId}.json`, csv: `reports/${uploadId}.csv` };
}

/** Counts writes and crashes on purpose where the test hook says so. */
class WriteCounter {
  count = 0;
  constructor(private readonly crashAfter: number | undefined) {}
  async run<T>(write: () => Promise<T>): Promise<T> {
    const out = await write();
    this.count++;
    if (this.crashAfter !== undefined && this.count >= this.crashAfter) throw new CrashInjected(this.count);
    return out;
  }
}

export async function processUpload(event: UploadEvent, deps: PipelineDeps): Promise<ProcessResult> {
  const parsed = parseUploadKey(event.key);
  if (!parsed)
    return { kind: "ignored", reason: `key does not match incoming/{scope}/{period}/{uploadId}.csv` };
  const { store, objects, options } = deps;
  const writes = new WriteCounter(options.crashAfterWrites);
  const previous = await store.getUpload(parsed.uploadId);
  // A redelivered event for a file already finished: its effects are all in place.
  if (
    previous &&
    (previous.status === "aggregated" || previous.status === "rejected") &&
    previous.key === event.key
  ) {
    if (!event.eTag || !previous.eTag || previous.eTag === event.eTag)
      return { kind: "duplicate", uploadId: parsed.uploadId };
  }
  const registry = await deps.registry();
  const now = new Date();
  const base: UploadRecord = {
    ...(previous ?? {}),
    uploadId: parsed.uploadId,
    scope: parsed.scope,
    key: event.key,
    status: "received",
    receivedAt: previous?.receivedAt ?? event.eventTime,
    updatedAt: now.toISOString(),
    bytes: event.size,
    eTag: event.eTag,
  };
  await writes.run(() => store.putUpload(base));

  // Validate. The uploader may only report for its own subtree (the key's prefix).
  const uploaderScope = registry.has(parsed.scope) ? parsed.scope : registry.root.code;
  const result = await ingest(await objects.getStream(event.key), {
    registry,
    now: new Date(event.eventTime),
    limits: options.limits ?? DEFAULT_LIMITS,
    uploaderScope,
  });
  const fileOk = !hasFileError(result.fileIssues);
  const units = fileOk
    ? [...new Set(result.rows.filter((r) => r.outcome !== "rejected").map((r) => r.unit))]
    : [];
  const stored = new Map<string, StoredReturn[]>();
  await mapLimit(units, READ_CONCURRENCY, async (unit) => {
    stored.set(unit, await store.unitReturns(unit));
  });
  const rows = applyHistory(result.rows, (unit) => stored.get(unit));
  const report = buildReport(result, rows, countOutcomes(rows));

  const keysOut = reportKeys(parsed.uploadId);
  await writes.run(() =>
    objects.put(keysOut.json, JSON.stringify(report), "application/json; charset=utf-8"),
  );
  await writes.run(() => objects.put(keysOut.csv, reportCsv(report), "text/csv; charset=utf-8"));
  const accepted = fileOk ? rows.filter((r) => r.outcome === "accepted") : [];
  const validated: UploadRecord = {
    ...base,
    status: accepted.length ? "validated" : "rejected",
    updatedAt: new Date().toISOString(),
    encoding: result.encoding,
    reportStatus: report.status,
    summary: report.summary,
    reportKey: keysOut.json,
  };
  await writes.run(() => store.putUpload(validated));
  if (!accepted.length) {
    return {
      kind: "processed",
      uploadId: parsed.uploadId,
      status: "rejected",
      report,
      applied: {},
      writes: writes.count,
    };
  }

  const incoming = toIncoming(accepted, registry, parsed.uploadId, event.eventTime);
  const applied = await applyReturns(incoming, stored, deps, parsed.uploadId, writes);
  await writes.run(() =>
    store.putUpload({ ...validated, status: "aggregated", updatedAt: new Date().toISOString(), applied }),
  );
  return {
    kind: "processed",
    uploadId: parsed.uploadId,
    status: "aggregated",
    report,
    applied,
    writes: writes.count,
  };
}

function toIncoming(
  rows: readonly CheckedRow[],
  registry: Registry,
  uploadId: string,
  submittedAt: string,
): Map<string, IncomingReturn[]> {
  const byUnit = new Map<string, IncomingReturn[]>();
  for (const row of rows) {
    if (!row.period) continue;
    const list = byUnit.get(row.unit) ?? [];
    list.push({
      unit: row.unit,
      period: row.period,
      scopes: registry.ancestors(row.unit),
      values: row.values,
      blanks: row.blanks,
      text: row.text,
      warnings: row.issues.filter((i) => i.severity === "warning"),
      uploadId,
      submittedAt,
    });
    byUnit.set(row.unit, list);
  }
  return byUnit;
}

interface UnitPlan {
  readonly unit: string;
  readonly writes: ReturnWrite[];
  readonly outcomes: PlanOutcome[];
  /** Rollup items the writes touch (scope|month), for sizing transactions. */
  readonly rollupKeys: ReadonlySet<string>;
}

function planUnit(
  unit: string,
  stored: readonly StoredReturn[],
  incoming: readonly IncomingReturn[],
  deadlineDay: number,
): UnitPlan {
  let view = [...stored];
  const writes: ReturnWrite[] = [];
  const outcomes: PlanOutcome[] = [];
  for (const ret of incoming) {
    const plan = planIncoming(view, ret, deadlineDay);
    outcomes.push(plan.outcome);
    for (const w of plan.writes) {
      writes.push(w);
      view = [...view.filter((s) => s.period !== w.after.period), w.after];
    }
  }
  const merged = mergeWrites(writes);
  const rollupKeys = new Set(deltasOf(merged).map((d) => `${d.scope}|${d.month}`));
  return { unit, writes: merged, outcomes, rollupKeys };
}

/** Packs unit plans into transactions of at most 100 items (return writes + rollup updates). */
function packTransactions(plans: readonly UnitPlan[]): UnitPlan[][] {
  const chunks: UnitPlan[][] = [];
  let current: UnitPlan[] = [];
  let writes = 0;
  let keys = new Set<string>();
  for (const plan of plans) {
    if (!plan.writes.length) continue;
    const merged = new Set([...keys, ...plan.rollupKeys]);
    if (current.length && writes + plan.writes.length + merged.size > MAX_TX_ITEMS) {
      chunks.push(current);
      current = [];
      writes = 0;
      keys = new Set(plan.rollupKeys);
    } else {
      keys = merged;
    }
    current.push(plan);
    writes += plan.writes.length;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Applies a set of units' returns: plan against the stored state, write conditionally, and on a
 * conflict re-read just those units and plan again. Returns how each incoming return ended.
 */
async function applyReturns(
  incoming: ReadonlyMap<string, IncomingReturn[]>,
  stored: Map<string, StoredReturn[]>,
  deps: PipelineDeps,
  uploadId: string,
  writes: WriteCounter,
): Promise<Record<string, number>> {
  const { store, options } = deps;
  const tally: Record<string, number> = {};
  const count = (outcome: string, n = 1): void => {
    tally[outcome] = (tally[outcome] ?? 0) + n;
  };
  const plans = [...incoming.entries()].map(([unit, rets]) =>
    planUnit(unit, stored.get(unit) ?? [], rets, options.deadlineDay),
  );
  for (const p of plans) if (!p.writes.length) for (const o of p.outcomes) count(o);
  let chunkNo = 0;
  const applyChunk = async (units: readonly string[], repair: boolean): Promise<void> => {
    const shard = hashString(`${uploadId}#${chunkNo++}`) % options.shards;
    for (let attempt = 1; ; attempt++) {
      const current = units.map((u) =>
        repair
          ? { unit: u, writes: planRepairs(stored.get(u) ?? []), outcomes: [], rollupKeys: new Set<string>() }
          : planUnit(u, stored.get(u) ?? [], incoming.get(u) ?? [], options.deadlineDay),
      );
      const all = current.flatMap((p) => p.writes);
      const deltas = deltasOf(all);
      if (all.length + deltas.length > MAX_TX_ITEMS && units.length > 1) {
        const half = Math.ceil(units.length / 2);
        await applyChunk(units.slice(0, half), repair);
        await applyChunk(units.slice(half), repair);
        return;
      }
      try {
        if (all.length) {
          await writes.run(() =>
            store.applyTransaction(
              all,
              deltas.map((d) => ({ ...d, shard })),
            ),
          );
        }
        for (const p of current) {
          for (const o of p.outcomes) count(o);
          if (repair) count("repaired", p.writes.length);
          stored.set(p.unit, mergeView(stored.get(p.unit) ?? [], p.writes));
        }
        return;
      } catch (err) {
        if (!(err instanceof WriteConflict) || attempt >= MAX_ATTEMPTS) throw err;
        // Someone else wrote these units meanwhile: read them again and re-plan.
        await sleep(Math.min(2000, 20 * 2 ** attempt) * (0.5 + Math.random()));
        await mapLimit([...units], READ_CONCURRENCY, async (u) => {
          stored.set(u, await store.unitReturns(u));
        });
      }
    }
  };
  for (const chunk of packTransactions(plans)) {
    await applyChunk(
      chunk.map((p) => p.unit),
      false,
    );
  }
  // Mend chains broken by a concurrent upload for another month of the same unit: read each
  // unit back and fix any return whose link to its predecessor is stale.
  const touched = [...incoming.keys()];
  for (let round = 0; round < 5; round++) {
    await mapLimit(touched, READ_CONCURRENCY, async (u) => {
      stored.set(u, await store.unitReturns(u));
    });
    const broken = touched.filter((u) => planRepairs(stored.get(u) ?? []).length > 0);
    if (!broken.length) break;
    for (const u of broken) await applyChunk([u], true);
  }
  return tally;
}

function mergeView(view: readonly StoredReturn[], writes: readonly ReturnWrite[]): StoredReturn[] {
  const byPeriod = new Map<Month, StoredReturn>(view.map((s) => [s.period, s]));
  for (const w of writes) byPeriod.set(w.after.period, w.after);
  return [...byPeriod.values()];
}
