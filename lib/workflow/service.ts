/**
 * 逐级审核 as operations over the ports: the states of a scope's returns for a month, a 片区's
 * decision on one return, and 市级确认 (confirm and lock) or unlock of a 片区's month.
 */
import type { Month } from "../domain/periods.ts";
import type { Registry, Unit } from "../domain/registry.ts";
import { DangjianError } from "../errors.ts";
import type { DecisionOutcome, ReturnReads, ReviewStore } from "../ports.ts";
import { mapLimit } from "../support/concurrency.ts";
import type { StoredReturn } from "../write/plan.ts";
import {
  appendHistory,
  blockingUnits,
  isLocked,
  type LockRecord,
  type ReturnState,
  type ReviewAction,
  type ReviewRecord,
  returnState,
} from "./review.ts";

export interface WorkflowDeps {
  readonly returns: Pick<ReturnReads, "unitReturns" | "childReturns">;
  readonly reviews: ReviewStore;
  readonly registry: Registry;
}

/** A refusal the caller can act on (409 at the API): stale version, locked month, units not approved. */
export class WorkflowConflict extends DangjianError {
  constructor(
    code: "E_STALE_VERSION" | "E_PERIOD_LOCKED" | "E_NOT_APPROVED" | "E_NOT_LOCKED" | "E_NO_RETURN",
    message: string,
    readonly units: readonly string[] = [],
  ) {
    super(code, message);
  }
}

export interface UnitReview {
  readonly unit: Unit;
  readonly state: ReturnState;
  /** The stored return's version (what an approval must name), when there is one. */
  readonly version: string | null;
  readonly submittedAt: string | null;
  readonly review: ReviewRecord | undefined;
}

export interface ScopeReview {
  readonly month: Month;
  readonly units: readonly UnitReview[];
  /** The lock of each 片区 in the scope (only those with a lock record). */
  readonly locks: readonly LockRecord[];
}

const READS = 8;

/** Every reporting unit under `scope` with its state for the month (reads O(units in scope)). */
export async function scopeReview(deps: WorkflowDeps, scope: string, month: Month): Promise<ScopeReview> {
  const leaves = deps.registry.leavesUnder(scope);
  const parents = [...new Set(leaves.map((u) => u.parentCode).filter((p): p is string => p !== null))];
  const [returns, reviews, locks] = await Promise.all([
    mapLimit(parents, READS, (p) => deps.returns.childReturns(p, month)),
    mapLimit(parents, READS, (p) => deps.reviews.reviewsUnder(p, month)),
    mapLimit(parents, READS, (p) => deps.reviews.getLock(p, month)),
  ]);
  const reviewOf = new Map(reviews.flat().map((r) => [r.unit, r]));
  const returnOf = new Map(returns.flat().map((r) => [r.unit, r]));
  const lockOf = new Map(parents.map((p, i) => [p, locks[i]]));
  const units = leaves.map((unit) => {
    const ret = returnOf.get(unit.code);
    const review = reviewOf.get(unit.code);
    return {
      unit,
      state: returnState(ret?.version, review, lockOf.get(unit.parentCode ?? "")),
      version: ret?.version ?? null,
      submittedAt: ret?.submittedAt ?? null,
      review,
    };
  });
  return { month, units, locks: locks.filter((l): l is LockRecord => l !== undefined) };
}

export interface DecisionRequest {
  readonly unit: string;
  readonly month: Month;
  readonly action: ReviewAction;
  /** The version the reviewer looked at (from the states list): approving another is refused. */
  readonly version: string;
  readonly by: string;
  readonly reason?: string | undefined;
  readonly at: Date;
}

