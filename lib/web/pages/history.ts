/** 历史 for a 报送单位. */

import { mapLimit } from "../../support/concurrency.ts";
import { monthStatus, reportingMonth, type StoredReturnView, type UploadView } from "../model.ts";
import { historyView } from "../views/history.ts";
import { W } from "../wording.ts";
import { recentMonths } from "./common.ts";
import { monthReview } from "./review-common.ts";
import { renderPage } from "./shell.ts";
import type { PageRoute } from "./types.ts";

export const historyPage: PageRoute = {
  method: "GET",
  path: "/web/history",
  async handle(ctx) {
    const { viewer } = ctx;
    const recent = recentMonths(reportingMonth(ctx.now), 12);
    const [returns, uploads, reviews] = await Promise.all([
      ctx.api<{ returns: StoredReturnView[] }>("GET", "/v1/returns", {
        query: { unit: viewer.code, ...(viewer.leaf ? {} : { period: "LAST_12_MONTHS" }) },
      }),
      ctx.api<{ uploads: UploadView[] }>("GET", "/v1/uploads", {
        query: { unit: viewer.code, limit: "200" },
      }),
      // A unit's review state is asked month by month (the API answers one month at a time), all at once.
      viewer.leaf ? mapLimit(recent, 12, (m) => monthReview(ctx, viewer.code, m)) : Promise.resolve([]),
    ]);
    const mine = returns.returns.filter((r) => r.unit === viewer.code);
    const months = recent.map((month, i) => {
      const state = monthStatus(mine, uploads.uploads, viewer.code, month);
      const stored = mine.find((r) => r.period === month);
      const own = stored ? uploads.uploads.some((u) => u.uploadId === stored.upload_id) : true;
      return { month, ...state, stored, ownUpload: own, review: reviews[i]?.unit };
    });
    return renderPage(ctx, { title: W.history.title, body: historyView(viewer.name, months) });
  },
};
