/**
 * The one S3 layout: every key the system writes or reads is built and parsed here.
 *
 *   incoming/{scope}/{YYYY-MM}/{uploadId}.{csv|xlsx|xls}   uploaded return files (the validate trigger)
 *   reports/{uploadId}.json | .csv | .xlsx      validation reports (.xlsx: the annotated copy of the rows)
 *   reports/registry/{time}.json                registry import reports
 *   registry/units.csv                          the registry (the registry trigger, exact key only)
 *   bulletins/{scope}/{YYYY-MM}/jianbao-…-r{n}-{digest}.pdf   送审稿 revisions (…-c{e}-r{n}-… for a 更正's)
 *   bulletins/{scope}/{YYYY-MM}/input-…-r{n}-{digest}.json    the input each revision was composed from
 *   bulletins/{scope}/{YYYY-MM}/jianbao-{scope}-{YYYY}-no{期号}.pdf   issued bulletins
 *
 * S3 event records carry keys URL-encoded with '+' for spaces: decodeEventKey is the only place
 * that undoes it.
 */
import type { Month } from "./domain/periods.ts";

/** What an upload id may look like (it becomes part of S3 keys and report names). */
export const UPLOAD_ID = /^[A-Za-z0-9_-]{6,80}$/;

export const INCOMING_PREFIX = "incoming/";
export const REGISTRY_KEY = "registry/units.csv";

/** The suffixes an upload's key may end in (one S3 trigger rule each in serverless.yml). */
export const UPLOAD_FORMATS = ["csv", "xlsx", "xls"] as const;
export type UploadFormat = (typeof UPLOAD_FORMATS)[number];

const INCOMING = new RegExp(
  `^incoming/([^/]+)/([^/]+)/(${UPLOAD_ID.source.slice(1, -1)})\\.(${UPLOAD_FORMATS.join("|")})$`,
);

export interface UploadKey {
  readonly scope: string;
  readonly period: string;
  readonly uploadId: string;
  /** What the name says; the pipeline reads the content by what it is, whatever the suffix. */
  readonly format: UploadFormat;
}

/** An S3 event's object key as stored ('+' is a space, the rest percent-encoded); undefined if malformed. */
export function decodeEventKey(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

/** The parts of an incoming/ key (already decoded), or undefined when it is not one. */
export function parseUploadKey(key: string): UploadKey | undefined {
  const m = INCOMING.exec(key);
  return m
    ? {
        scope: m[1] as string,
        period: m[2] as string,
        uploadId: m[3] as string,
        format: m[4] as UploadFormat,
      }
    : undefined;
}

export function uploadKey(
  scope: string,
  period: string,
  uploadId: string,
  format: UploadFormat = "csv",
): string {
  return `${INCOMING_PREFIX}${scope}/${period}/${uploadId}.${format}`;
}

export function reportKeys(uploadId: string): { json: string; csv: string; xlsx: string; waiting: string } {
  return {
    json: `reports/${uploadId}.json`,
    csv: `reports/${uploadId}.csv`,
    xlsx: `reports/${uploadId}.xlsx`,
    // The header and the rows waiting for a 说明, as read from the file (提交说明 resubmits them).
    waiting: `reports/${uploadId}.waiting.json`,
  };
}

/** The upload format a file name implies (.xlsm is an .xlsx with macros, which are ignored). */
export function formatOfFileName(name: string | undefined): UploadFormat {
  const ext = /\.([A-Za-z]+)$/.exec(name ?? "")?.[1]?.toLowerCase();
  if (ext === "xlsx" || ext === "xlsm") return "xlsx";
  if (ext === "xls") return "xls";
  return "csv";
}

/** The Content-Type an upload of each format is PUT with. */
export const UPLOAD_CONTENT_TYPES: Record<UploadFormat, string> = {
  csv: "text/csv",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  xls: "application/vnd.ms-excel",
};

/** Where a registry import's report goes (one per import, by the event time). */
export function registryReportKey(eventTime: string): string {
  return `reports/registry/${eventTime.replace(/[:.]/g, "-")}.json`;
}

/**
 * A 送审稿 revision's objects carry a digest of their content: two renders racing for one revision
 * never overwrite each other's PDF or input (the one whose record write wins is the one kept).
 */
function revisionStem(
  scope: string,
  month: Month,
  revision: number,
  edition: number,
  digest: string,
): string {
  return `${scope}-${month}${edition ? `-c${edition}` : ""}-r${revision}${digest ? `-${digest}` : ""}`;
}

/** A 送审稿 revision's PDF (edition 0 is the month's bulletin, 1… its 更正). */
export function bulletinKey(scope: string, month: Month, revision: number, edition = 0, digest = ""): string {
  return `bulletins/${scope}/${month}/jianbao-${revisionStem(scope, month, revision, edition, digest)}.pdf`;
}

/** The input a 送审稿 revision was composed from: the issued PDF is composed from the signed one's. */
export function bulletinInputKey(
  scope: string,
  month: Month,
  revision: number,
  edition = 0,
  digest = "",
): string {
  return `bulletins/${scope}/${month}/input-${revisionStem(scope, month, revision, edition, digest)}.json`;
}

/** An issued bulletin: one object per 期号 (unique per scope and year), written once. */
export function issuedBulletinKey(scope: string, month: Month, year: number, issueNumber: number): string {
  return `bulletins/${scope}/${month}/jianbao-${scope}-${year}-no${issueNumber}.pdf`;
}

/** Which handler an object key belongs to: the trigger rules of serverless.yml, as a function. */
export function triggerOf(key: string): "validate" | "registry" | undefined {
  if (key.startsWith(INCOMING_PREFIX) && UPLOAD_FORMATS.some((f) => key.endsWith(`.${f}`))) return "validate";
  if (key === REGISTRY_KEY) return "registry";
  return undefined;
}
