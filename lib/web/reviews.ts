/**
 * 逐级审核 as the pages see it: the shapes of GET /v1/reviews and GET /v1/reviews/{unit}/{period},
 * and pure derivations from them — which scopes are confirmed as one (片区), which decisions a
 * row offers, what a lock says. The states and rules themselves are the API's (lib/workflow).
 */
import type { z } from "zod";
import type {
  lockSchema,
  reviewHistorySchema,
  reviewStateSchema,
  reviewsSchema,
  unitSchema,
} from "../api/schemas.ts";

type UnitEntry = z.output<typeof unitSchema>;

export type ReviewStateCode = z.output<typeof reviewStateSchema>;
export type ReviewsAnswer = z.output<typeof reviewsSchema>;
export type ReviewUnit = ReviewsAnswer["units"][number];
export type LockView = z.output<typeof lockSchema>;
export type ReviewHistoryAnswer = z.output<typeof reviewHistorySchema>;
export type ReviewEventView = ReviewHistoryAnswer["history"][number];

export const STATE_ORDER: readonly ReviewStateCode[] = [
  "missing",
  "received",
  "approved",
  "returned",
  "confirmed",
];

/** A lock that refuses uploads and decisions (being confirmed, or confirmed). */
export function isClosed(lock: Pick<LockView, "state"> | undefined): boolean {
  return lock !== undefined && lock.state !== "open";
}

/**
 * The scopes months are confirmed in: nodes whose children are all 报送单位 (the API refuses
 * 市级确认 of any other), under and including `under`, in registry order.
 */
export function lockScopes(units: readonly UnitEntry[], under: string): UnitEntry[] {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const inside = (u: UnitEntry): boolean => {
    for (let at: UnitEntry | undefined = u; at; at = at.parent ? byCode.get(at.parent) : undefined) {
      if (at.code === under) return true;
    }
    return false;
  };
  return units.filter(
    (u) =>
      !u.leaf && u.children.length > 0 && u.children.every((c) => byCode.get(c)?.leaf === true) && inside(u),
  );
}

/** Whether a scope's page lists units (it has 报送单位 right under it) or the 片区 under it. */
export function listsUnits(units: readonly UnitEntry[], scope: string): boolean {
  const node = units.find((u) => u.code === scope);
  if (!node || node.leaf) return false;
  const leaves = new Set(units.filter((u) => u.leaf).map((u) => u.code));
  return node.children.some((c) => leaves.has(c));
}

/** The decisions a row offers: not the one already made, none without a return or once locked. */
export function decisionsFor(state: ReviewStateCode): readonly ("approve" | "return")[] {
  switch (state) {
    case "received":
      return ["approve", "return"];
    case "approved":
      return ["return"];
    case "returned":
      return ["approve"];
    default:
      return [];
  }
}

/** The lock of one scope among an answer's locks (absent: never confirmed). */
export function lockOf(answer: Pick<ReviewsAnswer, "locks">, scope: string): LockView | undefined {
  return answer.locks.find((l) => l.scope === scope);
}
