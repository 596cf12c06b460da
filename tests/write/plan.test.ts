/**
 * The comparisons that decide a write: version order (submittedAt, then upload id), equal
 * submission times, the earliest submission that decides 及时 (at the deadline's last instant),
 * the chain of months and its repairs, folding writes, and packing transactions to the limit.
 * (The convergence of any arrival order is the property test in tests/lib/plan.test.ts.)
 */
import { beforeEach, describe, expect, it } from "vitest";
import { type Values, zeroValues } from "../../lib/domain/catalogue.ts";
import { addMonths, type Month } from "../../lib/domain/periods.ts";
import { MAX_TRANSACTION_ITEMS } from "../../lib/ports.ts";
import { contribution } from "../../lib/write/aggregate.ts";
import {
  deltasOf,
  type IncomingReturn,
  mergeView,
  mergeWrites,
  packTransactions,
  planIncoming,
  planRepairs,
  planUnit,
  type ReturnWrite,
  type StoredReturn,
  type UnitPlan,
  versionOf,
} from "../../lib/write/plan.ts";

const SCOPES = ["001001", "001"];
/** The last instant of the 2026-03 deadline (the 5th of April, 23:59:59.999 Beijing). */
const DEADLINE = "2026-04-05T15:59:59.999Z";
const AFTER_DEADLINE = "2026-04-05T16:00:00.000Z";

function values(over: Partial<Values> = {}): Values {
  return { ...zeroValues(), branches_total: 3, members_total: 50, sanhui_yike: 4, ...over };
}

function incoming(
  period: Month,
  submittedAt: string,
  uploadId: string,
  over: Partial<Values> = {},
  unit = "u1",
): IncomingReturn {
  return {
    unit,
    period,
    scopes: SCOPES,
    values: values(over),
    blanks: [],
    text: { explanation: "", highlight: "", reporter: "", phone: "" },
    warnings: [],
    uploadId,
    submittedAt,
  };
}

/** The stored items after planning `rets` in order, each against what the previous ones left. */
function storedAfter(...rets: IncomingReturn[]): StoredReturn[] {
  let view: StoredReturn[] = [];
  for (const r of rets) view = mergeView(view, planIncoming(view, r, 5).writes);
  return view;
}

const item = (view: readonly StoredReturn[], period: Month): StoredReturn => {
  const found = view.find((s) => s.period === period);
  if (!found) throw new Error(period);
  return found;
};

describe("versionOf", () => {
  it("orders uploads by submission time, then by upload id", () => {
    expect(versionOf("2026-04-02T01:00:00.000Z", "up-a")).toBe("2026-04-02T01:00:00.000Z#up-a");
    expect(
      versionOf("2026-04-02T01:00:00.000Z", "up-b") > versionOf("2026-04-02T01:00:00.000Z", "up-a"),
    ).toBe(true);
  });
});

