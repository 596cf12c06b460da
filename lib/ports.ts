/**
 * The storage the domain needs, as interfaces. lib/aws/ implements them over DynamoDB and S3;
 * the pipeline, API and bulletin code depend only on these.
 */

import type { Month } from "./domain/periods.ts";
import type { Unit } from "./domain/registry.ts";
import type { ValidationReport } from "./ingest/report.ts";
import type { LockRecord, ReviewRecord } from "./workflow/review.ts";
import type { Counters, MonthRollup } from "./write/aggregate.ts";
import type { ReturnWrite, StoredReturn } from "./write/plan.ts";

/**
 * received → validated → aggregated, or rejected; failed when processing gave up after every retry
 * (the dead-letter consumer marks it; `dangjian redrive` runs it again).
 */
export type UploadStatus = "received" | "validated" | "aggregated" | "rejected" | "failed";

/** Statuses after which an upload's object is finished with (a redelivered event changes nothing). */
export const FINISHED_STATUSES: ReadonlySet<UploadStatus> = new Set(["aggregated", "rejected"]);

export interface UploadRecord {
  readonly uploadId: string;
  /** The registry node the upload was made for (the S3 key's prefix): a unit or a scope. */
  readonly scope: string;
  readonly key: string;
  readonly status: UploadStatus;
  readonly receivedAt: string;
  readonly updatedAt: string;
  readonly uploadedBy?: string | undefined;
  readonly fileName?: string | undefined;
  readonly bytes?: number | undefined;
  readonly encoding?: string | null | undefined;
  readonly reportStatus?: ValidationReport["status"] | undefined;
  readonly summary?: ValidationReport["summary"] | undefined;
  readonly reportKey?: string | undefined;
  /** What happened to the accepted returns: inserted / replaced / duplicate / stale. */
  readonly applied?: Readonly<Record<string, number>> | undefined;
  /** Why the upload failed or was refused, in Chinese (shown to the unit). */
  readonly error?: string | undefined;
  /** The S3 object ETag the record describes: the one object this upload accepted. */
  readonly eTag?: string | undefined;
  /** When S3 received the object (the S3 event's time): decides 及时, and a redrive reuses it. */
  readonly objectTime?: string | undefined;
}

/** DynamoDB's limit on the items of one transaction: plans are packed to it. */
export const MAX_TRANSACTION_ITEMS = 100;

export interface RollupWrite {
  readonly scope: string;
  readonly month: Month;
  readonly shard: number;
  readonly counters: Counters;
}

/** The unit registry as stored (units.csv imported). */
export interface RegistryStore {
  loadRegistry(): Promise<readonly Unit[]>;
  /** Replaces the registry and stamps a new registry version. */
  saveRegistry(units: readonly Unit[]): Promise<void>;
  /** The stamp of the registry currently stored (changes with every saveRegistry). */
  registryVersion(): Promise<string | undefined>;
}

/** A span of months, both ends included. */
export interface MonthSpan {
  readonly from: Month;
  readonly to: Month;
}

/** A run of unit codes, both ends included (codes compare as strings, as the index sorts them). */
export interface CodeSpan {
  readonly first: string;
  readonly last: string;
}

/** Who filled in a unit's return, and when (the 催报 lists show the latest before a period). */
export interface ReporterContact {
  readonly period: Month;
  readonly reporter: string;
  readonly phone: string;
}

/** What the read side needs of the stored returns (the API caches exactly these). */
export interface ReturnReads {
  /**
   * Stored returns of a unit (any order): all of them (strongly consistent: the pipeline plans
   * against these), or only the months of `span`.
   */
  unitReturns(unit: string, span?: MonthSpan): Promise<StoredReturn[]>;
  /**
   * One month's returns of the units whose direct parent (as recorded with the return) is
   * `parent`, optionally only units with codes in `units`: what a scope's lists read, parent by parent.
   */
  childReturns(parent: string, month: Month, units?: CodeSpan): Promise<StoredReturn[]>;
  /** 填报人 and 联系电话 of the unit's latest return before `month` (one item read), if it has one. */
  lastContact(unit: string, before: Month): Promise<ReporterContact | undefined>;
}

/** The stored returns, and the one way to change them: a transaction that moves rollups with them. */
export interface ReturnStore extends ReturnReads {
  /** Every stored return (reconcile over all months). */
  allReturns(): Promise<StoredReturn[]>;
  /**
   * Return items whose index keys are not the ones this layout gives them (written by an older
   * version); with `fix`, rewrites their keys (conditional on their revision). Returns how many.
   */
  reindex(fix: boolean): Promise<number>;
  /**
   * Writes return items (each conditional on the revision it read) and adds rollup deltas in one
   * all-or-nothing transaction (≤ MAX_TRANSACTION_ITEMS items). Throws WriteConflict when any condition fails.
   */
  applyTransaction(
    writes: readonly ReturnWrite[],
    rollups: readonly RollupWrite[],
    /** 片区-months that must not be locked (市级确认) when the transaction commits. */
    unlocked?: readonly LockKey[],
  ): Promise<void>;
}

