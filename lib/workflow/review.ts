/**
 * 逐级审核 as data: what a 片区 decided about a unit's return (approved, or returned for changes,
 * always about one specific version), and whether a 片区's month is locked by 市级确认. A return's
 * state is derived from those and the stored return, never stored beside it, so a re-upload (a new
 * version) is back to 已接收 by itself and nobody can approve a version they did not look at.
 */
import type { Month } from "../domain/periods.ts";
import type { Registry } from "../domain/registry.ts";

export type ReviewAction = "approve" | "return";

/** One transition on the record: who, when, why, about which version. */
export interface ReviewEvent {
  readonly action: ReviewAction | "confirm" | "unlock";
  readonly version: string | null;
  readonly by: string;
  readonly at: string;
  readonly reason?: string | undefined;
}

/** The latest 片区 decision on a unit's month, and every decision before it. */
export interface ReviewRecord {
  /** The unit's 片区 (direct parent): decisions and locks are kept per 片区 and month. */
  readonly scope: string;
  readonly unit: string;
  readonly month: Month;
  readonly action: ReviewAction;
  /** The return version (submittedAt#uploadId) the decision is about. */
  readonly version: string;
  readonly by: string;
  readonly at: string;
  readonly reason?: string | undefined;
  readonly history: readonly ReviewEvent[];
}

/**
 * A 片区's month under 市级确认: "locking" while the confirmation checks every unit (uploads are
 * already refused), "locked" once confirmed, "open" after an unlock.
 */
export interface LockRecord {
  readonly scope: string;
  readonly month: Month;
  readonly state: "locking" | "locked" | "open";
  readonly by: string;
  readonly at: string;
  readonly reason?: string | undefined;
  /** Reporting units without a return when the month was confirmed (recorded as 未报). */
  readonly unreported: readonly string[];
  readonly history: readonly ReviewEvent[];
}

export type ReturnState = "missing" | "received" | "approved" | "returned" | "confirmed";

export const STATE_NAMES: Record<ReturnState, string> = {
  missing: "未报送",
  received: "已接收",
  approved: "片区审核通过",
  returned: "退回修改",
  confirmed: "市级确认",
};

/** A lock that refuses uploads and decisions (confirming or confirmed). */
export function isLocked(lock: Pick<LockRecord, "state"> | undefined): boolean {
  return lock !== undefined && lock.state !== "open";
}

/** The state of a unit's month from its stored return's version, the 片区 decision and the lock. */
export function returnState(
  version: string | undefined,
  review: Pick<ReviewRecord, "action" | "version"> | undefined,
  lock: Pick<LockRecord, "state"> | undefined,
): ReturnState {
  if (lock?.state === "locked") return version ? "confirmed" : "missing";
  if (!version) return "missing";
  if (review && review.version === version) return review.action === "approve" ? "approved" : "returned";
  return "received";
}

/** The scope a unit's returns are confirmed and locked in: its direct parent (片区/系统). */
export function lockScopeOf(registry: Registry, unit: string): string | undefined {
  return registry.get(unit)?.parentCode ?? undefined;
}

/** Units that stand in the way of confirming a 片区's month: received or returned, not approved. */
export function blockingUnits(
  units: readonly { readonly code: string; readonly state: ReturnState }[],
): string[] {
  return units.filter((u) => u.state === "received" || u.state === "returned").map((u) => u.code);
}

/** At most this many transitions are kept on one record (a month has a handful). */
export const MAX_HISTORY = 50;

export function appendHistory(
  history: readonly ReviewEvent[] | undefined,
  event: ReviewEvent,
): ReviewEvent[] {
  return [...(history ?? []), event].slice(-MAX_HISTORY);
}
