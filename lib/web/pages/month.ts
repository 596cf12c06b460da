/** 本月填报 (the home page of unit keys) and 下载模板 (CSV here; the Excel one from GET /v1/template). */
import type { z } from "zod";
import { type ApiResponse, attachment } from "../../api/http.ts";
import type { completenessSchema } from "../../api/schemas.ts";
import { redirect, securityHeaders } from "../http.ts";
import {
  deadlineState,
  monthStatus,
  prefilledTemplate,
  reportingMonth,
  type StoredReturnView,
  type UploadView,
} from "../model.ts";
import { monthView } from "../views/month.ts";
import { W } from "../wording.ts";
import { monthParam, subtreeUnits } from "./common.ts";
import { fetchReviews, monthReview, ReviewOff } from "./review-common.ts";
import { renderPage } from "./shell.ts";
import type { PageRoute } from "./types.ts";

type Completeness = z.output<typeof completenessSchema>;

export const monthPage: PageRoute = {
  method: "GET",
  path: "/web/home",
  async handle(ctx) {
    const { viewer } = ctx;
    if (viewer.isOps) return redirect("/web/completeness");
    const month = reportingMonth(ctx.now);
    const completeness = await ctx.api<Completeness>("GET", "/v1/completeness", {
      query: { scope: viewer.code, period: month },
    });
    const base = {
      month,
      deadline: deadlineState(month, ctx.now, completeness.deadline_day),
      unitName: viewer.name,
    };
    if (!viewer.leaf) {
      const review = await fetchReviews(ctx, { scope: viewer.code, period: month, limit: "1" });
      return renderPage(ctx, {
        title: W.month.title,
        body: monthView({
          ...base,
          area: { reported: completeness.reported, expected: completeness.expected },
          areaReview: review instanceof ReviewOff ? undefined : review.counts,
        }),
      });
    }
    const [returns, uploads, review] = await Promise.all([
      ctx.api<{ returns: StoredReturnView[] }>("GET", "/v1/returns", {
        query: { unit: viewer.code, period: month },
      }),
      ctx.api<{ uploads: UploadView[] }>("GET", "/v1/uploads", { query: { unit: viewer.code, limit: "50" } }),
      monthReview(ctx, viewer.code, month),
    ]);
    const state = monthStatus(returns.returns, uploads.uploads, viewer.code, month);
    return renderPage(ctx, {
      title: W.month.title,
      body: monthView({
        ...base,
        status: state.status,
        lastUpload: state.lastUpload,
        review: review?.unit ? { ...review.unit, locked: review.closed.length > 0 } : undefined,
      }),
    });
  },
};

/**
 * The prefilled Excel template, as GET /v1/template writes it for the viewer's node. Deployed, API
 * Gateway sends this page to the check function, which has the spreadsheet library (serverless.yml).
 */
export const templateXlsxDownload: PageRoute = {
  method: "GET",
  path: "/web/template.xlsx",
  async handle(ctx): Promise<ApiResponse> {
    const month = monthParam(ctx.query.period, reportingMonth(ctx.now));
    return ctx.apiResponse("GET", "/v1/template", { query: { scope: ctx.viewer.code, period: month } });
  },
};

export const templateDownload: PageRoute = {
  method: "GET",
  path: "/web/template.csv",
  async handle(ctx): Promise<ApiResponse> {
    const month = monthParam(ctx.query.period, reportingMonth(ctx.now));
    const { viewer } = ctx;
    const units = viewer.leaf
      ? [viewer.code]
      : (await subtreeUnits(ctx)).filter((u) => u.leaf).map((u) => u.code);
    const fileName = `月报表-${viewer.code}-${month}.csv`;
    return {
      statusCode: 200,
      headers: {
        ...securityHeaders(),
        "content-type": "text/csv; charset=utf-8",
        "cache-control": "no-store",
        "content-disposition": attachment(
          fileName,
          `template-${viewer.code.replace(/[^\w-]/g, "_")}-${month}.csv`,
        ),
      },
      body: prefilledTemplate(units, month),
    };
  },
};
