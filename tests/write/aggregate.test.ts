/**
 * Rollup maths: the counters one return contributes, their pre-summed deltas, reading them back,
 * and the figures of a span of months — its edges, stocks as each unit's latest value, and sums of
 * 元 and 小时 that stay exact.
 */
import { describe, expect, it } from "vitest";
import { type Values, zeroValues } from "../../lib/domain/catalogue.ts";
import type { Month } from "../../lib/domain/periods.ts";
import {
  addCounters,
  aggregateMonths,
  clampRunStart,
  contribution,
  DeltaAccumulator,
  isCounterName,
  nonZero,
  ON_TIME_WINDOW,
  REPORTED_COUNTER,
  type RollupSource,
  readRollup,
  runCounter,
  supersededCounter,
  unitFigures,
  valueCounter,
} from "../../lib/write/aggregate.ts";

function values(over: Partial<Values> = {}): Values {
  return { ...zeroValues(), ...over };
}

function source(over: Partial<RollupSource> = {}): RollupSource {
  return {
    scopes: ["001001", "001"],
    period: "2026-10",
    values: values({ branches_total: 3, members_total: 50, sanhui_yike: 4 }),
    onTime: true,
    prev: null,
    prevStocks: null,
    ...over,
  };
}

describe("clampRunStart", () => {
  it("keeps a run start up to 11 months back and clamps an older one there (a window of 12 months)", () => {
    expect(ON_TIME_WINDOW).toBe(12);
    expect(clampRunStart("2026-12", "2026-12")).toBe("2026-12");
    expect(clampRunStart("2026-12", "2026-01")).toBe("2026-01");
    expect(clampRunStart("2026-12", "2025-12")).toBe("2026-01");
    expect(clampRunStart("2026-12", "2020-06")).toBe("2026-01");
  });
});

describe("counter names", () => {
  it("names value counters v_<key> and superseded counters x_<month>_<key> or x_<month>_n", () => {
    expect(valueCounter("members_total")).toBe("v_members_total");
    expect(supersededCounter("2026-09", "members_total")).toBe("x_2026-09_members_total");
    expect(supersededCounter("2026-09", "count")).toBe("x_2026-09_n");
    expect(runCounter("2026-03")).toBe("t_2026-03");
    expect(REPORTED_COUNTER).toBe("n_reported");
  });

  it("tells counters from the rollup item's keys and labels", () => {
    for (const name of [
      "n_reported",
      "n_on_time",
      "v_members_total",
      "x_2026-09_n",
      "x_2026-09_members_total",
    ]) {
      expect(isCounterName(name), name).toBe(true);
    }
    for (const name of ["pk", "sk", "scope", "month", "n_units", "label", "rev"]) {
      expect(isCounterName(name), name).toBe(false);
    }
  });
});

describe("contribution", () => {
  it("counts the return, its 及时, and every non-zero figure", () => {
    expect(contribution(source())).toEqual({
      n_reported: 1,
      n_on_time: 1,
      v_branches_total: 3,
      v_members_total: 50,
      v_sanhui_yike: 4,
    });
  });

  it("adds no 及时 for a late return", () => {
    expect(contribution(source({ onTime: false }))).toEqual({
      n_reported: 1,
      v_branches_total: 3,
      v_members_total: 50,
      v_sanhui_yike: 4,
    });
  });

  it("counts an on-time return's run start, and none for a late return or one without a run", () => {
    expect(contribution(source({ onTimeSince: "2026-07" }))).toMatchObject({ n_on_time: 1, "t_2026-07": 1 });
    expect(contribution(source({ onTime: false, onTimeSince: "2026-07" }))).not.toHaveProperty("t_2026-07");
    expect(
      Object.keys(contribution(source({ onTimeSince: null }))).filter((k) => k.startsWith("t_")),
    ).toEqual([]);
  });

  it("supersedes the unit's previous return: its count and its non-zero stocks, keyed by its month", () => {
    const c = contribution(
      source({ prev: "2026-08", prevStocks: { branches_total: 2, members_total: 45, members_reported: 0 } }),
    );
    expect(c).toMatchObject({
      "x_2026-08_n": 1,
      "x_2026-08_branches_total": 2,
      "x_2026-08_members_total": 45,
    });
    expect(Object.keys(c).filter((k) => k.startsWith("x_"))).toHaveLength(3);
  });

  it("supersedes the count alone when the previous return's stocks are unknown", () => {
    const c = contribution(source({ prev: "2026-08", prevStocks: null }));
    expect(Object.keys(c).filter((k) => k.startsWith("x_"))).toEqual(["x_2026-08_n"]);
  });
});

