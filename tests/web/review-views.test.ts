/**
 * The 审核 pages' pure parts: which scopes are confirmed as one, which decisions a row offers,
 * a version's halves, and hostile text in a reason, a unit name and a lock staying text.
 */
import { describe, expect, it } from "vitest";
import { decisionsFor, listsUnits, lockScopes, type ReviewUnit } from "../../lib/web/reviews.ts";
import { reviewHistoryView } from "../../lib/web/views/review-history.ts";
import { reviewsView } from "../../lib/web/views/reviews.ts";
import { versionParts } from "../../lib/write/plan.ts";

const HOSTILE = '"><img src=x onerror=alert(1)><script>alert(2)</script>';

const node = (code: string, parent: string | null, children: string[]) => ({
  code,
  name: `单位${code}`,
  parent,
  leaf: children.length === 0,
  depth: parent ? code.length / 3 - 1 : 0,
  children,
});
// 001 → 001001 (片区: 2 units), 001002 (系统) → 001002001 (片区: 1 unit)
const UNITS = [
  node("001", null, ["001001", "001002"]),
  node("001001", "001", ["001001001", "001001002"]),
  node("001001001", "001001", []),
  node("001001002", "001001", []),
  node("001002", "001", ["001002001"]),
  node("001002001", "001002", ["001002001001"]),
  node("001002001001", "001002001", []),
];

const unit = (over: Partial<ReviewUnit>): ReviewUnit => ({
  code: "001001001",
  name: "单位001001001",
  parent: "001001",
  state: "received",
  state_name: "已接收",
  version: "2026-11-03T01:00:00.000Z#upload01",
  submitted_at: "2026-11-03T01:00:00.000Z",
  decided_by: null,
  decided_at: null,
  reason: null,
  ...over,
});

describe("reviews model", () => {
  it("confirms months per 片区: nodes whose children are all 报送单位, under the scope asked", () => {
    expect(lockScopes(UNITS, "001").map((u) => u.code)).toEqual(["001001", "001002001"]);
    expect(lockScopes(UNITS, "001002").map((u) => u.code)).toEqual(["001002001"]);
    expect(lockScopes(UNITS, "001001").map((u) => u.code)).toEqual(["001001"]);
    expect(listsUnits(UNITS, "001001")).toBe(true);
    expect(listsUnits(UNITS, "001")).toBe(false);
    expect(listsUnits(UNITS, "001001001")).toBe(false);
  });

  it("offers the decisions not yet made, and none without a return or once confirmed", () => {
    expect(decisionsFor("received")).toEqual(["approve", "return"]);
    expect(decisionsFor("approved")).toEqual(["return"]);
    expect(decisionsFor("returned")).toEqual(["approve"]);
    expect(decisionsFor("missing")).toEqual([]);
    expect(decisionsFor("confirmed")).toEqual([]);
  });

  it("splits a version into its submitted time and upload id", () => {
    expect(versionParts("2026-11-03T01:00:00.000Z#upload01")).toEqual({
      submittedAt: "2026-11-03T01:00:00.000Z",
      uploadId: "upload01",
    });
    expect(versionParts("no-hash")).toBeUndefined();
    expect(versionParts("#x")).toBeUndefined();
  });
});

describe("reviews views", () => {
  const counts = { missing: 0, received: 1, approved: 0, returned: 1, confirmed: 0 };

  it("posts the version shown and keeps a hostile reason, name and lock text as text", () => {
    const page = reviewsView({
      scope: { code: "001001", name: HOSTILE },
      scopes: [],
      months: ["2026-10"],
      month: "2026-10",
      counts,
      mayConfirm: true,
      errors: [{ message: HOSTILE, href: "#reason-001001002" }],
      lockErrors: new Map(),
      units: {
        rows: [
          { ...unit({ name: HOSTILE }), uploadId: "upload01" },
          unit({ code: "001001002", state: "returned", reason: HOSTILE, version: "v2#u2" }),
        ],
        total: 2,
        offset: 0,
        limit: 50,
        lock: {
          lock: {
            scope: "001001",
            month: "2026-10",
            state: "open",
            by: HOSTILE,
            at: "2026-11-08T01:00:00Z",
            reason: HOSTILE,
            unreported: [],
          },
          unreported: 0,
        },
        rowErrors: new Map([["001001002", { message: HOSTILE, text: HOSTILE, at: "row" as const }]]),
      },
    }).value;
    expect(page).not.toContain("<img");
    expect(page).not.toContain("<script");
    expect(page).toContain('name="version" value="2026-11-03T01:00:00.000Z#upload01"');
    expect(page).toContain('name="version" value="v2#u2"');
    // A returned row offers 通过 only; the 片区 is open, so 市级确认 is offered.
    expect(page.match(/name="action" value="return"/g)).toHaveLength(1);
    expect(page).toContain('name="action" value="confirm"');
    expect(page).toContain('href="/web/uploads/upload01"');
  });

  it("hides 市级确认 from a 片区 key and lists the record oldest first", () => {
    const page = reviewsView({
      scope: { code: "001", name: "市" },
      scopes: [],
      months: ["2026-10"],
      month: "2026-10",
      counts,
      mayConfirm: false,
      errors: [],
      lockErrors: new Map(),
      areas: [{ code: "001001", name: "第1片区", counts, lock: undefined }],
    }).value;
    expect(page).not.toContain("/web/reviews/lock");
    expect(page).toContain("未确认");
    const record = reviewHistoryView({
      unit: { code: "001001001", name: HOSTILE },
      answer: {
        unit: "001001001",
        period: "2026-10",
        state: "approved",
        history: [
          {
            action: "return",
            version: "2026-11-03T01:00:00.000Z#a",
            by: HOSTILE,
            at: "2026-11-04T01:00:00Z",
            reason: HOSTILE,
          },
          {
            action: "approve",
            version: "2026-11-05T01:00:09.000Z#b",
            by: "第1片区(k1)",
            at: "2026-11-05T02:00:00Z",
          },
        ],
      },
      back: { href: "/web/history", label: "返回历史" },
      audience: "unit",
    }).value;
    expect(record).not.toContain("<img");
    expect(record.indexOf("退回修改")).toBeLessThan(record.indexOf("片区审核通过</td>"));
    expect(record).toContain("2026-11-05 09:00:09 报送的数据");
  });
});