describe("planIncoming: version order", () => {
  it("inserts a first return as revision 1 that must not exist yet", () => {
    const plan = planIncoming([], incoming("2026-03", "2026-04-02T01:00:00.000Z", "up-a"), 5);
    expect(plan.outcome).toBe("inserted");
    expect(plan.writes).toEqual([
      {
        before: null,
        after: {
          unit: "u1",
          period: "2026-03",
          scopes: SCOPES,
          values: values(),
          blanks: [],
          text: { explanation: "", highlight: "", reporter: "", phone: "" },
          warnings: [],
          uploadId: "up-a",
          version: "2026-04-02T01:00:00.000Z#up-a",
          submittedAt: "2026-04-02T01:00:00.000Z",
          firstSubmittedAt: "2026-04-02T01:00:00.000Z",
          onTime: true,
          prev: null,
          prevStocks: null,
          onTimeSince: "2026-03",
          rev: 1,
        },
      },
    ]);
  });

  it("changes nothing for the same upload delivered again", () => {
    const ret = incoming("2026-03", "2026-04-02T01:00:00.000Z", "up-a");
    expect(planIncoming(storedAfter(ret), ret, 5)).toEqual({ outcome: "duplicate", writes: [] });
  });

  it("lets the greater upload id win between two uploads submitted at the same instant", () => {
    const at = "2026-04-02T01:00:00.000Z";
    const a = incoming("2026-03", at, "up-a", { sanhui_yike: 1 });
    const b = incoming("2026-03", at, "up-b", { sanhui_yike: 2 });
    const replaced = planIncoming(storedAfter(a), b, 5);
    expect(replaced.outcome).toBe("replaced");
    expect(replaced.writes[0]?.after.values.sanhui_yike).toBe(2);
    // The other way round the smaller id loses, and at the same instant it proves no earlier submission.
    expect(planIncoming(storedAfter(b), a, 5)).toEqual({ outcome: "stale", writes: [] });
  });

  it("replaces with a later upload: the stored revision is the condition, 及时 stays with the first submission", () => {
    const first = storedAfter(incoming("2026-03", "2026-04-02T01:00:00.000Z", "up-a"));
    const existing = item(first, "2026-03");
    const plan = planIncoming(
      first,
      incoming("2026-03", "2026-04-20T01:00:00.000Z", "up-b", { sanhui_yike: 9 }),
      5,
    );
    expect(plan.outcome).toBe("replaced");
    expect(plan.writes).toHaveLength(1);
    expect(plan.writes[0]?.before).toBe(existing);
    expect(plan.writes[0]?.after).toMatchObject({
      uploadId: "up-b",
      version: "2026-04-20T01:00:00.000Z#up-b",
      submittedAt: "2026-04-20T01:00:00.000Z",
      firstSubmittedAt: "2026-04-02T01:00:00.000Z",
      onTime: true,
      rev: 2,
      values: values({ sanhui_yike: 9 }),
    });
  });

  it("ignores an older upload that proves no earlier submission (stale), also one at the first submission's instant", () => {
    const stored = storedAfter(
      incoming("2026-03", "2026-04-02T01:00:00.000Z", "up-a"),
      incoming("2026-03", "2026-04-09T01:00:00.000Z", "up-c"),
    );
    expect(planIncoming(stored, incoming("2026-03", "2026-04-05T01:00:00.000Z", "up-b"), 5)).toEqual({
      outcome: "stale",
      writes: [],
    });
    expect(planIncoming(stored, incoming("2026-03", "2026-04-02T01:00:00.000Z", "up-0"), 5)).toEqual({
      outcome: "stale",
      writes: [],
    });
  });

  it("keeps the newer figures but takes the earlier first submission from an older upload arriving late (stale_earlier)", () => {
    const stored = storedAfter(
      incoming("2026-03", "2026-04-09T01:00:00.000Z", "up-late", { sanhui_yike: 9 }),
    );
    const existing = item(stored, "2026-03");
    expect(existing.onTime).toBe(false);
    const plan = planIncoming(
      stored,
      incoming("2026-03", "2026-04-02T01:00:00.000Z", "up-early", { sanhui_yike: 1 }),
      5,
    );
    expect(plan.outcome).toBe("stale_earlier");
    expect(plan.writes).toEqual([
      {
        before: existing,
        // On time now, so its on-time run starts with it.
        after: {
          ...existing,
          firstSubmittedAt: "2026-04-02T01:00:00.000Z",
          onTime: true,
          onTimeSince: "2026-03",
          rev: 2,
        },
      },
    ]);
  });

  it("judges 及时 of an earlier submission by the deadline day it is given", () => {
    const stored = storedAfter(incoming("2026-03", "2026-04-20T01:00:00.000Z", "up-late"));
    const early = incoming("2026-03", "2026-04-08T01:00:00.000Z", "up-early");
    expect(planIncoming(stored, early, 5).writes[0]?.after.onTime).toBe(false);
    expect(planIncoming(stored, early, 10).writes[0]?.after.onTime).toBe(true);
  });
});