/** A 片区's month, the unit of 市级确认. */
export interface LockKey {
  readonly scope: string;
  readonly month: Month;
}

/** What a review decision's write found. */
export type DecisionOutcome = "ok" | "unchanged" | "stale" | "locked";

/** 逐级审核: 片区 decisions on units' returns and 市级确认 locks on 片区 months. */
export interface ReviewStore {
  /** The decision on a unit's month; `scope` is the unit's 片区 (its direct parent). */
  getReview(scope: string, unit: string, month: Month): Promise<ReviewRecord | undefined>;
  /** Every decision on the units directly under a scope for a month (one query). */
  reviewsUnder(scope: string, month: Month): Promise<ReviewRecord[]>;
  /**
   * Writes a decision if the unit's stored return is still that version and its 片区's month is
   * not locked, in one transaction: an approval racing a re-upload either sees the new version
   * or fails cleanly ("stale").
   */
  decide(record: ReviewRecord): Promise<DecisionOutcome>;
  getLock(scope: string, month: Month): Promise<LockRecord | undefined>;
  /** Locks of a scope over months (the bulletin and confirmed figures). */
  locksOf(scope: string, from: Month, to: Month): Promise<LockRecord[]>;
  /**
   * Writes a lock record if the stored one is in `from` (undefined: none yet); false when another
   * writer changed it first.
   */
  moveLock(record: LockRecord, from: readonly (LockRecord["state"] | undefined)[]): Promise<boolean>;
}

/** What the read side needs of the rollups (the API caches exactly these). */
export interface RollupReads {
  /** Monthly rollups of a scope for months in [from, to], shards summed. */
  rollups(scope: string, from: Month, to: Month): Promise<MonthRollup[]>;
  /** The latest month with any data in a scope (year-to-date runs through it). */
  latestMonth(scope: string): Promise<Month | undefined>;
}

export interface RollupStore extends RollupReads {
  /** Raw counters per (scope, month), shards summed (reconcile compares these). */
  rollupCounters(scope: string, from: Month, to: Month): Promise<Map<Month, Counters>>;
  /** Every scope that has rollup items (reconcile). */
  rollupScopes(): Promise<string[]>;
  /** Replaces a scope-month's rollup with exact counters (reconcile --fix). */
  overwriteRollup(scope: string, month: Month, counters: Counters, shards: number): Promise<void>;
}

export interface UploadStore {
  putUpload(record: UploadRecord): Promise<void>;
  /**
   * Writes the record only if the stored one has accepted no object yet or this same object (its
   * eTag): one upload URL, one accepted object. False when another object got there first.
   */
  claimUpload(record: UploadRecord): Promise<boolean>;
  getUpload(uploadId: string): Promise<UploadRecord | undefined>;
  listUploads(scope: string | undefined, limit: number): Promise<UploadRecord[]>;
  /** Failed uploads of every scope, newest first (ops find and redrive them). */
  listFailed(limit: number): Promise<UploadRecord[]>;
}

