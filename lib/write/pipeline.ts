/**
 * Processing one uploaded return file, as named stages: read → validate (with the units' stored
 * history) → report → plan → apply (conditional transactions) → mend chains → done.
 * Every stage is safe to repeat, so a retried or duplicated S3 event converges on the same state.
 * Storage is reached only through the ports; this module does no I/O of its own.
 */

import type { Registry } from "../domain/registry.ts";
import { annotatedReport, XLSX_CONTENT_TYPE } from "../ingest/annotate.ts";
import {
  applyHistory,
  countOutcomes,
  DEFAULT_LIMITS,
  hasFileError,
  type IngestLimits,
  ingest,
} from "../ingest/ingest.ts";
import { buildReport, reportCsv, type ValidationReport } from "../ingest/report.ts";
import type { CheckedRow } from "../ingest/returns.ts";
import { parseUploadKey, reportKeys } from "../objects.ts";
import type { ObjectStore, Stores, UploadRecord } from "../ports.ts";
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
}

export interface PipelineDeps {
  readonly stores: Pick<Stores, "returns" | "uploads">;
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
  await write(() => stores.uploads.putUpload(base));

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
  await readUnits(stores.returns, units, stored);
  const rows = applyHistory(result.rows, (unit) => stored.get(unit));
  const report = buildReport(result, rows, countOutcomes(rows));

  const keysOut = reportKeys(parsed.uploadId);
  await write(() => objects.put(keysOut.json, JSON.stringify(report), "application/json; charset=utf-8"));
  await write(() => objects.put(keysOut.csv, reportCsv(report), "text/csv; charset=utf-8"));
  // The unit's own rows with the issues beside them: the raw file is read again (it stays in S3).
  const annotated = await annotatedReport(
    await objects.getStream(event.key),
    report,
    options.limits ?? DEFAULT_LIMITS,
  );
  await write(() => objects.put(keysOut.xlsx, annotated, XLSX_CONTENT_TYPE));
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

  const incoming = toIncoming(accepted, registry, parsed.uploadId, event.eventTime);
  const applied = await applyReturns(incoming, stored, stores.returns, {
    deadlineDay: options.deadlineDay,
    shards: options.shards,
    uploadId: parsed.uploadId,
    onWrite: () => writes++,
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