describe("planIncoming: 及时 at the deadline", () => {
  it("counts a first submission at the deadline's last millisecond as on time and one millisecond later as late", () => {
    expect(planIncoming([], incoming("2026-03", DEADLINE, "up-a"), 5).writes[0]?.after.onTime).toBe(true);
    expect(planIncoming([], incoming("2026-03", AFTER_DEADLINE, "up-a"), 5).writes[0]?.after.onTime).toBe(
      false,
    );
  });

  it("uses the deadline day it is given", () => {
    expect(
      planIncoming([], incoming("2026-03", "2026-04-08T01:00:00.000Z", "up-a"), 5).writes[0]?.after.onTime,
    ).toBe(false);
    expect(
      planIncoming([], incoming("2026-03", "2026-04-08T01:00:00.000Z", "up-a"), 10).writes[0]?.after.onTime,
    ).toBe(true);
  });

  it("makes a late return on time when an upload sent by the deadline arrives after it", () => {
    const stored = storedAfter(incoming("2026-03", AFTER_DEADLINE, "up-b"));
    const plan = planIncoming(stored, incoming("2026-03", DEADLINE, "up-a"), 5);
    expect(plan.outcome).toBe("stale_earlier");
    expect(plan.writes[0]?.after.onTime).toBe(true);
    expect(deltasOf(plan.writes)).toEqual([
      { scope: "001001", month: "2026-03", counters: { n_on_time: 1, "t_2026-03": 1 } },
      { scope: "001", month: "2026-03", counters: { n_on_time: 1, "t_2026-03": 1 } },
    ]);
  });

  it("keeps a correction after the deadline on time when the first submission was at the deadline", () => {
    const stored = storedAfter(incoming("2026-03", DEADLINE, "up-a"));
    const plan = planIncoming(stored, incoming("2026-03", AFTER_DEADLINE, "up-b"), 5);
    expect(plan.writes[0]?.after).toMatchObject({ firstSubmittedAt: DEADLINE, onTime: true });
  });
});

describe("the chain of months", () => {
  it("links a later month to the unit's latest earlier return and its stocks, with no repair", () => {
    const stored = storedAfter(
      incoming("2026-03", "2026-04-02T01:00:00.000Z", "a", { members_total: 48, members_reported: 30 }),
    );
    const plan = planIncoming(stored, incoming("2026-05", "2026-06-02T01:00:00.000Z", "b"), 5);
    expect(plan.writes).toHaveLength(1);
    expect(plan.writes[0]?.after).toMatchObject({
      prev: "2026-03",
      prevStocks: { branches_total: 3, members_total: 48, members_reported: 30 },
    });
  });

  it("inserts a month between two and mends the successor's link in the same plan", () => {
    const stored = storedAfter(
      incoming("2026-01", "2026-02-02T01:00:00.000Z", "a"),
      incoming("2026-05", "2026-06-02T01:00:00.000Z", "c"),
    );
    const may = item(stored, "2026-05");
    expect(may.prev).toBe("2026-01");
    const plan = planIncoming(
      stored,
      incoming("2026-03", "2026-06-03T01:00:00.000Z", "b", { members_total: 60 }),
      5,
    );
    expect(plan.outcome).toBe("inserted");
    expect(
      plan.writes.map((w) => [w.after.period, w.after.prev, w.before?.rev ?? null, w.after.rev]),
    ).toEqual([
      ["2026-03", "2026-01", null, 1],
      ["2026-05", "2026-03", 1, 2],
    ]);
    expect(plan.writes[1]?.before).toBe(may);
    expect(plan.writes[1]?.after.prevStocks).toEqual({
      branches_total: 3,
      members_total: 60,
      members_reported: 0,
    });
  });

  it("mends the successor when a correction changes a stock, and leaves it when only flows change", () => {
    const stored = storedAfter(
      incoming("2026-03", "2026-04-02T01:00:00.000Z", "a"),
      incoming("2026-04", "2026-05-02T01:00:00.000Z", "b"),
    );
    const flows = planIncoming(
      stored,
      incoming("2026-03", "2026-05-03T01:00:00.000Z", "c", { sanhui_yike: 9 }),
      5,
    );
    expect(flows.writes.map((w) => w.after.period)).toEqual(["2026-03"]);
    const stock = planIncoming(
      stored,
      incoming("2026-03", "2026-05-03T01:00:00.000Z", "c", { members_reported: 2 }),
      5,
    );
    expect(stock.writes.map((w) => [w.after.period, w.after.prevStocks?.members_reported ?? null])).toEqual([
      ["2026-03", null],
      ["2026-04", 2],
    ]);
  });

  it("keeps the link of a replaced month to its predecessor", () => {
    const stored = storedAfter(
      incoming("2026-03", "2026-04-02T01:00:00.000Z", "a"),
      incoming("2026-04", "2026-05-02T01:00:00.000Z", "b"),
    );
    const plan = planIncoming(stored, incoming("2026-04", "2026-05-03T01:00:00.000Z", "c"), 5);
    expect(plan.writes).toHaveLength(1);
    expect(plan.writes[0]?.after).toMatchObject({
      prev: "2026-03",
      prevStocks: item(stored, "2026-04").prevStocks,
    });
  });
});