describe("addCounters and nonZero", () => {
  it("adds counter by counter and keeps sums of decimals exact to two places", () => {
    const into = { v_volunteer_hours: 0.1, n_reported: 1 };
    addCounters(into, { v_volunteer_hours: 0.2, v_donations_yuan: 100.25 });
    expect(into).toEqual({ v_volunteer_hours: 0.3, n_reported: 1, v_donations_yuan: 100.25 });
  });

  it("takes back a contribution with sign −1", () => {
    const into = { v_volunteer_hours: 0.3, n_reported: 2 };
    addCounters(into, { v_volunteer_hours: 0.1, n_reported: 1 }, -1);
    expect(into).toEqual({ v_volunteer_hours: 0.2, n_reported: 1 });
  });

  it("drops the counters that are zero", () => {
    expect(nonZero({ n_reported: 0, v_members_total: -3, v_sanhui_yike: 0.01 })).toEqual({
      v_members_total: -3,
      v_sanhui_yike: 0.01,
    });
  });
});

describe("DeltaAccumulator", () => {
  it("gives each scope of a return its contribution for the return's month", () => {
    const src = source({ prev: "2026-08", prevStocks: { members_total: 45 } });
    const acc = new DeltaAccumulator();
    acc.add(src);
    expect(acc.entries()).toEqual([
      { key: { scope: "001001", month: "2026-10" }, counters: contribution(src) },
      { key: { scope: "001", month: "2026-10" }, counters: contribution(src) },
    ]);
    expect(acc.size).toBe(2);
  });

  it("sums the run starts of on-time returns and takes them back with sign −1", () => {
    const acc = new DeltaAccumulator();
    acc.add(source({ scopes: ["001"], onTimeSince: "2026-07" }));
    acc.add(source({ scopes: ["001"], onTimeSince: "2026-07" }));
    acc.add(source({ scopes: ["001"], onTimeSince: "2026-09" }));
    acc.add(source({ scopes: ["001"], onTime: false, onTimeSince: "2026-05" }));
    acc.add(source({ scopes: ["001"], onTimeSince: "2026-09" }), -1);
    expect(acc.entries()[0]?.counters).toMatchObject({ n_reported: 3, n_on_time: 2, "t_2026-07": 2 });
    expect(Object.keys(acc.entries()[0]?.counters ?? {}).filter((k) => k.startsWith("t_"))).toEqual([
      "t_2026-07",
    ]);
  });

  it("supersedes the count alone when the previous return's stocks are unknown", () => {
    const src = source({ scopes: ["001"], prev: "2026-08", prevStocks: null });
    const acc = new DeltaAccumulator();
    acc.add(src);
    expect(acc.entries()).toEqual([{ key: { scope: "001", month: "2026-10" }, counters: contribution(src) }]);
  });

  it("sums returns per (scope, month) and keeps other months apart", () => {
    const acc = new DeltaAccumulator();
    acc.add(source({ scopes: ["001"] }));
    acc.add(source({ scopes: ["001"], onTime: false, values: values({ members_total: 10 }) }));
    acc.add(source({ scopes: ["001"], period: "2026-09" }));
    expect(acc.size).toBe(2);
    expect(acc.entries()).toEqual([
      {
        key: { scope: "001", month: "2026-10" },
        counters: { n_reported: 2, n_on_time: 1, v_branches_total: 3, v_members_total: 60, v_sanhui_yike: 4 },
      },
      { key: { scope: "001", month: "2026-09" }, counters: contribution(source({ period: "2026-09" })) },
    ]);
  });

  it("takes a contribution back with sign −1, down to no delta at all", () => {
    const src = source({ prev: "2026-08", prevStocks: { members_total: 45 } });
    const acc = new DeltaAccumulator();
    acc.add(src, 1);
    acc.add(src, -1);
    expect(acc.entries()).toEqual([]);
    expect(acc.size).toBe(2);
    const back = new DeltaAccumulator();
    back.add(src, -1);
    expect(back.entries()[0]?.counters).toEqual(
      nonZero(Object.fromEntries(Object.entries(contribution(src)).map(([k, v]) => [k, -v]))),
    );
  });

  it("moves a correction by the difference only", () => {
    const acc = new DeltaAccumulator();
    acc.add(source({ scopes: ["001"] }), -1);
    acc.add(
      source({ scopes: ["001"], values: values({ branches_total: 3, members_total: 52, sanhui_yike: 4 }) }),
    );
    expect(acc.entries()).toEqual([
      { key: { scope: "001", month: "2026-10" }, counters: { v_members_total: 2 } },
    ]);
  });

  it("keeps sums of 小时 and 元 exact to two places", () => {
    const acc = new DeltaAccumulator();
    for (const v of [0.1, 0.2, 0.7])
      acc.add(source({ scopes: ["001"], values: values({ volunteer_hours: v, donations_yuan: v / 10 }) }));
    expect(acc.entries()[0]?.counters).toEqual({
      n_reported: 3,
      n_on_time: 3,
      v_volunteer_hours: 1,
      v_donations_yuan: 0.1,
    });
  });

  it("sums the superseded counts and stocks of returns replacing the same month", () => {
    const acc = new DeltaAccumulator();
    acc.add(
      source({ scopes: ["001"], prev: "2026-08", prevStocks: { members_total: 45, branches_total: 2 } }),
    );
    acc.add(source({ scopes: ["001"], prev: "2026-08", prevStocks: { members_total: 5 } }));
    acc.add(source({ scopes: ["001"], prev: "2026-07", prevStocks: { members_reported: 7 } }));
    expect(acc.entries()[0]?.counters).toMatchObject({
      "x_2026-08_n": 2,
      "x_2026-08_members_total": 50,
      "x_2026-08_branches_total": 2,
      "x_2026-07_n": 1,
      "x_2026-07_members_reported": 7,
    });
    expect(acc.entries()[0]?.counters).not.toHaveProperty("x_2026-07_members_total");
  });
});

