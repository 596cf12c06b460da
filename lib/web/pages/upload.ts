/**
 * 上传 and 审核结果. With script, the browser asks /web/upload/start for the presigned POST form,
 * posts the file straight to storage (progress bar) and polls /web/uploads/{id}/status. Without
 * script, the form posts here and the portal forwards the file through the same presigned POST.
 * Either way the upload is created by POST /v1/uploads, so its record, key and checks are the API's.
 */
import type { z } from "zod";
import type { ApiResponse } from "../../api/http.ts";
import type { uploadCreatedSchema } from "../../api/schemas.ts";
import { postUploadForm } from "../../aws/upload-form.ts";
import { refusal } from "../bridge.ts";
import { LoginRequired, type PageContext, PageError } from "../context.ts";
import { jsonPageResponse, redirect } from "../http.ts";
import { reportingMonth, reportPageOf, type UploadView } from "../model.ts";
import { isProcessing, type ReportViewInput, reportView, SENT_QUERY } from "../views/report.ts";
import { type LockNotice, lockedNotice } from "../views/review-state.ts";
import { uploadView } from "../views/upload.ts";
import { W } from "../wording.ts";
import { monthParam, recentMonths, unitNames } from "./common.ts";
import { monthReview } from "./review-common.ts";
import { renderPage } from "./shell.ts";
import { formOf, type PageRoute } from "./types.ts";

type Created = z.output<typeof uploadCreatedSchema>;

const ISSUES_PER_PAGE = 50;

/** The locks that refuse uploads for a month now, each with its 片区's name (none when review is off). */
async function closedLocks(ctx: PageContext, month: string): Promise<LockNotice[]> {
  const { viewer } = ctx;
  const review = await monthReview(ctx, viewer.code, month);
  if (!review?.closed.length) return [];
  const names = new Map(
    [...viewer.ancestors, { code: viewer.code, name: viewer.name }].map((u) => [u.code, u.name]),
  );
  if (review.closed.some((l) => !names.has(l.scope))) {
    for (const [code, name] of await unitNames(ctx)) names.set(code, name);
  }
  return review.closed.map((l) => ({ ...l, scopeName: names.get(l.scope) ?? l.scope }));
}

async function uploadPage(
  ctx: PageContext,
  month: string,
  status = 200,
  error?: string,
): Promise<ApiResponse> {
  const { viewer, deps } = ctx;
  const last = reportingMonth(ctx.now);
  const chosen = monthParam(month, last);
  return renderPage(ctx, {
    title: W.upload.title,
    status,
    body: uploadView({
      unitName: viewer.name,
      months: recentMonths(last, 12),
      month: chosen,
      locks: await closedLocks(ctx, chosen),
      units: [{ code: viewer.code, name: viewer.name }],
      unit: viewer.code,
      maxBytes: deps.settings.maxUploadBytes,
      relayBytes: deps.settings.maxRelayBytes,
      error,
    }),
  });
}

export const uploadFormPage: PageRoute = {
  method: "GET",
  path: "/web/upload",
  handle: (ctx) => uploadPage(ctx, ctx.query.period ?? ""),
};

/** For portal.js when the month picker changes: the lock warning for that month (HTML, escaped). */
export const uploadLock: PageRoute = {
  method: "GET",
  path: "/web/upload/lock",
  async handle(ctx) {
    const month = monthParam(ctx.query.period, reportingMonth(ctx.now));
    return jsonPageResponse(200, { html: lockedNotice(month, await closedLocks(ctx, month)).value });
  },
};

async function createUpload(
  ctx: PageContext,
  unit: string,
  period: string,
  fileName: string,
): Promise<Created> {
  return ctx.api<Created>("POST", "/v1/uploads", {
    body: {
      unit: unit || undefined,
      period: monthParam(period, reportingMonth(ctx.now)),
      fileName: fileName.slice(0, 200),
    },
  });
}