describe("on-time runs", () => {
  /** A return for `period` sent on the 2nd of the next month (on time) or the 20th (late). */
  const sent = (period: Month, onTime: boolean) =>
    incoming(period, `${addMonths(period, 1)}-${onTime ? "02" : "20"}T01:00:00.000Z`, `up-${period}`);
  const runs = (view: readonly StoredReturn[]) =>
    [...view].sort((a, b) => (a.period < b.period ? -1 : 1)).map((s) => [s.period, s.onTimeSince]);

  it("starts a run at an on-time month and carries it through the months that follow on time", () => {
    const view = storedAfter(sent("2026-01", true), sent("2026-02", true), sent("2026-03", true));
    expect(runs(view)).toEqual([
      ["2026-01", "2026-01"],
      ["2026-02", "2026-01"],
      ["2026-03", "2026-01"],
    ]);
  });

  it("breaks the run at a late month, and at a month without a return", () => {
    expect(runs(storedAfter(sent("2026-01", true), sent("2026-02", false), sent("2026-03", true)))).toEqual([
      ["2026-01", "2026-01"],
      ["2026-02", null],
      ["2026-03", "2026-03"],
    ]);
    expect(runs(storedAfter(sent("2026-01", true), sent("2026-03", true)))).toEqual([
      ["2026-01", "2026-01"],
      ["2026-03", "2026-03"],
    ]);
  });

  it("keeps a run at most 12 months long: the 13th on-time month's run starts 11 months back", () => {
    const months = Array.from({ length: 13 }, (_, i) => addMonths("2025-01", i));
    const view = storedAfter(...months.map((m) => sent(m, true)));
    expect(item(view, "2025-12").onTimeSince).toBe("2025-01");
    expect(item(view, "2026-01").onTimeSince).toBe("2025-02");
  });

  it("mends the later months' runs when a backfilled month closes the gap", () => {
    const stored = storedAfter(sent("2026-01", true), sent("2026-03", true), sent("2026-04", true));
    const plan = planIncoming(stored, sent("2026-02", true), 5);
    expect(plan.writes.map((w) => [w.after.period, w.after.onTimeSince])).toEqual([
      ["2026-02", "2026-01"],
      ["2026-03", "2026-01"],
      ["2026-04", "2026-01"],
    ]);
  });
});

