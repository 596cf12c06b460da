/**
 * Processing one uploaded return file, as named stages: read → validate (with the units' stored
 * history) → report → plan → apply (conditional transactions) → mend chains → done.
 * Every stage is safe to repeat, so a retried or duplicated S3 event converges on the same state.
 * Storage is reached only through the ports; this module does no I/O of its own.
 */

import { type Month, monthLabel, parseMonth } from "../domain/periods.ts";
import type { Registry } from "../domain/registry.ts";
import { annotate, XLSX_CONTENT_TYPE } from "../ingest/annotate.ts";
import {
  applyHistory,
  countsAfterHistory,
  DEFAULT_LIMITS,
  hasFileError,
  type IngestLimits,
  ingest,
} from "../ingest/ingest.ts";
import { issue, type UPLOAD_ERRORS, type ValidationIssue } from "../ingest/issues.ts";
import { buildReport, IssueCollector, reportCsv, type ValidationReport } from "../ingest/report.ts";
import type { CheckedRow } from "../ingest/returns.ts";
import { parseUploadKey, reportKeys } from "../objects.ts";
import {
  FINISHED_STATUSES,
  type ObjectStore,
  type ReviewStore,
  type Stores,
  type UploadRecord,
} from "../ports.ts";
import { mapLimit } from "../support/concurrency.ts";
import { isLocked, type LockRecord, lockScopeOf } from "../workflow/review.ts";
import { applyReturns, readUnits } from "./apply.ts";
import type { IncomingReturn, StoredReturn } from "./plan.ts";

/** What the S3 event says about the uploaded object. */
export interface UploadEvent {
  /** The object key, already decoded (decodeEventKey). */
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
  /** The earliest month returns are taken for (FIRST_REPORTING_MONTH). */
  readonly firstMonth?: Month | undefined;
  /** 逐级审核 levels (APPROVAL_LEVELS): with 0 nothing is ever locked and no lock is read. */
  readonly approvalLevels?: number;
}

export interface PipelineDeps {
  readonly stores: Pick<Stores, "returns" | "uploads" | "keys" | "reviews">;
  readonly objects: ObjectStore;
  readonly registry: () => Promise<Registry>;
  readonly options: PipelineOptions;
}

export type ProcessResult =
  | { readonly kind: "ignored"; readonly reason: string }
  | { readonly kind: "duplicate"; readonly uploadId: string }
  /** Nothing written: the object is not the one this upload accepted (or is under another key). */
  | { readonly kind: "refused"; readonly uploadId: string; readonly reason: string }
  | {
      readonly kind: "processed";
      readonly uploadId: string;
      readonly status: UploadRecord["status"];
      readonly report: ValidationReport;
      readonly applied: Readonly<Record<string, number>>;
      /** Writes this run made (S3 objects, upload records, transactions): one crash point after each. */
      readonly writes: number;
    };