/** For portal.js: the presigned form to post the file to. */
export const uploadStart: PageRoute = {
  method: "POST",
  path: "/web/upload/start",
  async handle(ctx) {
    const form = formOf(ctx.request);
    try {
      const created = await createUpload(
        ctx,
        form.get("unit") ?? "",
        form.get("period") ?? "",
        form.get("fileName") ?? "",
      );
      return jsonPageResponse(201, {
        uploadId: created.uploadId,
        url: created.url,
        fields: created.fields,
        maxBytes: created.maxBytes,
        statusUrl: `/web/uploads/${created.uploadId}/status`,
        resultUrl: `/web/uploads/${created.uploadId}`,
      });
    } catch (err) {
      if (err instanceof PageError) return jsonPageResponse(err.status, { message: err.message });
      throw err;
    }
  },
};

/** Without script: the file arrives here (multipart) and is forwarded through the presigned POST. */
export const uploadRelay: PageRoute = {
  method: "POST",
  path: "/web/upload",
  async handle(ctx) {
    const { request, deps } = ctx;
    const type = request.headers["content-type"] ?? "";
    const bytes = request.body
      ? Buffer.from(request.body, request.isBase64Encoded ? "base64" : "utf8")
      : Buffer.alloc(0);
    let form: FormData;
    try {
      form = await new Request("http://portal.invalid/", {
        method: "POST",
        headers: { "content-type": type },
        body: bytes,
      }).formData();
    } catch {
      return uploadPage(ctx, "", 400, W.upload.noFile);
    }
    const period = String(form.get("period") ?? "");
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0 || !file.name)
      return uploadPage(ctx, period, 400, W.upload.noFile);
    const relayMb = Math.round(deps.settings.maxRelayBytes / 1048576);
    if (file.size > deps.settings.maxRelayBytes)
      return uploadPage(ctx, period, 413, W.upload.relayLimit(relayMb));
    let created: Created;
    try {
      created = await createUpload(ctx, String(form.get("unit") ?? ""), period, file.name);
    } catch (err) {
      if (err instanceof PageError && err.status < 500)
        return uploadPage(ctx, period, err.status, err.message);
      throw err;
    }
    const sent = await postUploadForm(created, new Uint8Array(await file.arrayBuffer()), file.name);
    if (!sent.ok) return uploadPage(ctx, period, 502, W.upload.failed);
    return redirect(`/web/uploads/${encodeURIComponent(created.uploadId)}`);
  },
};

interface UploadAnswer {
  upload: UploadView;
  report: unknown;
  reportCsvUrl: string | null;
  reportXlsxUrl?: string | null;
}

function uploadPath(id: string): string {
  return `/v1/uploads/${encodeURIComponent(id)}`;
}

async function reportInput(
  ctx: PageContext,
  id: string,
  extra: Partial<ReportViewInput> = {},
): Promise<ReportViewInput> {
  const offset = Math.max(0, Number.parseInt(ctx.query.offset ?? "0", 10) || 0);
  const answer = await ctx.api<UploadAnswer>("GET", uploadPath(id), {
    query: { offset: String(offset), limit: String(ISSUES_PER_PAGE) },
  });
  const report = reportPageOf(answer, offset, ISSUES_PER_PAGE);
  return {
    upload: answer.upload,
    report,
    unitNames: report ? await unitNames(ctx) : new Map(),
    reportCsvUrl: Boolean(answer.reportCsvUrl),
    reportXlsxUrl: Boolean(answer.reportXlsxUrl),
    ...extra,
  };
}

async function resultPage(ctx: PageContext, input: ReportViewInput, status = 200): Promise<ApiResponse> {
  return renderPage(ctx, {
    title: W.report.title,
    status,
    body: reportView(input),
    refreshSeconds: !input.report && isProcessing(input.upload) ? 3 : undefined,
  });
}