describe("planRepairs", () => {
  // Built before each test, not while the file is collected: a fault there must fail tests.
  let chain: StoredReturn[] = [];
  beforeEach(() => {
    chain = storedAfter(
      incoming("2026-01", "2026-02-02T01:00:00.000Z", "a", { members_total: 40 }),
      incoming("2026-02", "2026-03-02T01:00:00.000Z", "b", { members_total: 45 }),
      incoming("2026-04", "2026-05-02T01:00:00.000Z", "c", { members_total: 50 }),
    );
  });

  it("finds nothing to mend in a sound chain, in whatever order the items come", () => {
    expect(planRepairs(chain)).toEqual([]);
    expect(planRepairs([...chain].reverse())).toEqual([]);
  });

  it("mends a wrong predecessor month and a wrong predecessor stock, one revision up", () => {
    const feb = item(chain, "2026-02");
    const apr = item(chain, "2026-04");
    const broken = [
      item(chain, "2026-01"),
      { ...feb, prev: null },
      { ...apr, prevStocks: { ...apr.prevStocks, members_reported: 1 } },
    ];
    expect(planRepairs(broken)).toEqual([
      { before: broken[1], after: { ...feb, rev: feb.rev + 1 } },
      { before: broken[2], after: { ...apr, rev: apr.rev + 1 } },
    ]);
  });

  it("mends a first return that claims a predecessor, and one whose stocks differ in one figure only", () => {
    const jan = item(chain, "2026-01");
    const feb = item(chain, "2026-02");
    const broken = [
      { ...jan, prev: "2025-12", prevStocks: {} },
      { ...feb, prevStocks: { ...feb.prevStocks, branches_total: 4 } },
      item(chain, "2026-04"),
    ];
    expect(planRepairs(broken).map((w) => [w.after.period, w.after.prev, w.after.prevStocks])).toEqual([
      ["2026-01", null, null],
      ["2026-02", "2026-01", { branches_total: 3, members_total: 40, members_reported: 0 }],
    ]);
  });

  it("reads a stock missing from a link as 0: no repair when the predecessor's is 0", () => {
    const feb = item(chain, "2026-02");
    const sparse = [item(chain, "2026-01"), { ...feb, prevStocks: { branches_total: 3, members_total: 40 } }];
    expect(planRepairs(sparse)).toEqual([]);
    expect(planRepairs([item(chain, "2026-01"), { ...feb, prevStocks: null }])).toHaveLength(1);
  });
});

describe("deltasOf", () => {
  it("adds an inserted return to every scope of its month", () => {
    const plan = planIncoming([], incoming("2026-03", "2026-04-02T01:00:00.000Z", "a"), 5);
    const after = plan.writes[0]?.after as StoredReturn;
    expect(deltasOf(plan.writes)).toEqual([
      { scope: "001001", month: "2026-03", counters: contribution(after) },
      { scope: "001", month: "2026-03", counters: contribution(after) },
    ]);
  });

  it("moves a correction by the difference, and a repair by the superseded stocks only", () => {
    const stored = storedAfter(
      incoming("2026-03", "2026-04-02T01:00:00.000Z", "a"),
      incoming("2026-04", "2026-05-02T01:00:00.000Z", "b"),
    );
    const plan = planIncoming(
      stored,
      incoming("2026-03", "2026-05-03T01:00:00.000Z", "c", { members_total: 52 }),
      5,
    );
    const forScope = deltasOf(plan.writes).filter((d) => d.scope === "001");
    expect(forScope).toEqual([
      { scope: "001", month: "2026-03", counters: { v_members_total: 2 } },
      { scope: "001", month: "2026-04", counters: { "x_2026-03_members_total": 2 } },
    ]);
  });
});

describe("mergeWrites", () => {
  const first = (plan: { writes: readonly ReturnWrite[] }) => plan.writes[0] as ReturnWrite;
  let a1: ReturnWrite;
  let a2: ReturnWrite;
  let a3: ReturnWrite;
  let other: ReturnWrite;
  let may: ReturnWrite;
  beforeEach(() => {
    a1 = first(planIncoming([], incoming("2026-03", "2026-04-02T01:00:00.000Z", "a"), 5));
    a2 = { before: a1.after, after: { ...a1.after, rev: 2 } };
    a3 = { before: a2.after, after: { ...a2.after, rev: 3 } };
    other = first(planIncoming([], incoming("2026-03", "2026-04-02T01:00:00.000Z", "a", {}, "u2"), 5));
    may = first(planIncoming([], incoming("2026-05", "2026-06-02T01:00:00.000Z", "m"), 5));
  });

  it("folds writes to the same item into one, from the first read to the last state", () => {
    expect(mergeWrites([a1, a2, a3])).toEqual([{ before: null, after: a3.after }]);
  });

  it("keeps writes to other units and other months apart, in first-seen order", () => {
    expect(mergeWrites([a1, other, may, a2])).toEqual([{ before: null, after: a2.after }, other, may]);
  });
});