export async function processUpload(event: UploadEvent, deps: PipelineDeps): Promise<ProcessResult> {
  const parsed = parseUploadKey(event.key);
  if (!parsed)
    return {
      kind: "ignored",
      reason: "key does not match incoming/{scope}/{period}/{uploadId}.{csv|xlsx|xls}",
    };
  const { stores, objects, options } = deps;
  // Counted for the result (the crash tests try a crash after each one).
  let writes = 0;
  const write = async (run: () => Promise<void>): Promise<void> => {
    await run();
    writes++;
  };
  const previous = await stores.uploads.getUpload(parsed.uploadId);
  const registry = await deps.registry();
  const now = new Date();
  const refuse = async (code: RefusalCode, message: string, base: UploadRecord): Promise<ProcessResult> => {
    const report = await refuseFile(deps, base, issue(code, 0, null, null, message), write);
    return { kind: "processed", uploadId: base.uploadId, status: "rejected", report, applied: {}, writes };
  };
  if (!previous) {
    // Nobody asked for this upload: an object put straight into the bucket, or an id made up.
    const base: UploadRecord = {
      uploadId: parsed.uploadId,
      // Listed under the root: only ops see it; the key's text says nothing trustworthy.
      scope: registry.root.code,
      key: event.key,
      status: "received",
      receivedAt: event.eventTime,
      updatedAt: now.toISOString(),
      bytes: event.size,
      eTag: event.eTag,
      objectTime: event.eventTime,
    };
    return refuse(
      "E_UPLOAD_UNKNOWN",
      "没有与该文件对应的上传申请,文件未被审核。请通过网上填报系统、接口(POST /v1/uploads)或 dangjian upload 上传。",
      base,
    );
  }
  if (previous.key !== event.key) {
    // Another upload's id under another prefix: its record (and scope) must stay as they are.
    return {
      kind: "refused",
      uploadId: parsed.uploadId,
      reason: `object key ${event.key} is not ${previous.key}`,
    };
  }
  const sameObject = !event.eTag || !previous.eTag || previous.eTag === event.eTag;
  // A redelivered event for a file already finished: its effects are all in place.
  if (FINISHED_STATUSES.has(previous.status) && sameObject)
    return { kind: "duplicate", uploadId: parsed.uploadId };
  const base: UploadRecord = {
    ...previous,
    status: "received",
    updatedAt: now.toISOString(),
    bytes: event.size,
    eTag: event.eTag ?? previous.eTag,
    objectTime: previous.objectTime ?? event.eventTime,
    error: undefined,
  };
  if (!sameObject || !(await stores.uploads.claimUpload(base))) {
    return {
      kind: "refused",
      uploadId: parsed.uploadId,
      reason: "the upload already accepted another object",
    };
  }
  writes++;

  // The authority is the record: its scope must still exist, and the key that asked must still stand.
  if (!registry.has(previous.scope)) {
    return refuse(
      "E_SCOPE_UNKNOWN",
      `申请上传的单位“${previous.scope}”已不在单位名册中,文件未被审核。请联系市直机关工委核对单位名册。`,
      base,
    );
  }
  if (previous.uploadedBy) {
    const key = await stores.keys.getKeyById(previous.uploadedBy);
    if (!key || key.revokedAt) {
      return refuse(
        "E_AUTH_REVOKED",
        "申请上传所用的接口密钥已被吊销,文件未被审核。请向运维人员申请新的密钥后重新上传。",
        base,
      );
    }
  }
  const submittedAt = base.objectTime ?? event.eventTime;
  const result = await ingest(await objects.getStream(event.key), {
    registry,
    now: new Date(submittedAt),
    limits: options.limits ?? DEFAULT_LIMITS,
    // The uploader may only report for its own subtree: the record's scope, not the key's text.
    uploaderScope: previous.scope,
    firstMonth: options.firstMonth,
    uploadPeriod: parseMonth(parsed.period),
  });
  const fileOk = !hasFileError(result.fileIssues);
  const units = fileOk
    ? [...new Set(result.rows.filter((r) => r.outcome !== "rejected").map((r) => r.unit))]
    : [];
  const stored = new Map<string, StoredReturn[]>();
  await readUnits(stores.returns, units, stored);
  const reviewed = (options.approvalLevels ?? 1) > 0;
  const lockScope = (unit: string) => lockScopeOf(registry, unit);
  const rows = reviewed
    ? await refuseLocked(
        applyHistory(result.rows, (unit) => stored.get(unit)),
        lockScope,
        stores.reviews,
      )
    : applyHistory(result.rows, (unit) => stored.get(unit));
  const report = buildReport(result, rows, countsAfterHistory(result, rows));

  const keysOut = reportKeys(parsed.uploadId);
  await write(() => objects.put(keysOut.json, JSON.stringify(report), "application/json; charset=utf-8"));
  await write(() => objects.put(keysOut.csv, reportCsv(report), "text/csv; charset=utf-8"));
  // The unit's own rows with the issues beside them: the raw file is read again (it stays in S3).
  const annotated = await annotate(
    await objects.getStream(event.key),
    report,
    options.limits ?? DEFAULT_LIMITS,
  );
  await write(() => objects.put(keysOut.xlsx, annotated.workbook, XLSX_CONTENT_TYPE));
  // Before the record points at the report: a 说明 can be given as soon as the report shows.
  if (annotated.waiting?.rows.length) {
    const waiting = annotated.waiting;
    await write(() =>
      objects.put(keysOut.waiting, JSON.stringify(waiting), "application/json; charset=utf-8"),
    );
  }
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
  await write(() => stores.uploads.putUpload(validated));
  if (!accepted.length) {
    return {
      kind: "processed",
      uploadId: parsed.uploadId,
      status: "rejected",
      report,
      applied: {},
      writes,
    };
  }

  const incoming = toIncoming(accepted, registry, parsed.uploadId, submittedAt);
  const applied = await applyReturns(incoming, stored, stores.returns, {
    deadlineDay: options.deadlineDay,
    shards: options.shards,
    uploadId: parsed.uploadId,
    onWrite: () => writes++,
    lockScopeOf: reviewed ? lockScope : undefined,
  });
  await write(() =>
    stores.uploads.putUpload({
      ...validated,
      status: "aggregated",
      updatedAt: new Date().toISOString(),
      applied,
    }),
  );
  return {
    kind: "processed",
    uploadId: parsed.uploadId,
    status: "aggregated",
    report,
    applied,
    writes,
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

type RefusalCode = (typeof UPLOAD_ERRORS)[number];

/** Rejects a whole upload before reading it: a report with the one reason, the record rejected. */
async function refuseFile(
  deps: PipelineDeps,
  base: UploadRecord,
  reason: ValidationIssue,
  write: (run: () => Promise<void>) => Promise<void>,
): Promise<ValidationReport> {
  const zero = { rows: 0, accepted: 0, needs_explanation: 0, rejected: 0 };
  const report = buildReport(
    { encoding: null, fileIssues: [reason], dropped: { rows: [], issues: new IssueCollector() } },
    [],
    zero,
  );
  const keysOut = reportKeys(base.uploadId);
  await write(() =>
    deps.objects.put(keysOut.json, JSON.stringify(report), "application/json; charset=utf-8"),
  );
  await write(() => deps.objects.put(keysOut.csv, reportCsv(report), "text/csv; charset=utf-8"));
  await write(() =>
    deps.stores.uploads.putUpload({
      ...base,
      status: "rejected",
      updatedAt: new Date().toISOString(),
      reportStatus: report.status,
      summary: report.summary,
      reportKey: keysOut.json,
      error: reason.message,
    }),
  );
  return report;
}

/**
 * Rows for a 片区-month under 市级确认 are refused (E_PERIOD_LOCKED), naming who locked it and
 * when; the transactions check the same locks again when they commit (apply.ts).
 */
async function refuseLocked(
  rows: readonly CheckedRow[],
  lockScope: (unit: string) => string | undefined,
  reviews: Pick<ReviewStore, "getLock">,
): Promise<CheckedRow[]> {
  const pairs = new Map<string, { scope: string; month: Month }>();
  for (const r of rows) {
    const scope = r.outcome === "rejected" || !r.period ? undefined : lockScope(r.unit);
    if (scope && r.period) pairs.set(`${scope}|${r.period}`, { scope, month: r.period });
  }
  const locks = new Map<string, LockRecord>();
  await mapLimit([...pairs.entries()], 8, async ([id, p]) => {
    const lock = await reviews.getLock(p.scope, p.month);
    if (isLocked(lock) && lock) locks.set(id, lock);
  });
  if (!locks.size) return [...rows];
  return rows.map((r) => {
    const scope = r.period ? lockScope(r.unit) : undefined;
    const lock = scope && r.outcome !== "rejected" ? locks.get(`${scope}|${r.period}`) : undefined;
    if (!lock || !r.period) return r;
    const when =
      lock.state === "locked" ? `已由${lock.by}于${beijingTime(lock.at)}确认锁定(市级确认)` : "正在市级确认";
    const refused = issue(
      "E_PERIOD_LOCKED",
      r.row,
      r.unit,
      "报送期间",
      `${monthLabel(r.period)}的数据${when},不能再上传或更正;如确需更正,请联系市直机关工委解锁。`,
    );
    return { ...r, issues: [...r.issues, refused], outcome: "rejected" as const };
  });
}

/** "2026-11-08 14:05" in Beijing time, for messages. */
function beijingTime(iso: string): string {
  const at = new Date(new Date(iso).getTime() + 8 * 3600 * 1000);
  return Number.isNaN(at.getTime()) ? iso : at.toISOString().slice(0, 16).replace("T", " ");
}
