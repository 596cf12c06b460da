/**
 * 审核 (a 片区's decisions on its units' returns, ops' 市级确认 and 解锁) and 审核记录. Every
 * decision is a plain form: POST here → the API (POST /v1/reviews or /v1/locks, as the viewer) →
 * 303 back to the page; a refusal (a re-upload since the page was shown, a locked month, units
 * still in the way, a missing reason) re-renders the page with the API's message at the form.
 */
import type { ApiResponse } from "../../api/http.ts";
import { mapLimit } from "../../support/concurrency.ts";
import { versionParts } from "../../write/plan.ts";
import { refusal, refusalDetails } from "../bridge.ts";
import { type PageContext, PageError, type Viewer } from "../context.ts";
import { redirect } from "../http.ts";
import { reportingMonth } from "../model.ts";
import {
  listsUnits,
  lockOf,
  lockScopes,
  type ReviewHistoryAnswer,
  type ReviewStateCode,
  STATE_ORDER,
} from "../reviews.ts";
import type { ErrorItem } from "../views/components.ts";
import { reviewHistoryView } from "../views/review-history.ts";
import { type AreaRow, type FormError, type ReviewsPageView, reviewsView } from "../views/reviews.ts";
import { W } from "../wording.ts";
import { monthParam, recentMonths, subtreeUnits } from "./common.ts";
import { fetchReviews, ReviewOff } from "./review-common.ts";
import { renderPage } from "./shell.ts";
import { formOf, type PageRoute } from "./types.ts";

const PER_PAGE = 50;
/** Units named one by one in the error summary when 市级确认 is refused (the API's message names ten). */
const BLOCKING_LISTED = 20;

interface PageState {
  readonly scope: string | undefined;
  readonly month: string;
  readonly offset: number;
  readonly errors?: readonly ErrorItem[];
  readonly done?: string | undefined;
  readonly rowErrors?: ReadonlyMap<string, FormError>;
  readonly lockErrors?: ReadonlyMap<string, FormError>;
}

/** The name a decision is recorded under (the API adds the key's id): the 片区, or 运维人员. */
function actorName(viewer: Viewer): string {
  return (viewer.isOps ? W.opsName : viewer.name).slice(0, 40);
}

function zeroCounts(): Record<ReviewStateCode, number> {
  return Object.fromEntries(STATE_ORDER.map((s) => [s, 0])) as Record<ReviewStateCode, number>;
}