describe("planUnit", () => {
  it("plans a file's rows for one unit in order: a month twice is an insert then a replacement, one write", () => {
    const p = planUnit(
      "u1",
      [],
      [
        incoming("2026-03", "2026-04-02T01:00:00.000Z", "up#1", { sanhui_yike: 1 }),
        incoming("2026-03", "2026-04-02T01:00:00.000Z", "up#2", { sanhui_yike: 2 }),
      ],
      5,
    );
    expect(p.unit).toBe("u1");
    expect(p.outcomes).toEqual(["inserted", "replaced"]);
    expect(p.writes).toHaveLength(1);
    expect(p.writes[0]?.before).toBeNull();
    expect(p.writes[0]?.after).toMatchObject({
      uploadId: "up#2",
      rev: 2,
      values: values({ sanhui_yike: 2 }),
    });
    expect([...p.rollupKeys].sort()).toEqual(["001001|2026-03", "001|2026-03"]);
  });

  it("plans each row against the state the one before it left: a month three times is revision 3", () => {
    const p = planUnit(
      "u1",
      [],
      [1, 2, 3].map((n) => incoming("2026-03", "2026-04-02T01:00:00.000Z", `up#${n}`, { sanhui_yike: n })),
      5,
    );
    expect(p.outcomes).toEqual(["inserted", "replaced", "replaced"]);
    expect(p.writes.map((w) => [w.before, w.after.uploadId, w.after.rev])).toEqual([[null, "up#3", 3]]);
  });

  it("plans months out of order against the state the earlier rows leave, the successor mended once", () => {
    const stored = storedAfter(incoming("2026-01", "2026-02-02T01:00:00.000Z", "old"));
    const p = planUnit(
      "u1",
      stored,
      [
        incoming("2026-05", "2026-06-02T01:00:00.000Z", "f"),
        incoming("2026-03", "2026-06-02T01:00:00.000Z", "f"),
      ],
      5,
    );
    expect(p.outcomes).toEqual(["inserted", "inserted"]);
    expect(p.writes.map((w) => [w.after.period, w.after.prev, w.before?.rev ?? null])).toEqual([
      ["2026-05", "2026-03", null],
      ["2026-03", "2026-01", null],
    ]);
    expect([...p.rollupKeys].sort()).toEqual([
      "001001|2026-03",
      "001001|2026-05",
      "001|2026-03",
      "001|2026-05",
    ]);
  });

  it("has no writes and no rollup keys for duplicates", () => {
    const ret = incoming("2026-03", "2026-04-02T01:00:00.000Z", "a");
    const p = planUnit("u1", storedAfter(ret), [ret, ret], 5);
    expect(p.outcomes).toEqual(["duplicate", "duplicate"]);
    expect(p.writes).toEqual([]);
    expect(p.rollupKeys.size).toBe(0);
  });
});

