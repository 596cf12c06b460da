/**
 * 逐级审核 states as every page shows them: a tag with the state written out (the API's names;
 * for the unit itself 已接收 says it waits for its 片区), a 片区's lock in words, and the box
 * that tells a unit why its return came back.
 */
import { monthLabel } from "../../domain/periods.ts";
import { STATE_NAMES } from "../../workflow/review.ts";
import { html, type SafeHtml } from "../html.ts";
import type { LockView, ReviewStateCode } from "../reviews.ts";
import { W } from "../wording.ts";
import { beijingTime, notice, type TagKind, tag } from "./components.ts";

const KINDS: Record<ReviewStateCode, TagKind> = {
  missing: "neutral",
  received: "busy",
  approved: "ok",
  returned: "bad",
  confirmed: "ok",
};

export function reviewTag(state: ReviewStateCode, audience: "reviewer" | "unit" = "reviewer"): SafeHtml {
  const text = audience === "unit" && state === "received" ? W.month.awaiting : STATE_NAMES[state];
  return tag(text, KINDS[state]);
}

/** The lock of a 片区's month in words: 未确认, 正在确认, 已确认锁定(who, when), 已解锁(who, when). */
export function lockText(lock: LockView | undefined): string {
  if (!lock) return W.reviews.lockNone;
  if (lock.state === "locking") return W.reviews.locking;
  if (lock.state === "locked") return W.reviews.locked(lock.by, beijingTime(lock.at));
  return W.reviews.unlocked(lock.by, beijingTime(lock.at));
}

/** What a unit reads when its 片区 returned the month's return: the reason, in the 片区's words. */
export function returnedNotice(reason: string | null, recordHref: string): SafeHtml {
  return notice(
    html`<p><strong>${W.month.returnedReason}:</strong><span class="prose">${reason ?? W.dash}</span></p>
<p>${W.month.returnedTodo} <a href="${recordHref}">${W.month.reviewRecord}</a></p>`,
    "warning",
  );
}

/** The upload page's warning for a month its 片区 has confirmed (or is confirming). */
export type LockNotice = LockView & { readonly scopeName: string };

export function lockedNotice(month: string, locks: readonly LockNotice[]): SafeHtml {
  if (!locks.length) return html``;
  return notice(
    html`${locks.map(
      (l) =>
        html`<p>${
          l.state === "locking"
            ? W.upload.locking(monthLabel(month), l.scopeName)
            : W.upload.locked(monthLabel(month), l.scopeName, l.by, beijingTime(l.at))
        }</p>`,
    )}`,
    "warning",
  );
}

export function recordHref(unit: string, month: string): string {
  return `/web/reviews/${encodeURIComponent(unit)}/${encodeURIComponent(month)}`;
}
