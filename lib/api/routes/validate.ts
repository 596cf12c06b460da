/**
 * POST /v1/validate: the same checks an upload gets (including the units' stored history), as a
 * dry run. Nothing is written: no S3 object, no upload record, no return.
 */
import { annotatedReport, XLSX_CONTENT_TYPE } from "../../ingest/annotate.ts";
import { applyHistory, countsAfterHistory, hasFileError, ingest } from "../../ingest/ingest.ts";
import { buildReport, formatReport, pageOfIssues, reportCsv } from "../../ingest/report.ts";
import { mapLimit } from "../../support/concurrency.ts";
import type { StoredReturn } from "../../write/plan.ts";
import { requireScope } from "../context.ts";
import { PayloadTooLarge } from "../errors.ts";
import { type ApiResponse, attachment, bodyBytes, fileResponse, jsonResponse } from "../http.ts";
import { defineRoute } from "../router.ts";
import { VALIDATE_SPEC } from "./validate-spec.ts";

const HISTORY_READS = 8;

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

export const validateRoute = defineRoute({
  ...VALIDATE_SPEC,
  async handle({ query, request }, ctx): Promise<ApiResponse> {
    const unit = requireScope(ctx, query.unit, "upload");
    const bytes = bodyBytes(request);
    const { settings } = ctx.deps;
    if (bytes.length > settings.maxValidateBytes) {
      throw new PayloadTooLarge(
        `试审核的文件不能超过 ${Math.floor(settings.maxValidateBytes / 1024 / 1024)} MB;更大的文件请用 POST /v1/uploads 上传。`,
      );
    }
    const limits = { maxBytes: settings.maxUploadBytes, maxRows: settings.maxUploadRows };
    const result = await ingest(once(bytes), {
      registry: ctx.registry,
      now: ctx.now,
      uploaderScope: unit.code,
      limits,
      firstMonth: settings.firstMonth,
    });
    const units = hasFileError(result.fileIssues)
      ? []
      : [...new Set(result.rows.filter((r) => r.outcome !== "rejected").map((r) => r.unit))];
    const history = new Map<string, StoredReturn[]>();
    await mapLimit(units, HISTORY_READS, async (u) => {
      history.set(u, await ctx.reads.returns.unitReturns(u));
    });
    const rows = applyHistory(result.rows, (u) => history.get(u));
    const report = buildReport(result, rows, countsAfterHistory(result, rows));
    if (query.format === "text") {
      return {
        statusCode: 200,
        headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
        body: `${formatReport(report, query.fileName ?? "上传的文件")}\n`,
      };
    }
    if (query.format === "csv") {
      return {
        statusCode: 200,
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": attachment("审核报告.csv", "report.csv"),
          "cache-control": "no-store",
        },
        body: reportCsv(report),
      };
    }
    if (query.format === "xlsx") {
      const workbook = await annotatedReport(once(bytes), report, limits);
      return fileResponse(workbook, XLSX_CONTENT_TYPE, "审核意见.xlsx", "report.xlsx");
    }
    const { summary, page } = pageOfIssues(report, query.offset, query.limit);
    return jsonResponse(200, { ...summary, issues: page });
  },
});
