/** The pure parts of the read side's lists: code order, cursors, paging of units to chase, days late. */
import { describe, expect, it } from "vitest";
import { zeroValues } from "../../lib/domain/catalogue.ts";
import { deadlineOf, type Month } from "../../lib/domain/periods.ts";
import { Registry, type Unit } from "../../lib/domain/registry.ts";
import {
  daysLate,
  decodeCursor,
  encodeCursor,
  positionAfter,
  unitsInOrder,
  unitsToChase,
} from "../../lib/read/lists.ts";
import { mergeSpans } from "../../lib/read/queries.ts";
import type { StoredReturn } from "../../lib/write/plan.ts";

function stored(
  unit: string,
  period: Month,
  onTime: boolean,
  firstSubmittedAt = "2026-11-01T00:00:00.000Z",
): StoredReturn {
  return {
    unit,
    period,
    scopes: ["A", "R"],
    values: zeroValues(),
    blanks: [],
    text: { explanation: "", highlight: "", reporter: "", phone: "" },
    warnings: [],
    uploadId: "u",
    version: "v",
    submittedAt: firstSubmittedAt,
    firstSubmittedAt,
    onTime,
    prev: null,
    prevStocks: null,
    onTimeSince: onTime ? period : null,
    rev: 1,
  };
}

const registry = new Registry([
  { code: "R", name: "root", parentCode: null },
  { code: "B", name: "b", parentCode: "R" },
  { code: "A", name: "a", parentCode: "R" },
  { code: "B2", name: "b2", parentCode: "B" },
  { code: "A9", name: "a9", parentCode: "A" },
  { code: "A1", name: "a1", parentCode: "A" },
  { code: "B1", name: "b1", parentCode: "B" },
]);

describe("lists", () => {
  it("orders a scope's units by code whatever the registry order, and finds the place after a code", () => {
    const units = unitsInOrder(registry, "R").map((u) => u.code);
    expect(units).toEqual(["A1", "A9", "B1", "B2"]);
    const list = unitsInOrder(registry, "R");
    expect(positionAfter(list, undefined)).toBe(0);
    expect(positionAfter(list, "A9")).toBe(2);
    expect(positionAfter(list, "A5")).toBe(1);
    expect(positionAfter(list, "B2")).toBe(4);
  });

  it("round-trips cursors and refuses what is not one", () => {
    for (const c of [{ unit: "001001" }, { unit: "001001001", period: "2026-10" }]) {
      expect(decodeCursor(encodeCursor(c))).toEqual({ period: undefined, ...c });
    }
    expect(decodeCursor("notacursor")).toBeUndefined();
    expect(decodeCursor(Buffer.from('{"u":""}').toString("base64url"))).toBeUndefined();
    expect(decodeCursor(Buffer.from('{"u":"x","p":"2026-1"}').toString("base64url"))).toBeUndefined();
  });

  it("pages the units to chase, each page continuing after the last unit it walked", async () => {
    const units = unitsInOrder(registry, "R");
    const returns = new Map<string, StoredReturn[]>([
      ["A1", [stored("A1", "2026-10", true)]],
      ["A9", [stored("A9", "2026-10", false)]],
      ["B2", [stored("B2", "2026-10", true)]],
    ]);
    const loaded: string[][] = [];
    const load = async (batch: readonly Unit[]) => {
      loaded.push(batch.map((u) => u.code));
      return new Map(batch.map((u) => [u.code, returns.get(u.code) ?? []]));
    };
    const first = await unitsToChase(units, 1, load, { limit: 1, batch: 2 });
    expect(first.units.map((u) => [u.unit.code, u.kind])).toEqual([["A9", "late"]]);
    expect(first.next).toEqual({ unit: "A9" });
    const second = await unitsToChase(units, 1, load, { after: first.next?.unit, limit: 1, batch: 2 });
    expect(second.units.map((u) => [u.unit.code, u.kind])).toEqual([["B1", "missing"]]);
    // B1 is not the last unit: the page cannot know B2 is on time without reading it.
    expect(second.next).toEqual({ unit: "B1" });
    const third = await unitsToChase(units, 1, load, { after: "B1", limit: 1, batch: 2 });
    expect(third).toEqual({ units: [], next: null });
    // Each page read only the units it walked past.
    expect(loaded).toEqual([["A1", "A9"], ["B1", "B2"], ["B2"]]);
  });

  it("counts whole Beijing days behind, from the deadline, for late and for missing months", () => {
    const deadline = deadlineOf("2026-10", 5);
    const at = (iso: string) => new Date(iso);
    // Missing: not overdue at the last millisecond of 5 November (Beijing), one day from midnight on.
    expect(daysLate(["2026-10"], [], 5, deadline)).toBeUndefined();
    expect(daysLate(["2026-10"], [], 5, new Date(deadline.getTime() + 1))).toBe(1);
    expect(daysLate(["2026-10"], [], 5, at("2026-11-07T15:59:59.999Z"))).toBe(2);
    expect(daysLate(["2026-10"], [], 5, at("2026-11-07T16:00:00.000Z"))).toBe(3);
    // Late: from the deadline to the first submission, whatever today is.
    const late = stored("A1", "2026-10", false, "2026-11-08T02:00:00.000Z");
    expect(daysLate(["2026-10"], [late], 5, at("2026-12-31T00:00:00.000Z"))).toBe(3);
    // On time: nothing, even long after.
    expect(
      daysLate(["2026-10"], [stored("A1", "2026-10", true)], 5, at("2027-01-01T00:00:00.000Z")),
    ).toBeUndefined();
    // Over a quarter the worst month counts: August missing beats a September one day late.
    const september = stored("A1", "2026-09", false, "2026-10-06T01:00:00.000Z");
    expect(daysLate(["2026-08", "2026-09"], [september], 5, at("2026-10-20T04:00:00.000Z"))).toBe(45);
    expect(daysLate(["2026-09"], [september], 5, at("2026-10-20T04:00:00.000Z"))).toBe(1);
  });

  it("merges the spans a source reads where they touch or lie within the gap", () => {
    expect(
      mergeSpans([
        { from: "2026-01", to: "2026-10" },
        { from: "2025-01", to: "2025-10" },
      ]),
    ).toEqual([
      { from: "2025-01", to: "2025-10" },
      { from: "2026-01", to: "2026-10" },
    ]);
    expect(
      mergeSpans(
        [
          { from: "2026-01", to: "2026-10" },
          { from: "2025-01", to: "2025-10" },
        ],
        2,
      ),
    ).toEqual([{ from: "2025-01", to: "2026-10" }]);
    expect(
      mergeSpans([
        { from: "2026-10", to: "2026-10" },
        { from: "2026-09", to: "2026-09" },
        { from: "2025-10", to: "2025-10" },
      ]),
    ).toEqual([
      { from: "2025-10", to: "2025-10" },
      { from: "2026-09", to: "2026-10" },
    ]);
  });
});