export const reportPage: PageRoute = {
  method: "GET",
  path: "/web/uploads/{id}",
  async handle(ctx, params) {
    return resultPage(
      ctx,
      await reportInput(ctx, params.id as string, {
        sent:
          ctx.query.sent === SENT_QUERY.new
            ? "new"
            : ctx.query.sent === SENT_QUERY.again
              ? "again"
              : undefined,
      }),
    );
  },
};

/** For portal.js while it follows an upload: is the report ready? */
export const uploadStatus: PageRoute = {
  method: "GET",
  path: "/web/uploads/{id}/status",
  async handle(ctx, params) {
    const answer = await ctx.api<UploadAnswer>("GET", uploadPath(params.id as string), {
      query: { limit: "1" },
    });
    const done =
      answer.report !== null || answer.upload.status === "failed" || answer.upload.status === "rejected";
    return jsonPageResponse(200, {
      status: answer.upload.status,
      label: W.uploadStates[answer.upload.status] ?? answer.upload.status,
      done,
    });
  },
};

export const explanationsSubmit: PageRoute = {
  method: "POST",
  path: "/web/uploads/{id}/explanations",
  async handle(ctx, params) {
    const id = params.id as string;
    const form = formOf(ctx.request);
    const rows: { row: number; explanation: string }[] = [];
    const errors = new Map<number, string>();
    const texts = new Map<number, string>();
    for (const [name, value] of form) {
      const m = /^explain-(\d{1,7})$/.exec(name);
      if (!m) continue;
      const row = Number(m[1]);
      const explanation = value.trim();
      texts.set(row, value);
      if (!explanation) errors.set(row, W.report.explainMissing(row));
      else rows.push({ row, explanation });
    }
    if (errors.size || !rows.length) {
      return resultPage(ctx, await reportInput(ctx, id, { explainErrors: errors, explanations: texts }), 400);
    }
    const response = await ctx.apiResponse("POST", `${uploadPath(id)}/explanations`, { body: { rows } });
    // 201: filed now; 200: the same 说明 was filed before (a second click, a resent form).
    if (response.statusCode === 201 || response.statusCode === 200) {
      const created = JSON.parse(response.body) as { uploadId: string };
      const sent = SENT_QUERY[response.statusCode === 201 ? "new" : "again"];
      return redirect(`/web/uploads/${encodeURIComponent(created.uploadId)}?sent=${sent}`);
    }
    const err = refusal(response);
    if (
      err instanceof LoginRequired ||
      !(err instanceof PageError) ||
      err.status >= 500 ||
      err.status === 403 ||
      err.status === 404
    )
      throw err;
    const first = rows[0]?.row ?? 0;
    return resultPage(
      ctx,
      await reportInput(ctx, id, { explainErrors: new Map([[first, err.message]]), explanations: texts }),
      err.status,
    );
  },
};

export const rawFileDownload: PageRoute = {
  method: "GET",
  path: "/web/uploads/{id}/file",
  async handle(ctx, params) {
    const answer = await ctx.api<{ url: string }>("GET", `${uploadPath(params.id as string)}/file`);
    return redirect(answer.url);
  },
};

/** A report link of the upload detail, as a redirect to its presigned URL (404 when there is none). */
function reportDownload(path: string, link: "reportXlsxUrl" | "reportCsvUrl"): PageRoute {
  return {
    method: "GET",
    path,
    async handle(ctx, params) {
      const answer = await ctx.api<UploadAnswer>("GET", uploadPath(params.id as string), {
        query: { limit: "1" },
      });
      const url = answer[link];
      if (!url) throw new PageError(404, W.errors.notFound);
      return redirect(url);
    },
  };
}

/** The annotated workbook: the unit's rows with 审核意见 and 状态, to correct and upload again. */
export const reportXlsxDownload = reportDownload("/web/uploads/{id}/report.xlsx", "reportXlsxUrl");

export const reportCsvDownload = reportDownload("/web/uploads/{id}/report.csv", "reportCsvUrl");
