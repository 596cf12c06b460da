/** The portal takes Excel returns on its upload page and links the annotated workbook from a report. */
import { describe, expect, it } from "vitest";
import type { ReportPage, UploadView } from "../../lib/web/model.ts";
import { reportView } from "../../lib/web/views/report.ts";
import { uploadView } from "../../lib/web/views/upload.ts";

const upload: UploadView = {
  uploadId: "abcdef123456",
  scope: "001001001",
  key: "incoming/001001001/2026-10/abcdef123456.xlsx",
  status: "aggregated",
  receivedAt: "2026-11-03T02:00:00.000Z",
  updatedAt: "2026-11-03T02:00:01.000Z",
  fileName: "十月.xlsx",
};
const report: ReportPage = {
  status: "accepted",
  summary: { rows: 1, accepted: 1, needs_explanation: 0, rejected: 0 },
  rows: [],
  issues: { offset: 0, limit: 50, total: 0, items: [] },
  truncated: false,
  issuesKept: 0,
  issuesTotal: 0,
};

describe("the portal and workbooks", () => {
  it("offers .xlsx, .xlsm and .xls beside .csv in the file chooser, and says so", () => {
    const page = uploadView({
      unitName: "市委办公室机关党支部",
      months: ["2026-10"],
      month: "2026-10",
      units: [{ code: "001001001", name: "市委办公室机关党支部" }],
      unit: "001001001",
      maxBytes: 20 * 1024 * 1024,
      relayBytes: 6 * 1024 * 1024,
    }).value;
    const accept = /accept="([^"]*)"/.exec(page)?.[1]?.split(",") ?? [];
    for (const ext of [".csv", ".xlsx", ".xlsm", ".xls"]) expect(accept).toContain(ext);
    expect(page).toContain("Excel 工作簿或 CSV 文件");
  });

  it("links the annotated workbook when the upload has one", () => {
    const input = { upload, report, unitNames: new Map<string, string>(), reportCsvUrl: true };
    const withXlsx = reportView({ ...input, reportXlsxUrl: true }).value;
    expect(withXlsx).toContain('href="/web/uploads/abcdef123456/report.xlsx"');
    expect(withXlsx).toContain("下载审核意见表");
    expect(reportView(input).value).not.toContain("report.xlsx");
  });
});