describe("readRollup", () => {
  it("reads counters back as figures, counts and superseded months", () => {
    const r = readRollup("2026-10", {
      n_reported: 3,
      n_on_time: 2,
      v_members_total: 140,
      v_volunteer_hours: 12.5,
      "x_2026-08_n": 2,
      "x_2026-08_members_total": 90,
      "x_2026-09_n": 1,
    });
    expect(r.month).toBe("2026-10");
    expect(r.values).toEqual(values({ members_total: 140, volunteer_hours: 12.5 }));
    expect([r.reported, r.onTime]).toEqual([3, 2]);
    expect([...r.superseded]).toEqual([
      ["2026-08", { count: 2, stocks: { members_total: 90 } }],
      ["2026-09", { count: 1, stocks: {} }],
    ]);
  });

  it("reads the run starts, leaving out those that count 0", () => {
    const r = readRollup("2026-10", { n_reported: 2, "t_2026-03": 1, "t_2026-05": 0, "t_2026-10": 1 });
    expect([...r.runs]).toEqual([
      ["2026-03", 1],
      ["2026-10", 1],
    ]);
    expect(r.values).toEqual(zeroValues());
    expect(r.superseded.size).toBe(0);
  });

  it("ignores value counters of indicators it does not know, and reads missing counts as 0", () => {
    const r = readRollup("2026-10", { v_retired_indicator: 5, v_sanhui_yike: 1 });
    expect(r.values).toEqual(values({ sanhui_yike: 1 }));
    expect(r.values).not.toHaveProperty("retired_indicator");
    expect([r.reported, r.onTime, r.superseded.size]).toEqual([0, 0, 0]);
  });

  it("reads back exactly what a return contributes", () => {
    const src = source({ prev: "2026-08", prevStocks: { members_total: 45, members_reported: 20 } });
    const r = readRollup(src.period, contribution(src));
    expect(r.values).toEqual(src.values);
    expect([r.reported, r.onTime]).toEqual([1, 1]);
    expect(r.superseded.get("2026-08")).toEqual({
      count: 1,
      stocks: { members_total: 45, members_reported: 20 },
    });
  });
});