describe("packTransactions", () => {
  let write: ReturnWrite;
  beforeEach(() => {
    write = planIncoming([], incoming("2026-03", "2026-04-02T01:00:00.000Z", "a"), 5)
      .writes[0] as ReturnWrite;
  });
  const plan = (unit: string, writes: number, keys: readonly string[]): UnitPlan => ({
    unit,
    writes: Array.from({ length: writes }, () => write),
    outcomes: [],
    rollupKeys: new Set(keys),
  });
  const units = (chunks: UnitPlan[][]) => chunks.map((c) => c.map((p) => p.unit));

  it("fills a transaction to exactly the limit of return writes plus distinct rollup items", () => {
    expect(MAX_TRANSACTION_ITEMS).toBe(100);
    // 48 + 48 writes and 4 rollup items: 100.
    expect(units(packTransactions([plan("a", 48, ["k1", "k2"]), plan("b", 48, ["k3", "k4"])]))).toEqual([
      ["a", "b"],
    ]);
    // Shared rollup items count once: 49 + 49 + 2.
    expect(units(packTransactions([plan("a", 49, ["k1", "k2"]), plan("b", 49, ["k1", "k2"])]))).toEqual([
      ["a", "b"],
    ]);
  });

  it("starts a new transaction one item over the limit, counting from the plan that opens it", () => {
    const chunks = packTransactions([
      plan("a", 48, ["k1", "k2"]),
      plan("b", 48, ["k3", "k4"]),
      plan("c", 1, ["k1"]),
      plan("d", 96, ["k5", "k6"]),
      plan("e", 1, ["k7"]),
    ]);
    // c opens the second: 1 + 96 writes and k1, k5, k6 make 100; e would make 102.
    expect(units(chunks)).toEqual([["a", "b"], ["c", "d"], ["e"]]);
  });

  it("counts a plan's other checked items (lock checks) like rollup items: once per transaction", () => {
    const checks = (p: UnitPlan) => (p.unit.startsWith("free") ? [] : ["lock|001001|2026-03"]);
    // 48 + 49 writes, 2 rollup items and one shared lock check: 100; one write more does not fit.
    expect(units(packTransactions([plan("a", 48, ["k1"]), plan("b", 49, ["k2"])], checks))).toEqual([
      ["a", "b"],
    ]);
    expect(units(packTransactions([plan("a", 49, ["k1"]), plan("b", 49, ["k2"])], checks))).toEqual([
      ["a"],
      ["b"],
    ]);
    // The transaction b opens carries b's lock check: a plan without one still counts it (49 + 49 + 3).
    expect(
      units(
        packTransactions([plan("a", 49, ["k1"]), plan("b", 49, ["k2"]), plan("free", 49, ["k3"])], checks),
      ),
    ).toEqual([["a"], ["b"], ["free"]]);
    expect(
      units(
        packTransactions([plan("a", 49, ["k1"]), plan("b", 49, ["k2"]), plan("free", 48, ["k3"])], checks),
      ),
    ).toEqual([["a"], ["b", "free"]]);
    // Without checks the same plans fit as before.
    expect(units(packTransactions([plan("a", 49, ["k1"]), plan("b", 49, ["k2"])]))).toEqual([["a", "b"]]);
  });

  it("gives a plan larger than the limit a transaction of its own, and skips plans without writes", () => {
    expect(units(packTransactions([plan("a", 150, ["k1"]), plan("b", 1, ["k1"])]))).toEqual([["a"], ["b"]]);
    expect(units(packTransactions([plan("a", 1, ["k1"]), plan("big", 150, ["k1"])]))).toEqual([
      ["a"],
      ["big"],
    ]);
    expect(
      units(packTransactions([plan("none", 0, []), plan("a", 1, ["k1"]), plan("none2", 0, ["k9"])])),
    ).toEqual([["a"]]);
    expect(packTransactions([plan("none", 0, [])])).toEqual([]);
    expect(packTransactions([])).toEqual([]);
  });
});

describe("mergeView", () => {
  it("replaces each written month and adds new ones", () => {
    const stored = storedAfter(incoming("2026-03", "2026-04-02T01:00:00.000Z", "a"));
    const plan = planIncoming(stored, incoming("2026-03", "2026-04-03T01:00:00.000Z", "b"), 5);
    const next = planIncoming([], incoming("2026-04", "2026-05-03T01:00:00.000Z", "c"), 5);
    const view = mergeView(stored, [...plan.writes, ...next.writes]);
    expect(view.map((s) => [s.period, s.uploadId])).toEqual([
      ["2026-03", "b"],
      ["2026-04", "c"],
    ]);
  });
});
