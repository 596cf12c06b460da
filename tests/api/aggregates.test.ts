/**
 * The read routes through real HTTP on the local stack: aggregates for every period form, per
 * child, compared and as CSV; completeness; returns; the registry. Figures are checked against sums
 * computed from the uploaded rows, not against the pipeline's own arithmetic.
 */
import { describe, expect, it } from "vitest";
import { completenessSchema, scopeViewSchema } from "../../lib/api/schemas.ts";
import { type Month, monthsBetween } from "../../lib/domain/periods.ts";
import {
  call,
  expectedFigures,
  FORMULA_TEXT,
  GAP_UNIT,
  LAST_MONTH,
  LATE_UNIT,
  MONTHS as MONTHS_OF_FIXTURE,
  SILENT_UNIT,
  UNITS,
  useApiFixture,
} from "./fixture.ts";

const fxOf = useApiFixture({ data: true });
const AREA1 = UNITS.slice(0, 4);
const AREA2 = UNITS.slice(4);
const BOM = [0xef, 0xbb, 0xbf];

async function aggregates(query: string, key = fxOf().keys.ops) {
  const reply = await call(fxOf(), `/v1/aggregates?${query}`, { key });
  expect(reply.status, reply.text).toBe(200);
  return scopeViewSchema.parse(reply.json());
}

function expectFigures(
  view: { values: Record<string, number | undefined> },
  units: readonly string[],
  from: Month,
  to: Month,
) {
  const want = expectedFigures(fxOf().rows, units, from, to);
  expect(view.values).toEqual(want.values);
  return want;
}

