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

export interface BulletinRecord {
  readonly scope: string;
  readonly period: Month;
  /** 期号 within the year for this scope; kept when the bulletin is rendered again. */
  readonly issueNumber: number;
  readonly revision: number;
  readonly key: string;
  readonly pages: number;
  readonly bytes: number;
  readonly renderMs: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface BulletinStore {
  getBulletin(scope: string, period: Month): Promise<BulletinRecord | undefined>;
  listBulletins(scope: string): Promise<BulletinRecord[]>;
  /** The 期号 for (scope, period): the stored one, or the next number of the scope's year. */
  issueNumberFor(scope: string, period: Month): Promise<number>;
  putBulletin(record: BulletinRecord): Promise<void>;
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