describe("aggregateMonths", () => {
  const rollup = (
    month: Month,
    over: Partial<Values>,
    reported = 1,
    onTime = 1,
    superseded = new Map(),
    runs = new Map<Month, number>(),
  ) => ({
    month,
    values: values(over),
    reported,
    onTime,
    superseded,
    runs,
  });

  it("counts the units on time in every month from the last month's runs that start by the first month", () => {
    const last = rollup(
      "2026-09",
      {},
      4,
      4,
      new Map(),
      new Map([
        ["2026-05", 1],
        ["2026-07", 2],
        ["2026-08", 1],
      ]),
    );
    const months = [rollup("2026-07", {}), rollup("2026-08", {}), last];
    expect(aggregateMonths(months, "2026-07", "2026-09").onTimeUnits).toBe(3);
    expect(aggregateMonths(months, "2026-08", "2026-09").onTimeUnits).toBe(4);
    expect(aggregateMonths(months, "2026-06", "2026-09").onTimeUnits).toBe(1);
    // No rollup for the last month: nobody was on time in it.
    expect(aggregateMonths(months, "2026-07", "2026-10").onTimeUnits).toBe(0);
  });

  it("counts on-time units for spans of up to 12 months and gives null for longer ones", () => {
    const last = rollup("2026-12", {}, 1, 1, new Map(), new Map([["2026-01", 1]]));
    expect(aggregateMonths([last], "2026-01", "2026-12").onTimeUnits).toBe(1);
    expect(aggregateMonths([last], "2025-12", "2026-12").onTimeUnits).toBeNull();
  });

  it("includes both ends of the span and nothing outside it", () => {
    const figures = aggregateMonths(
      [
        rollup("2026-06", { sanhui_yike: 1000 }),
        rollup("2026-07", { sanhui_yike: 1 }),
        rollup("2026-09", { sanhui_yike: 10 }),
        rollup("2026-10", { sanhui_yike: 2000 }),
      ],
      "2026-07",
      "2026-09",
    );
    expect(figures.values.sanhui_yike).toBe(11);
    expect([figures.returns, figures.onTimeReturns, figures.reportedUnits]).toEqual([2, 2, 2]);
    expect(figures.monthsWithData).toEqual(["2026-07", "2026-09"]);
    expect([figures.from, figures.to]).toEqual(["2026-07", "2026-09"]);
  });

  it("takes each unit's latest stock: subtracts what a later month superseded from the span's first month on", () => {
    // One unit: 40 members in July, 45 in August (superseding July), 50 in September (superseding August).
    const months = [
      rollup("2026-07", { members_total: 40 }),
      rollup(
        "2026-08",
        { members_total: 45 },
        1,
        1,
        new Map([["2026-07", { count: 1, stocks: { members_total: 40 } }]]),
      ),
      rollup(
        "2026-09",
        { members_total: 50 },
        1,
        0,
        new Map([["2026-08", { count: 1, stocks: { members_total: 45 } }]]),
      ),
    ];
    const all = aggregateMonths(months, "2026-07", "2026-09");
    expect([all.values.members_total, all.reportedUnits, all.returns, all.onTimeReturns]).toEqual([
      50, 1, 3, 2,
    ]);
    // From August: July's superseded value lies before the span and is not subtracted.
    const fromAugust = aggregateMonths(months, "2026-08", "2026-09");
    expect([fromAugust.values.members_total, fromAugust.reportedUnits]).toEqual([50, 1]);
    const august = aggregateMonths(months, "2026-08", "2026-08");
    expect([august.values.members_total, august.reportedUnits]).toEqual([45, 1]);
  });

  it("reads a superseded month with no stocks as superseding 0", () => {
    const months = [
      rollup("2026-07", { members_total: 40 }),
      rollup("2026-08", { members_total: 45 }, 1, 1, new Map([["2026-07", { count: 1, stocks: {} }]])),
    ];
    expect(aggregateMonths(months, "2026-07", "2026-08").values.members_total).toBe(85);
  });

  it("sums 小时 and 元 exactly to two places, in any order of months", () => {
    const months = [
      rollup("2026-09", { volunteer_hours: 0.2, donations_yuan: 0.02 }),
      rollup("2026-07", { volunteer_hours: 0.1, donations_yuan: 0.01 }),
      rollup("2026-08", { volunteer_hours: 0.4, donations_yuan: 0.04 }),
    ];
    const figures = aggregateMonths(months, "2026-07", "2026-09");
    expect([figures.values.volunteer_hours, figures.values.donations_yuan]).toEqual([0.7, 0.07]);
    expect(figures.monthsWithData).toEqual(["2026-07", "2026-08", "2026-09"]);
  });

  it("lists only months where returns are counted, and derives rates from the sums", () => {
    const figures = aggregateMonths(
      [
        rollup("2026-08", {
          problems_collected: 8,
          problems_solved: 6,
          members_total: 50,
          members_reported: 40,
        }),
        rollup("2026-09", {}, 0, 0),
      ],
      "2026-08",
      "2026-09",
    );
    expect(figures.monthsWithData).toEqual(["2026-08"]);
    expect(figures.derived).toEqual({ solve_rate: 75, report_rate: 80, hours_per_member: 0 });
  });

  it("gives zeros and no months for a span without rollups", () => {
    const figures = aggregateMonths([], "2026-01", "2026-12");
    expect(figures.values).toEqual(zeroValues());
    expect([figures.reportedUnits, figures.returns, figures.onTimeReturns]).toEqual([0, 0, 0]);
    expect(figures.monthsWithData).toEqual([]);
  });
});

