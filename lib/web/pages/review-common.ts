/**
 * The 逐级审核 answers several pages read (审核, 本月填报, 历史, 上传), fetched one way: a
 * deployment without review (APPROVAL_LEVELS=0, the API's E_REVIEW_OFF) is an answer, not an error.
 */
import { refusal } from "../bridge.ts";
import { type PageContext, PageError, type Query } from "../context.ts";
import { isClosed, type LockView, type ReviewsAnswer, type ReviewUnit } from "../reviews.ts";

/** Review is switched off here: the API's message says so. */
export class ReviewOff {
  constructor(readonly message: string) {}
}

export async function fetchReviews(ctx: PageContext, query: Query): Promise<ReviewsAnswer | ReviewOff> {
  const response = await ctx.apiResponse("GET", "/v1/reviews", { query });
  if (response.statusCode === 200) return JSON.parse(response.body) as ReviewsAnswer;
  const err = refusal(response);
  if (err instanceof PageError && err.code === "E_REVIEW_OFF") return new ReviewOff(err.message);
  throw err;
}

export interface UnitMonthReview {
  readonly unit: ReviewUnit | undefined;
  /** The locks of the 片区 the month is confirmed in that refuse uploads now. */
  readonly closed: readonly LockView[];
}

/** A unit's (or a 片区's own) review state for a month; undefined when review is off. */
export async function monthReview(
  ctx: PageContext,
  scope: string,
  month: string,
): Promise<UnitMonthReview | undefined> {
  const answer = await fetchReviews(ctx, { scope, period: month, limit: "1" });
  if (answer instanceof ReviewOff) return undefined;
  return {
    unit: answer.units.find((u) => u.code === scope),
    closed: answer.locks.filter((l) => isClosed(l)),
  };
}