export interface ObjectStore {
  getBytes(key: string): Promise<Uint8Array>;
  getStream(key: string): Promise<AsyncIterable<Uint8Array>>;
  put(key: string, body: Uint8Array | string, contentType: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** A time-limited download link (the bulletin notification, the API's links). */
  presignGet(key: string, seconds: number, fileName?: string): Promise<string>;
}

/** What a presigned POST policy allows: one content type, at most maxBytes. */
export interface PostLimits {
  readonly contentType: string;
  readonly maxBytes: number;
}

/** Where to POST and the form fields to send before the file (key, policy, signature …). */
export interface PresignedPostForm {
  readonly url: string;
  readonly fields: Record<string, string>;
}

/** Tells people a bulletin is ready (SNS in AWS: it exists in aws-cn, where SES does not). */
export interface Notifier {
  notify(subject: string, message: string): Promise<void>;
}

/** Reminders sent for a unit's month (催报次数 and 最后催报时间). */
export interface ReminderRecord {
  readonly scope: string;
  readonly unit: string;
  readonly month: Month;
  readonly count: number;
  readonly lastAt: string;
  readonly channel: string;
}

/** 催报 on the record: one reminder per unit and day however often the schedule runs. */
export interface ReminderStore {
  /** Takes the right to send a 片区's reminder for a day; false when a run already did. */
  claimDay(scope: string, month: Month, day: string, at: string): Promise<boolean>;
  /** Gives the day back when sending failed, so the next run tries again. */
  releaseDay(scope: string, month: Month, day: string): Promise<void>;
  /** Counts a reminder of a unit for the day (a second call for the same day changes nothing). */
  recordReminder(
    scope: string,
    unit: string,
    month: Month,
    day: string,
    at: string,
    channel: string,
  ): Promise<void>;
  /** Every unit's reminders under a 片区 for a month. */
  remindersUnder(scope: string, month: Month): Promise<ReminderRecord[]>;
}

export type Role = "ops" | "unit";

/** An API key as stored: only its SHA-256 hash, never the key itself. */
export interface ApiKeyRecord {
  /** Short public id shown in listings and used to revoke (the key's second segment). */
  readonly keyId: string;
  readonly hash: string;
  readonly role: Role;
  /** For unit keys: the registry node whose subtree the key may upload for and read. */
  readonly unit: string | null;
  readonly label?: string | undefined;
  readonly createdAt: string;
  readonly revokedAt?: string | undefined;
}

export interface KeyStore {
  getKeyByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  /** By the public key id (the pipeline checks that an upload's issuing key still stands). */
  getKeyById(keyId: string): Promise<ApiKeyRecord | undefined>;
  putKey(record: ApiKeyRecord): Promise<void>;
  listKeys(): Promise<ApiKeyRecord[]>;
  /** Marks a key revoked; false when no key has that id. */
  revokeKey(keyId: string, at: string): Promise<boolean>;
}

/**
 * A portal login: the browser holds a random token in an HttpOnly cookie, the table only its
 * SHA-256. The session carries the key it was opened with, so revoking the key ends it.
 */
export interface SessionRecord {
  readonly tokenHash: string;
  readonly keyId: string;
  /** The API key's stored hash: every check reads the key again (revocation, role). */
  readonly keyHash: string;
  readonly role: Role;
  readonly unit: string | null;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  /** Epoch seconds after which the session is over (also DynamoDB's TTL attribute). */
  readonly expiresAt: number;
}

/** Failed logins of one client (by a hash of its address) within the current window. */
export interface LoginFailures {
  readonly count: number;
  readonly lastAt: string;
}

export interface SessionStore {
  putSession(record: SessionRecord): Promise<void>;
  getSession(tokenHash: string): Promise<SessionRecord | undefined>;
  /** Moves the idle expiry forward (written at most every few minutes, not on every request). */
  touchSession(tokenHash: string, lastSeenAt: string, expiresAt: number): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
  /** The client's failures in the current window (undefined when none or the window has passed). */
  loginFailures(client: string, now: Date): Promise<LoginFailures | undefined>;
  /** Counts one more failure; the record expires `windowSeconds` after the last one. */
  recordLoginFailure(client: string, at: Date, windowSeconds: number): Promise<LoginFailures>;
  clearLoginFailures(client: string): Promise<void>;
}

/**
 * A bulletin's life (issue 14, 审签): a 送审稿 (draft, no 期号) that editors may revise and re-render;
 * 签发 (signed) takes the next 期号 of the scope's year and freezes it; issued once the final PDF is
 * stored, after which leadership is told. Records written before 审签 existed carry no status: they
 * were issued when rendered.
 */
export type BulletinStatus = "draft" | "signed" | "issued";

/** What editors changed in a 送审稿, kept with the bulletin (not in the wording) so re-renders keep it. */
export interface BulletinEdits {
  /** Replaces the generated 编者按 paragraph (plain text as typed; typeset when composed). */
  readonly editorNote?: string | undefined;
  /** The 典型案例 chosen by the editors: unit codes of the month's 亮点工作, in print order. */
  readonly cases?: readonly string[] | undefined;
  /** An editor's 按语, printed at the head of the 典型案例 section. */
  readonly comment?: string | undefined;
  readonly editedBy?: string | undefined;
  readonly editedAt?: string | undefined;
}

/** Who signed which revision of the draft, and when (the 签发 date is the masthead date). */
export interface BulletinSignature {
  /** 签发人, as entered. */
  readonly signer: string;
  /** The API key id (or "cli:<user>") that recorded the signature. */
  readonly signedBy: string;
  readonly signedAt: string;
  /** Beijing date of signedAt, "2026-11-06": printed on the masthead and in the 报尾. */
  readonly issueDate: string;
  /** The draft revision that was signed: the issued PDF is that revision's content. */
  readonly revision: number;
}

/** What a 更正 corrects: an issued edition of the same scope and month. */
export interface BulletinCorrection {
  readonly edition: number;
  readonly issueNumber: number;
  readonly issueDate: string;
  /** What is corrected, in the editors' words. */
  readonly reason: string;
}

export interface BulletinRecord {
  readonly scope: string;
  readonly period: Month;
  /** 期号 within the year for this scope; 0 until 签发 assigns one. */
  readonly issueNumber: number;
  /** Renders of the draft (the issued PDF keeps the number of the revision signed). */
  readonly revision: number;
  /** The PDF: the latest draft revision, and the issued PDF once issued. "" before the first render. */
  readonly key: string;
  readonly pages: number;
  readonly bytes: number;
  readonly renderMs: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Absent on records from before 审签 (they are issued). */
  readonly status?: BulletinStatus | undefined;
  /** 0: the month's bulletin; 1, 2 …: 更正 issued after it. */
  readonly edition?: number | undefined;
  readonly edits?: BulletinEdits | undefined;
  /** Counts edits; the draft PDF shows edits up to renderedEditVersion. */
  readonly editVersion?: number | undefined;
  readonly renderedEditVersion?: number | undefined;
  /** The bulletin input the current revision was composed from (JSON): the issued PDF is made from it. */
  readonly inputKey?: string | undefined;
  /** The 典型案例 the current revision prints (unit codes, in order): the editors' or the automatic choice. */
  readonly printedCases?: readonly string[] | undefined;
  readonly signature?: BulletinSignature | undefined;
  readonly correction?: BulletinCorrection | undefined;
  readonly issuedAt?: string | undefined;
  /** When leadership was told of the issued bulletin. */
  readonly notifiedAt?: string | undefined;
}

/** A conditional write that lost: the record as it is now (undefined when there is none). */
export interface BulletinWriteConflict {
  readonly conflict: true;
  readonly current: BulletinRecord | undefined;
}

export type BulletinWrite =
  | { readonly conflict: false; readonly record: BulletinRecord }
  | BulletinWriteConflict;

/** The rendered draft a render stores: its PDF and input objects already written. */
export interface DraftRender {
  readonly key: string;
  readonly inputKey: string;
  readonly pages: number;
  readonly bytes: number;
  readonly renderMs: number;
  /** The edits this render composed (their version). */
  readonly editVersion: number;
  /** The 典型案例 the revision prints (unit codes, in order). */
  readonly printedCases: readonly string[];
  readonly at: string;
}

export interface BulletinStore {
  /** One edition of a month's bulletin (default the month's own, edition 0). */
  getBulletin(scope: string, period: Month, edition?: number): Promise<BulletinRecord | undefined>;
  /** Every edition of a month, oldest first. */
  listEditions(scope: string, period: Month): Promise<BulletinRecord[]>;
  /** The scope's bulletins, newest month first (corrections before the edition they correct), at most `limit`. */
  listBulletins(scope: string, limit?: number): Promise<BulletinRecord[]>;
  /** Writes a record as is (imports, tests): no state checks. */
  putBulletin(record: BulletinRecord): Promise<void>;
  /** Creates a draft edition; conflict when that edition exists. */
  createDraft(record: BulletinRecord): Promise<BulletinWrite>;
  /**
   * Records a new draft revision, only while the record is a draft still at `revision` and with
   * the edits the render used (a concurrent edit or render makes it a conflict).
   */
  saveDraftRender(current: BulletinRecord, render: DraftRender): Promise<BulletinWrite>;
  /** Stores edits on a draft (conflict unless it is a draft, and at `editVersion` when given). */
  saveEdits(
    scope: string,
    period: Month,
    edition: number,
    edits: BulletinEdits,
    expectedEditVersion?: number,
  ): Promise<BulletinWrite>;
  /**
   * 签发: in one transaction, the scope-year's 期号 counter goes from n to n+1 and the draft (still
   * at the signed revision, with no unrendered edits) becomes signed with 期号 n+1. Either both or
   * neither: a number is used only by a signed bulletin, and never twice.
   */
  signBulletin(
    scope: string,
    period: Month,
    edition: number,
    signature: BulletinSignature,
  ): Promise<BulletinWrite>;
  /** signed → issued with the final PDF (conflict unless signed). */
  markIssued(
    current: BulletinRecord,
    pdf: { key: string; pages: number; bytes: number; renderMs: number },
    at: string,
  ): Promise<BulletinWrite>;
  /** Notes that leadership was told (once: conflict if already noted or not issued). */
  markNotified(current: BulletinRecord, at: string): Promise<BulletinWrite>;
  /** The last 期号 used in a scope's year (0 when none). */
  lastIssueNumber(scope: string, year: number): Promise<number>;
}

/** Every store, as the services create them (one per concern, all over the one table). */
export interface Stores {
  readonly registry: RegistryStore;
  readonly returns: ReturnStore;
  readonly rollups: RollupStore;
  readonly uploads: UploadStore;
  readonly keys: KeyStore;
  readonly bulletins: BulletinStore;
  readonly reviews: ReviewStore;
  readonly sessions: SessionStore;
  readonly reminders: ReminderStore;
}
