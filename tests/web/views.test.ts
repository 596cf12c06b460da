/**
 * The portal's pure parts: escaping in every place user text can land, the JSON block charts
 * read, the report adapter over both API shapes, a unit's month status, deadlines, the template.
 */
import { describe, expect, it } from "vitest";
import { html, jsonBlock } from "../../lib/web/html.ts";
import {
  deadlineState,
  monthStatus,
  prefilledTemplate,
  reportPageOf,
  type UploadView,
} from "../../lib/web/model.ts";
import { selectField, table, textField } from "../../lib/web/views/components.ts";

const HOSTILE = "\"><img src=x onerror=alert(1)><script>alert(2)</script>'`";

describe("html", () => {
  it("escapes text and attribute values, so hostile text can open no tag or attribute", () => {
    const out = html`<p title="${HOSTILE}">${HOSTILE}</p>`.value;
    expect(out).not.toContain("<img");
    expect(out).not.toContain("<script");
    expect(out).toBe(
      '<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;&#39;&#96;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;&#39;&#96;</p>',
    );
    const widgets = [
      textField({ id: "a", name: "a", label: HOSTILE, value: HOSTILE, hint: HOSTILE, error: HOSTILE }),
      selectField({
        id: "b",
        name: "b",
        label: "x",
        options: [{ value: HOSTILE, label: HOSTILE }],
        value: HOSTILE,
      }),
      table({ head: [HOSTILE], rows: [{ cells: [HOSTILE] }], caption: HOSTILE }),
    ].map((w) => w.value);
    for (const w of widgets) {
      expect(w).not.toContain("<img");
      expect(w).not.toContain("<script");
    }
  });

  it("writes chart data as JSON that no text can close", () => {
    const block = jsonBlock("d", { name: "</script><script>alert(1)</script>", sep: "\u2028" }).value;
    expect(block.match(/<\/script>/g)).toHaveLength(1);
    const json = block.slice(block.indexOf(">") + 1, block.lastIndexOf("</script>"));
    expect(JSON.parse(json).name).toBe("</script><script>alert(1)</script>");
  });
});

describe("model", () => {
  const upload = (over: Partial<UploadView>): UploadView => ({
    uploadId: "upload01",
    scope: "001001001",
    key: "incoming/001001001/2026-10/upload01.csv",
    status: "aggregated",
    receivedAt: "2026-11-03T01:00:00.000Z",
    updatedAt: "2026-11-03T01:00:00.000Z",
    ...over,
  });

  it("says 未报送, 待说明, 未通过, 处理中, 处理失败 or 已接收 for a unit's month", () => {
    const s = (uploads: UploadView[], stored = false) =>
      monthStatus(
        stored ? ([{ unit: "001001001", period: "2026-10" }] as never) : [],
        uploads,
        "001001001",
        "2026-10",
      ).status;
    expect(s([])).toBe("missing");
    expect(
      s([
        upload({ status: "rejected", summary: { rows: 1, accepted: 0, needs_explanation: 1, rejected: 0 } }),
      ]),
    ).toBe("needsExplanation");
    expect(
      s([
        upload({ status: "rejected", summary: { rows: 1, accepted: 0, needs_explanation: 0, rejected: 1 } }),
      ]),
    ).toBe("rejected");
    expect(s([upload({ status: "received" })])).toBe("processing");
    expect(s([upload({ status: "failed" })])).toBe("failed");
    expect(s([upload({ key: "incoming/001001001/2026-09/upload01.csv", status: "failed" })])).toBe("missing");
    expect(s([upload({ status: "rejected" })], true)).toBe("accepted");
  });

  it("counts the days to the deadline (the 5th, Beijing time) and the days past it", () => {
    expect(deadlineState("2026-10", new Date("2026-11-03T04:00:00Z"), 5)).toMatchObject({
      daysLeft: 2,
      overdueDays: 0,
    });
    expect(deadlineState("2026-10", new Date("2026-11-05T15:59:00Z"), 5)).toMatchObject({
      daysLeft: 0,
      overdueDays: 0,
    });
    // 00:30 on the 6th in Beijing is already late.
    expect(deadlineState("2026-10", new Date("2026-11-05T16:30:00Z"), 5)).toMatchObject({ overdueDays: 1 });
    expect(deadlineState("2026-10", new Date("2026-11-10T04:00:00Z"), 5)).toMatchObject({ overdueDays: 5 });
  });

  it("reads the report in the bounded shape and pages the older one the same way", () => {
    const issue = (row: number) => ({
      row,
      unit: "u",
      column: null,
      code: "E_X",
      severity: "error" as const,
      message: `第${row}行`,
    });
    const report = {
      status: "partial" as const,
      summary: { rows: 3, accepted: 1, needs_explanation: 1, rejected: 1 },
      rows: [
        { row: 2, unit: "u", period: "2026-10", outcome: "accepted" as const },
        { row: 3, unit: "u", period: "2026-10", outcome: "rejected" as const },
      ],
    };
    const older = reportPageOf({ report: { ...report, issues: [issue(3), issue(4), issue(5)] } }, 1, 1);
    expect(older?.issues).toEqual({ offset: 1, limit: 1, total: 3, items: [issue(4)] });
    expect(older?.rows.map((r) => r.row)).toEqual([3]);
    const bounded = reportPageOf(
      {
        report: { ...report, issues_total: 3000, issues_kept: 1000, truncated: true },
        issues: { offset: 0, limit: 1, total: 1000, items: [issue(3)] },
      },
      0,
      1,
    );
    expect(bounded).toMatchObject({ truncated: true, issuesKept: 1000, issuesTotal: 3000 });
    expect(reportPageOf({ report: null, issues: null }, 0, 50)).toBeNull();
  });

  it("prefills the template with each unit's code and the month as text", () => {
    const csv = prefilledTemplate(["001001", "001002"], "2026-10");
    const lines = csv.slice(1).trim().split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines[1]?.startsWith("\t001001,\t2026-10,")).toBe(true);
    expect(lines[2]?.split(",")).toHaveLength(lines[0]?.split(",").length as number);
  });
});