/** A 片区's decision on one return (approve, or return for changes with a reason the unit sees). */
export async function decide(deps: WorkflowDeps, request: DecisionRequest): Promise<DecisionOutcome> {
  const scope = deps.registry.get(request.unit)?.parentCode;
  if (!scope) throw new WorkflowConflict("E_NO_RETURN", `“${request.unit}”不是报送单位。`);
  const previous = await deps.reviews.getReview(scope, request.unit, request.month);
  const at = request.at.toISOString();
  const record: ReviewRecord = {
    scope,
    unit: request.unit,
    month: request.month,
    action: request.action,
    version: request.version,
    by: request.by,
    at,
    reason: request.reason,
    history: appendHistory(previous?.history, {
      action: request.action,
      version: request.version,
      by: request.by,
      at,
      reason: request.reason,
    }),
  };
  const outcome = await deps.reviews.decide(record);
  if (outcome === "stale") {
    throw new WorkflowConflict(
      "E_STALE_VERSION",
      "该单位已重新上传,审核的不是最新版本;请刷新后审核最新报送的数据。",
      [request.unit],
    );
  }
  if (outcome === "locked") {
    throw new WorkflowConflict("E_PERIOD_LOCKED", "该月已市级确认锁定,不能再审核;如需更改,请先解锁。", [
      request.unit,
    ]);
  }
  return outcome;
}

/**
 * 市级确认 of a 片区's month: the month is locked first ("locking": uploads and decisions are
 * refused from that moment), then every reporting unit is checked; if one is not approved (or was
 * returned) the lock is released and the units are named, else the month is locked with the units
 * that never reported recorded as 未报.
 */
export async function confirmMonth(
  deps: WorkflowDeps,
  scope: string,
  month: Month,
  by: string,
  now: Date,
): Promise<LockRecord> {
  const previous = await deps.reviews.getLock(scope, month);
  if (previous?.state === "locked") return previous;
  const at = now.toISOString();
  const history = appendHistory(previous?.history, { action: "confirm", version: null, by, at });
  const locking: LockRecord = { scope, month, state: "locking", by, at, unreported: [], history };
  if (!(await deps.reviews.moveLock(locking, [undefined, "open"]))) {
    const now2 = await deps.reviews.getLock(scope, month);
    if (now2?.state === "locked") return now2;
    throw new WorkflowConflict("E_PERIOD_LOCKED", "该月正在由他人确认,请稍后刷新。");
  }
  const review = await scopeReview(deps, scope, month);
  const blocking = blockingUnits(review.units.map((u) => ({ code: u.unit.code, state: u.state })));
  if (blocking.length) {
    await deps.reviews.moveLock({ ...locking, state: "open", history: previous?.history ?? [] }, ["locking"]);
    const names = review.units.filter((u) => blocking.includes(u.unit.code)).map((u) => u.unit.name);
    throw new WorkflowConflict(
      "E_NOT_APPROVED",
      `还有${blocking.length}个单位的月报未经片区审核通过:${names.slice(0, 10).join("、")}${names.length > 10 ? "等" : ""}。`,
      blocking,
    );
  }
  const locked: LockRecord = {
    ...locking,
    state: "locked",
    unreported: review.units.filter((u) => u.state === "missing").map((u) => u.unit.code),
  };
  if (!(await deps.reviews.moveLock(locked, ["locking"]))) {
    throw new WorkflowConflict("E_PERIOD_LOCKED", "确认过程中锁定状态被他人更改,请刷新后重试。");
  }
  return locked;
}

/** Opens a confirmed month again (ops, with a reason kept on record). */
export async function unlockMonth(
  deps: WorkflowDeps,
  scope: string,
  month: Month,
  by: string,
  reason: string,
  now: Date,
): Promise<LockRecord> {
  const previous = await deps.reviews.getLock(scope, month);
  if (!previous || !isLocked(previous)) {
    throw new WorkflowConflict("E_NOT_LOCKED", "该月尚未市级确认,无需解锁。");
  }
  const at = now.toISOString();
  const open: LockRecord = {
    ...previous,
    state: "open",
    by,
    at,
    reason,
    history: appendHistory(previous.history, { action: "unlock", version: null, by, at, reason }),
  };
  if (!(await deps.reviews.moveLock(open, [previous.state]))) {
    throw new WorkflowConflict("E_PERIOD_LOCKED", "锁定状态已被他人更改,请刷新后重试。");
  }
  return open;
}