async function reviewsPage(ctx: PageContext, state: PageState, status = 200): Promise<ApiResponse> {
  const { viewer } = ctx;
  if (viewer.leaf) throw new PageError(403, W.reviews.unitsOnly);
  const units = await subtreeUnits(ctx);
  const scopeCode = state.scope || viewer.code;
  const names = new Map(units.map((u) => [u.code, u.name]));
  const own = units.find((u) => u.code === viewer.code);
  const scopes = [
    ...(own ? [own] : []),
    ...lockScopes(units, viewer.code).filter((u) => u.code !== viewer.code),
  ];
  const base: Omit<ReviewsPageView, "scope" | "counts"> = {
    scopes,
    months: recentMonths(reportingMonth(ctx.now), 12),
    month: state.month,
    // Only hides forms the API would refuse: the API decides.
    mayConfirm: viewer.isOps || viewer.code === viewer.rootCode,
    errors: state.errors ?? [],
    lockErrors: state.lockErrors ?? new Map(),
  };
  const render = (view: ReviewsPageView) =>
    renderPage(ctx, { title: W.reviews.title, status, body: reviewsView(view) });
  const offPage = (off: ReviewOff) =>
    render({
      ...base,
      scope: { code: scopeCode, name: names.get(scopeCode) ?? scopeCode },
      counts: zeroCounts(),
      off: off.message,
    });

  // A scope outside the viewer's subtree is not in `units`: the API is asked and refuses it.
  if (!names.has(scopeCode) || listsUnits(units, scopeCode)) {
    const answer = await fetchReviews(ctx, {
      scope: scopeCode,
      period: state.month,
      offset: String(state.offset),
      limit: String(PER_PAGE),
    });
    if (answer instanceof ReviewOff) return offPage(answer);
    const confirmedHere = lockScopes(units, scopeCode).some((u) => u.code === scopeCode);
    const lock = lockOf(answer, scopeCode);
    const doneName = names.get(ctx.query.area ?? "") ?? names.get(ctx.query.unit ?? "");
    return render({
      ...base,
      scope: answer.scope,
      counts: answer.counts,
      done: state.done && doneName ? W.reviews.done[state.done]?.(doneName) : undefined,
      units: {
        rows: answer.units.map((u) => ({
          ...u,
          uploadId: u.version ? versionParts(u.version)?.uploadId : undefined,
        })),
        total: answer.total,
        offset: state.offset,
        limit: PER_PAGE,
        lock: confirmedHere ? { lock, unreported: lock?.unreported.length ?? 0 } : undefined,
        rowErrors: state.rowErrors ?? new Map(),
      },
    });
  }

  const areas = lockScopes(units, scopeCode);
  const answers = await mapLimit(areas, 4, (a) =>
    fetchReviews(ctx, { scope: a.code, period: state.month, limit: "1" }),
  );
  const off = answers.find((a): a is ReviewOff => a instanceof ReviewOff);
  if (off) return offPage(off);
  const counts = zeroCounts();
  const rows: AreaRow[] = areas.map((area, i) => {
    const answer = answers[i] as Exclude<(typeof answers)[number], ReviewOff>;
    for (const s of STATE_ORDER) counts[s] += answer.counts[s] ?? 0;
    return { code: area.code, name: area.name, counts: answer.counts, lock: lockOf(answer, area.code) };
  });
  const doneName = names.get(ctx.query.area ?? "");
  return render({
    ...base,
    scope: { code: scopeCode, name: names.get(scopeCode) ?? scopeCode },
    counts,
    done: state.done && doneName ? W.reviews.done[state.done]?.(doneName) : undefined,
    areas: rows,
  });
}

function offsetOf(value: string | null | undefined): number {
  const n = Number.parseInt(value ?? "0", 10);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

function reviewsHref(params: Record<string, string | undefined>, anchor = ""): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) query.set(k, v);
  return `/web/reviews?${query.toString()}${anchor}`;
}

export const reviewsListPage: PageRoute = {
  method: "GET",
  path: "/web/reviews",
  handle: (ctx) =>
    reviewsPage(ctx, {
      scope: ctx.query.scope,
      month: monthParam(ctx.query.period, reportingMonth(ctx.now)),
      offset: offsetOf(ctx.query.offset),
      done: ctx.query.done,
    }),
};

/** The API's refusal a form can show (400, 409); anything else becomes its error page. */
function formRefusal(response: ApiResponse): PageError {
  const err = refusal(response);
  if (err instanceof PageError && (err.status === 400 || err.status === 409)) return err;
  throw err;
}

export const reviewDecide: PageRoute = {
  method: "POST",
  path: "/web/reviews/decide",
  async handle(ctx) {
    const form = formOf(ctx.request);
    const unit = form.get("unit") ?? "";
    const action = form.get("action");
    if (!unit || (action !== "approve" && action !== "return")) throw new PageError(400, W.errors.badForm);
    const month = monthParam(form.get("period") ?? undefined, reportingMonth(ctx.now));
    const scope = form.get("scope") ?? undefined;
    const offset = offsetOf(form.get("offset"));
    const reason = (form.get("reason") ?? "").trim();
    const response = await ctx.apiResponse("POST", "/v1/reviews", {
      body: {
        unit,
        period: month,
        action,
        version: form.get("version") ?? "",
        by: actorName(ctx.viewer),
        ...(reason ? { reason } : {}),
      },
    });
    if (response.statusCode === 200) {
      return redirect(
        reviewsHref({
          scope,
          period: month,
          offset: offset ? String(offset) : undefined,
          done: action,
          unit,
        }),
      );
    }
    const err = formRefusal(response);
    const atReason = action === "return" && err.status === 400;
    return reviewsPage(
      ctx,
      {
        scope,
        month,
        offset,
        errors: [{ message: err.message, href: atReason ? `#reason-${unit}` : `#unit-${unit}` }],
        rowErrors: new Map([
          [
            unit,
            {
              message: err.message,
              text: action === "return" ? reason : undefined,
              at: atReason ? "reason" : "row",
            },
          ],
        ]),
      },
      err.status,
    );
  },
};