describe("unitFigures", () => {
  const ret = (period: Month, over: Partial<Values>, onTime = true) => ({
    period,
    values: values(over),
    onTime,
  });

  it("sums flows and takes stocks from the latest return of the span, whatever order the returns come in", () => {
    const figures = unitFigures(
      [
        ret("2026-09", { members_total: 52, volunteer_hours: 0.2 }, false),
        ret("2026-07", { members_total: 40, volunteer_hours: 0.1 }),
        ret("2026-08", { members_total: 45, volunteer_hours: 0.4 }),
      ],
      "2026-07",
      "2026-09",
    );
    expect([figures.values.members_total, figures.values.volunteer_hours]).toEqual([52, 0.7]);
    expect([figures.reportedUnits, figures.returns, figures.onTimeReturns]).toEqual([1, 3, 2]);
    expect(figures.monthsWithData).toEqual(["2026-07", "2026-08", "2026-09"]);
    expect(figures.derived.hours_per_member).toBeCloseTo(0.7 / 52, 12);
    // September was late: not on time in every month.
    expect(figures.onTimeUnits).toBe(0);
  });

  it("includes both ends of the span and nothing outside it", () => {
    const returns = [
      ret("2026-06", { sanhui_yike: 100, members_total: 1 }),
      ret("2026-07", { sanhui_yike: 1, members_total: 40 }),
      ret("2026-09", { sanhui_yike: 2, members_total: 41 }),
      ret("2026-10", { sanhui_yike: 200, members_total: 2 }),
    ];
    const figures = unitFigures(returns, "2026-07", "2026-09");
    expect([figures.values.sanhui_yike, figures.values.members_total, figures.returns]).toEqual([3, 41, 2]);
    expect(figures.monthsWithData).toEqual(["2026-07", "2026-09"]);
  });

  it("counts the unit on time only with an on-time return in every month of the span", () => {
    const all = [ret("2026-07", {}), ret("2026-08", {}), ret("2026-09", {})];
    expect(unitFigures(all, "2026-07", "2026-09").onTimeUnits).toBe(1);
    expect(unitFigures(all, "2026-08", "2026-08").onTimeUnits).toBe(1);
    expect(
      unitFigures(
        [all[0], all[2]].filter((r) => r !== undefined),
        "2026-07",
        "2026-09",
      ).onTimeUnits,
    ).toBe(0);
    expect(unitFigures(all, "2026-07", "2026-10").onTimeUnits).toBe(0);
  });

  it("gives zeros and no reporting unit for a span without returns", () => {
    const figures = unitFigures([ret("2026-06", { members_total: 40 })], "2026-07", "2026-09");
    expect(figures.values).toEqual(zeroValues());
    expect([figures.reportedUnits, figures.returns, figures.onTimeReturns]).toEqual([0, 0, 0]);
  });
});