describe("GET /v1/aggregates", () => {
  it("sums a month for the root with reporting status and both comparisons", async () => {
    const view = await aggregates("scope=001&period=2026-10&include=missing");
    expect(view.scope).toEqual({ code: "001", name: "测试市直机关工委", parent: null });
    expect(view.period).toMatchObject({ label: "2026年10月", from: "2026-10", to: "2026-10", kind: "month" });
    const want = expectFigures(view, UNITS, "2026-10", "2026-10");
    expect(view.derived.solve_rate).toBeCloseTo(
      (want.values.problems_solved / want.values.problems_collected) * 100,
      2,
    );
    expect(view.reporting).toEqual({
      expected: 8,
      reported: 7,
      on_time: 6,
      missing: [SILENT_UNIT],
      late: [LATE_UNIT],
    });
    expect(view.compare?.previous_period.period).toEqual({
      label: "2026年9月",
      from: "2026-09",
      to: "2026-09",
    });
    expect(view.compare?.previous_period.values).toEqual(
      expectedFigures(fxOf().rows, UNITS, "2026-09", "2026-09").values,
    );
    expect(view.compare?.same_period_last_year.values).toEqual(
      expectedFigures(fxOf().rows, UNITS, "2025-10", "2025-10").values,
    );
    expect(view.compare?.same_period_last_year.reported_units).toBe(7);
  });

  it("takes each unit's latest stock in a quarter, even for a unit that skipped a month", async () => {
    const view = await aggregates("scope=001001&period=2026-Q3&include=missing");
    expect(view.period).toMatchObject({
      label: "2026年第三季度",
      from: "2026-07",
      to: "2026-09",
      kind: "quarter",
    });
    const want = expectFigures(view, AREA1, "2026-07", "2026-09");
    expect(want.values.members_total).toBeGreaterThan(0);
    expect(view.reporting.late).toContain(GAP_UNIT);
    expect(view.compare?.previous_period.period).toMatchObject({ from: "2026-04", to: "2026-06" });
    expect(view.compare?.same_period_last_year.period).toMatchObject({ from: "2025-07", to: "2025-09" });
  });

  it("runs 2026 and THIS_YEAR from January to the latest month with data", async () => {
    for (const period of ["2026", "THIS_YEAR"]) {
      const view = await aggregates(`period=${period}`);
      expect(view.period).toMatchObject({ from: "2026-01", to: LAST_MONTH, label: "2026年1—10月" });
      expectFigures(view, UNITS, "2026-01", LAST_MONTH);
      expect(view.months_with_data).toEqual(monthsBetween("2026-01", LAST_MONTH));
    }
  });

  it("resolves THIS_MONTH, LAST_MONTH and LAST_12_MONTHS against the clock", async () => {
    const thisMonth = await aggregates("period=THIS_MONTH&include=missing");
    expect(thisMonth.period).toMatchObject({ spec: "THIS_MONTH", from: "2026-11", to: "2026-11" });
    expect(thisMonth.reporting.reported).toBe(0);
    expect(thisMonth.reporting.missing).toHaveLength(8);
    expect(Object.values(thisMonth.values).every((v) => v === 0)).toBe(true);

    const lastMonth = await aggregates("period=LAST_MONTH");
    expect(lastMonth.period).toMatchObject({ spec: "LAST_MONTH", from: LAST_MONTH, to: LAST_MONTH });
    expectFigures(lastMonth, UNITS, LAST_MONTH, LAST_MONTH);

    const rolling = await aggregates("period=LAST_12_MONTHS");
    expect(rolling.period).toMatchObject({ kind: "rolling", from: "2025-11", to: "2026-10" });
    expectFigures(rolling, UNITS, "2025-11", "2026-10");
    expect(rolling.compare?.same_period_last_year.values).toEqual(
      expectedFigures(fxOf().rows, UNITS, "2024-11", "2025-10").values,
    );
  });

  it("reads a reporting unit from its own returns", async () => {
    const view = await aggregates("scope=001001001&period=2026-Q3&include=missing");
    expectFigures(view, ["001001001"], "2026-07", "2026-09");
    expect(view.reporting).toMatchObject({ expected: 1, reported: 1, on_time: 1, missing: [] });
  });

  it("breaks a scope down into its children", async () => {
    const view = await aggregates("scope=001&period=2026-10&breakdown=children&include=missing");
    expect(view.children?.map((c) => c.scope.code)).toEqual(["001001", "001002"]);
    const [area1, area2] = view.children ?? [];
    expectFigures(area1 as { values: Record<string, number> }, AREA1, LAST_MONTH, LAST_MONTH);
    expectFigures(area2 as { values: Record<string, number> }, AREA2, LAST_MONTH, LAST_MONTH);
    expect(area2?.reporting.missing).toEqual([SILENT_UNIT]);
    expect(area1?.compare?.previous_period.values).toEqual(
      expectedFigures(fxOf().rows, AREA1, "2026-09", "2026-09").values,
    );
  });

  it("returns only the listed indicators, and no comparison when asked not to", async () => {
    const view = await aggregates("period=2026-10&indicators=members_total,solve_rate&compare=false");
    expect(Object.keys(view.values)).toEqual(["members_total"]);
    expect(Object.keys(view.derived)).toEqual(["solve_rate"]);
    expect(view.compare).toBeUndefined();
  });

  it("answers 400 in Chinese for an indicator outside the catalogue, a bad period or an unknown parameter", async () => {
    const fx = fxOf();
    const bad = await call(fx, "/v1/aggregates?period=2026-10&indicators=members_total,party_fees", {
      key: fx.keys.ops,
    });
    expect(bad.status).toBe(400);
    expect(bad.json().error.code).toBe("E_BAD_REQUEST");
    expect(bad.json().error.message).toContain("party_fees");
    const period = await call(fx, "/v1/aggregates?period=2026-13", { key: fx.keys.ops });
    expect(period.status).toBe(400);
    expect(period.json().error.message).toContain("无法识别的期间");
    const typo = await call(fx, "/v1/aggregates?period=2026-10&indicator=members_total", {
      key: fx.keys.ops,
    });
    expect(typo.status).toBe(400);
    expect(typo.json().error.message).toContain("indicator");
    const unknown = await call(fx, "/v1/aggregates?scope=999&period=2026-10", { key: fx.keys.ops });
    expect(unknown.status).toBe(404);
  });

  it("exports a CSV table for Excel: BOM, catalogue columns, one row per scope and child", async () => {
    const fx = fxOf();
    const reply = await call(fx, "/v1/aggregates?scope=001&period=2026-10&breakdown=children&format=csv", {
      key: fx.keys.ops,
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(reply.headers.get("content-disposition")).toContain("attachment");
    expect([...reply.bytes.slice(0, 3)]).toEqual(BOM);
    const lines = reply.text.slice(1).trimEnd().split("\r\n");
    expect(lines).toHaveLength(4);
    const header = (lines[0] as string).split(",");
    expect(header.slice(0, 3)).toEqual(["单位代码", "单位名称", "期间"]);
    expect(header).toContain("党员总数(名)");
    expect(header).toContain("问题解决率(%)");
    const root = (lines[1] as string).split(",");
    const want = expectedFigures(fx.rows, UNITS, LAST_MONTH, LAST_MONTH);
    expect(root[header.indexOf("党员总数(名)")]).toBe(String(want.values.members_total));
    expect(lines.slice(2).map((l) => l.split(",")[0])).toEqual(["001001", "001002"]);
  });
});

describe("GET /v1/completeness", () => {
  it("gives 报送率, 及时率 and the missing and late units by name", async () => {
    const fx = fxOf();
    const reply = await call(fx, "/v1/completeness?period=2026-10", { key: fx.keys.ops });
    expect(reply.status).toBe(200);
    const view = completenessSchema.parse(reply.json());
    expect(view).toMatchObject({ expected: 8, reported: 7, on_time: 6, report_rate: 87.5, on_time_rate: 75 });
    expect(view.deadlines).toEqual([{ month: "2026-10", deadline: "2026-11-05" }]);
    expect(view.missing.map((u) => [u.code, u.name, u.parent?.code])).toEqual([
      [SILENT_UNIT, "第2片区第4机关党支部", "001002"],
    ]);
    expect(view.late.map((u) => [u.code, u.months_late])).toEqual([[LATE_UNIT, ["2026-10"]]]);
  });

  it("judges timeliness again with another deadline day", async () => {
    const fx = fxOf();
    const reply = await call(fx, "/v1/completeness?period=2026-10&deadline_day=10", { key: fx.keys.ops });
    expect(reply.json()).toMatchObject({ deadline_day: 10, on_time: 7, late: [] });
  });

  it("lists a unit that skipped a month of the quarter as late with the month missing", async () => {
    const fx = fxOf();
    const reply = await call(fx, "/v1/completeness?scope=001001&period=2026-Q3", { key: fx.keys.ops });
    const view = completenessSchema.parse(reply.json());
    expect(view.expected).toBe(4);
    expect(view.returns).toEqual({ expected: 12, received: 11, on_time: 11 });
    expect(view.late.find((u) => u.code === GAP_UNIT)?.months_missing).toEqual(["2026-08"]);
  });

  it("exports the missing and late units as CSV", async () => {
    const fx = fxOf();
    const reply = await call(fx, "/v1/completeness?period=2026-10&format=csv", { key: fx.keys.ops });
    expect([...reply.bytes.slice(0, 3)]).toEqual(BOM);
    expect(reply.text).toContain(`${SILENT_UNIT},第2片区第4机关党支部,第2片区,未报`);
    expect(reply.text).toContain(`${LATE_UNIT},第1片区第3机关党支部,第1片区,逾期或缺报`);
  });
});

describe("GET /v1/returns", () => {
  it("returns a unit's stored return with its text", async () => {
    const fx = fxOf();
    const reply = await call(fx, "/v1/returns?unit=001001001&period=2026-10", { key: fx.keys.ops });
    expect(reply.status).toBe(200);
    const body = reply.json();
    expect(body.returns).toHaveLength(1);
    expect(body.returns[0]).toMatchObject({
      unit: "001001001",
      period: "2026-10",
      highlight: FORMULA_TEXT,
      on_time: true,
    });
    const all = await call(fx, "/v1/returns?unit=001001001", { key: fx.keys.ops });
    expect(all.json().returns).toHaveLength(13);
  });

  it("returns every unit's return under a scope for a period, and needs the period for that", async () => {
    const fx = fxOf();
    const reply = await call(fx, "/v1/returns?unit=001001&period=2026-10", { key: fx.keys.ops });
    expect(reply.json().returns.map((r: { unit: string }) => r.unit)).toEqual(AREA1);
    const noPeriod = await call(fx, "/v1/returns?unit=001001", { key: fx.keys.ops });
    expect(noPeriod.status).toBe(400);
  });

  it("neutralises a formula-like 亮点工作 in the CSV export", async () => {
    const fx = fxOf();
    const reply = await call(fx, "/v1/returns?unit=001001001&period=2026-10&format=csv", {
      key: fx.keys.ops,
    });
    expect([...reply.bytes.slice(0, 3)]).toEqual(BOM);
    expect(reply.text).toContain(`"'=HYPERLINK(""http://example.com"",""点击"")"`);
    expect(reply.text).not.toMatch(/,"?=HYPERLINK/);
  });
});

describe("GET /v1/units", () => {
  it("lists the registry with its hierarchy, parents first", async () => {
    const fx = fxOf();
    const reply = await call(fx, "/v1/units", { key: fx.keys.ops });
    const body = reply.json();
    expect(body.count).toBe(11);
    expect(body.units[0]).toMatchObject({
      code: "001",
      parent: null,
      depth: 0,
      leaf: false,
      children: ["001001", "001002"],
    });
    expect(body.units[1]).toMatchObject({ code: "001001", parent: "001", depth: 1 });
    expect(body.units[2]).toMatchObject({ code: "001001001", parent: "001001", depth: 2, leaf: true });
    const csv = await call(fx, "/v1/units?format=csv", { key: fx.keys.ops });
    expect(csv.text).toContain("001001001,第1片区第1机关党支部,001001,2,是");
  });

  it("shows one unit with its ancestors, children and reporting units", async () => {
    const fx = fxOf();
    const reply = await call(fx, "/v1/units/001001", { key: fx.keys.ops });
    expect(reply.json()).toMatchObject({
      code: "001001",
      name: "第1片区",
      ancestors: [{ code: "001", name: "测试市直机关工委" }],
      children: AREA1,
      reporting_units: 4,
    });
    const missing = await call(fx, "/v1/units/1001", { key: fx.keys.ops });
    expect(missing.status).toBe(404);
    expect(missing.json().error.message).toContain("001001");
  });
});

/** Whether a fixture unit reported a month, and on time (only LATE_UNIT's October came late). */
const reportedIn = (unit: string, month: Month): boolean =>
  fxOf().rows.some((r) => r.unit === unit && r.period === month);
const onTimeIn = (unit: string, month: Month): boolean => !(unit === LATE_UNIT && month === LAST_MONTH);

function expectedCounts(units: readonly string[], from: Month, to: Month) {
  const span = monthsBetween(from, to);
  return {
    expected: units.length,
    reported: units.filter((u) => span.some((m) => reportedIn(u, m))).length,
    on_time: units.filter((u) => span.every((m) => reportedIn(u, m) && onTimeIn(u, m))).length,
  };
}

/** Items the API's DynamoDB client read for one request, key look-ups (GetItem) apart. */
async function queriedItems(path: string): Promise<{ items: number; json: unknown }> {
  const fx = fxOf();
  const m = fx.stack.services.metrics;
  const before = { items: m.readItems, gets: m.requests.GetCommand ?? 0 };
  const reply = await call(fx, path, { key: fx.keys.ops });
  expect(reply.status, reply.text).toBe(200);
  const gets = (m.requests.GetCommand ?? 0) - before.gets;
  return { items: m.readItems - before.items - gets, json: reply.json() };
}

describe("Reporting counts from the rollups", () => {
  it("gives the counts without any list unless include=missing asks for one", async () => {
    const view = await aggregates("scope=001&period=2026-10");
    expect(view.reporting).toEqual(expectedCounts(UNITS, LAST_MONTH, LAST_MONTH));
    expect(view.reporting).toEqual({ expected: 8, reported: 7, on_time: 6 });
    const children = await aggregates("scope=001&period=2026-10&breakdown=children");
    expect(children.children?.map((c) => c.reporting)).toEqual([
      expectedCounts(AREA1, LAST_MONTH, LAST_MONTH),
      expectedCounts(AREA2, LAST_MONTH, LAST_MONTH),
    ]);
  });

  it("counts the units on time in every month of a quarter, a year to date and the last 12 months", async () => {
    for (const [query, units, from, to] of [
      ["scope=001001&period=2026-Q3", AREA1, "2026-07", "2026-09"],
      ["scope=001&period=2026", UNITS, "2026-01", LAST_MONTH],
      ["scope=001002&period=2026", AREA2, "2026-01", LAST_MONTH],
      ["scope=001&period=LAST_12_MONTHS", UNITS, "2025-11", LAST_MONTH],
      ["scope=001&period=2026-Q4", UNITS, "2026-10", "2026-12"],
      [`scope=${GAP_UNIT}&period=2026-Q3`, [GAP_UNIT], "2026-07", "2026-09"],
      [`scope=${LATE_UNIT}&period=2026`, [LATE_UNIT], "2026-01", LAST_MONTH],
    ] as const) {
      const view = await aggregates(query);
      expect(view.reporting, query).toEqual(expectedCounts(units, from, to));
    }
    // Not everyone everywhere: the late and gap units make a difference.
    expect(expectedCounts(UNITS, "2026-01", LAST_MONTH)).toEqual({ expected: 8, reported: 7, on_time: 5 });
  });

  it("reads a unit's own items and a 片区's own rollups only", async () => {
    const fx = fxOf();
    const ownReturns = (from: Month, to: Month) =>
      fx.rows.filter((r) => r.unit === "001001001" && r.period >= from && r.period <= to).length;
    // A month with comparisons: that month, the one before and a year before, from its own items.
    const month = await queriedItems("/v1/aggregates?scope=001001001&period=2026-10");
    expect(month.items).toBe(ownReturns("2026-09", LAST_MONTH) + ownReturns("2025-10", "2025-10"));
    // 今年以来 with comparisons: this year's and last year's months (one query across the two
    // months between them), plus the probe for the latest month.
    const m = fx.stack.services.metrics;
    const before = m.readItems;
    await fx.stack.services.stores.rollups.latestMonth("001");
    const probe = m.readItems - before;
    const leaf = await queriedItems("/v1/aggregates?scope=001001001&period=2026");
    expect(leaf.items).toBe(ownReturns("2025-01", LAST_MONTH) + probe);
    // A 片区's month: this month, the month before and a year before, at most every shard of each.
    const area = await queriedItems("/v1/aggregates?scope=001001&period=2026-10");
    expect(area.items).toBeGreaterThan(0);
    expect(area.items).toBeLessThanOrEqual(3 * fx.stack.config.ROLLUP_SHARDS);
    // The lists add that 片区's returns of the month, nobody else's.
    const listed = await queriedItems("/v1/aggregates?scope=001001&period=2026-10&include=missing");
    expect(listed.items - area.items).toBe(
      fx.rows.filter((r) => AREA1.includes(r.unit) && r.period === LAST_MONTH).length,
    );
  });
});

describe("GET /v1/completeness lists", () => {
  it("pages the missing and late units in code order with a cursor", async () => {
    const fx = fxOf();
    const full = completenessSchema.parse(
      (await call(fx, "/v1/completeness?period=2026", { key: fx.keys.ops })).json(),
    );
    expect(full.next_cursor).toBeNull();
    expect(full.late.map((u) => u.code)).toEqual([GAP_UNIT, LATE_UNIT]);
    expect(full.missing.map((u) => u.code)).toEqual([SILENT_UNIT]);
    const pages = [];
    let cursor: string | null = null;
    do {
      const reply = await call(
        fx,
        `/v1/completeness?period=2026&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        { key: fx.keys.ops },
      );
      const page = completenessSchema.parse(reply.json());
      expect(page.missing.length + page.late.length).toBeLessThanOrEqual(1);
      // Every page carries the scope's counts.
      expect(page).toMatchObject({ expected: 8, reported: 7, on_time: 5, limit: 1 });
      pages.push(page);
      cursor = page.next_cursor;
    } while (cursor && pages.length < 10);
    expect(pages.flatMap((p) => p.late)).toEqual(full.late);
    expect(pages.flatMap((p) => p.missing)).toEqual(full.missing);
    expect(pages).toHaveLength(3);
    const bad = await call(fx, "/v1/completeness?period=2026&cursor=notacursor", { key: fx.keys.ops });
    expect(bad.status).toBe(400);
    expect(bad.json().error.message).toContain("cursor");
  });

  it("names who to call and how many Beijing days each unit is behind, against the request's clock", async () => {
    const fx = fxOf();
    const day = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 86_400_000;
    const october = completenessSchema.parse(
      (await call(fx, "/v1/completeness?period=2026-10", { key: fx.keys.ops })).json(),
    );
    // The clock is 10 November (Beijing); October's deadline was the 5th.
    const silent = october.missing.find((u) => u.code === SILENT_UNIT);
    expect(silent).toMatchObject({ days_late: day(2026, 11, 10) - day(2026, 11, 5) });
    expect(silent?.last_reporter).toBeUndefined();
    expect(silent?.last_phone).toBeUndefined();
    // Sent on 8 November: three days late; the contact is from September's return.
    expect(october.late.find((u) => u.code === LATE_UNIT)).toMatchObject({
      days_late: day(2026, 11, 8) - day(2026, 11, 5),
      last_reporter: "张三",
      last_phone: "0123-4567890",
    });
    // August missing in the quarter: from 5 September to today.
    const quarter = completenessSchema.parse(
      (await call(fx, "/v1/completeness?scope=001001&period=2026-Q3", { key: fx.keys.ops })).json(),
    );
    expect(quarter.late.find((u) => u.code === GAP_UNIT)?.days_late).toBe(
      day(2026, 11, 10) - day(2026, 9, 5),
    );
    // November's deadline (5 December) has not passed: missing, but not late yet.
    const november = completenessSchema.parse(
      (await call(fx, "/v1/completeness?period=THIS_MONTH", { key: fx.keys.ops })).json(),
    );
    expect(november.missing).toHaveLength(8);
    expect(november.missing.every((u) => u.days_late === undefined)).toBe(true);
    expect(november.missing.filter((u) => u.last_reporter === "张三")).toHaveLength(7);
    // With the 10th as deadline nobody is behind on 10 November.
    const tenth = completenessSchema.parse(
      (await call(fx, "/v1/completeness?period=2026-10&deadline_day=10", { key: fx.keys.ops })).json(),
    );
    expect(tenth.missing.map((u) => [u.code, u.days_late])).toEqual([[SILENT_UNIT, undefined]]);
    const csv = await call(fx, "/v1/completeness?period=2026-10&format=csv", { key: fx.keys.ops });
    expect(csv.text).toContain(
      `${LATE_UNIT},第1片区第3机关党支部,第1片区,逾期或缺报,2026-10,2026-10,,3,张三,0123-4567890`,
    );
  });
});

describe("GET /v1/returns pages", () => {
  it("pages a scope's returns by unit and month, and a unit's whole history", async () => {
    const fx = fxOf();
    const collect = async (base: string, limit: number) => {
      const out: { unit: string; period: string }[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const reply = await call(
          fx,
          `${base}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
          {
            key: fx.keys.ops,
          },
        );
        expect(reply.status, reply.text).toBe(200);
        const body = reply.json();
        expect(body.returns.length).toBeLessThanOrEqual(limit);
        out.push(
          ...body.returns.map((r: { unit: string; period: string }) => ({ unit: r.unit, period: r.period })),
        );
        cursor = body.next_cursor;
        pages++;
      } while (cursor && pages < 50);
      return { out, pages };
    };
    const want = fx.rows
      .filter((r) => r.period >= "2026-07" && r.period <= "2026-09")
      .map((r) => ({ unit: r.unit, period: r.period }))
      .sort((a, b) => a.unit.localeCompare(b.unit) || a.period.localeCompare(b.period));
    expect(want).toHaveLength(20);
    const paged = await collect("/v1/returns?unit=001&period=2026-Q3", 3);
    expect(paged.out).toEqual(want);
    expect(paged.pages).toBe(7);
    const whole = await collect("/v1/returns?unit=001001001", 5);
    expect(whole.out.map((r) => r.period)).toEqual(MONTHS_OF_FIXTURE);
    expect(whole.pages).toBe(3);
  });
});