export const lockSubmit: PageRoute = {
  method: "POST",
  path: "/web/reviews/lock",
  async handle(ctx) {
    const form = formOf(ctx.request);
    const scope = form.get("scope") ?? "";
    const action = form.get("action");
    if (!scope || (action !== "confirm" && action !== "unlock")) throw new PageError(400, W.errors.badForm);
    const month = monthParam(form.get("period") ?? undefined, reportingMonth(ctx.now));
    const back = form.get("back") || scope;
    const reason = (form.get("reason") ?? "").trim();
    const response = await ctx.apiResponse("POST", "/v1/locks", {
      body: { scope, period: month, action, by: actorName(ctx.viewer), ...(reason ? { reason } : {}) },
    });
    if (response.statusCode === 200) {
      return redirect(reviewsHref({ scope: back, period: month, done: action, area: scope }));
    }
    const err = formRefusal(response);
    const blocking = refusalDetails(response)
      .filter((d) => d.field === "unit")
      .map((d) => d.message);
    const names = new Map((await subtreeUnits(ctx)).map((u) => [u.code, u.name]));
    const rowHref = (code: string) =>
      back === scope ? `#unit-${code}` : `${reviewsHref({ scope, period: month })}#unit-${code}`;
    const errors: ErrorItem[] = [
      { message: err.message, href: action === "unlock" ? `#unlock-${scope}` : `#lock-${scope}` },
      ...blocking.slice(0, BLOCKING_LISTED).map((code) => ({
        message: W.reviews.blocking(names.get(code) ?? code, code),
        href: rowHref(code),
      })),
      ...(blocking.length > BLOCKING_LISTED
        ? [{ message: W.reviews.more(blocking.length - BLOCKING_LISTED) }]
        : []),
    ];
    return reviewsPage(
      ctx,
      {
        scope: back,
        month,
        offset: 0,
        errors,
        lockErrors: new Map([[scope, { message: err.message, text: reason, at: "reason" }]]),
      },
      err.status,
    );
  },
};

export const reviewHistoryPage: PageRoute = {
  method: "GET",
  path: "/web/reviews/{unit}/{period}",
  async handle(ctx, params) {
    const unit = params.unit as string;
    const period = params.period as string;
    if (monthParam(period, "") !== period) throw new PageError(404, W.errors.notFound);
    const [answer, units] = await Promise.all([
      ctx.api<ReviewHistoryAnswer>(
        "GET",
        `/v1/reviews/${encodeURIComponent(unit)}/${encodeURIComponent(period)}`,
      ),
      subtreeUnits(ctx),
    ]);
    const entry = units.find((u) => u.code === unit);
    const back = ctx.viewer.leaf
      ? { href: "/web/history", label: W.reviewHistory.backUnit }
      : {
          href: reviewsHref({ scope: entry?.parent ?? undefined, period }, `#unit-${unit}`),
          label: W.reviewHistory.backArea,
        };
    return renderPage(ctx, {
      title: W.reviewHistory.title,
      body: reviewHistoryView({
        unit: { code: unit, name: entry?.name ?? unit },
        answer,
        back,
        audience: ctx.viewer.leaf ? "unit" : "reviewer",
      }),
    });
  },
};
