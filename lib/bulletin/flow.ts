/**
 * Keeping the text flowing: where a chart does not fit in the space left on a page, pdfmake moves it
 * to the next page and leaves the foot of the page white. A typesetter floats the figure instead and
 * lets the text after it move up. Tables need no float (they break, header repeated), text flows.
 *
 * This module is the pure half: given where each block of a laid-out draft landed (measured by
 * render.ts from pdfmake's own layout), it proposes a new print order of the blocks, within their
 * section only — a chart never leaves its section:
 * - a stranded chart moves after the next text or table of its section (a table takes its note);
 * - a stranded chart with nothing but charts after it moves before the text or table in front of it,
 *   when it fits where that block started.
 * render.ts measures each proposal and keeps the order with the least white space at page feet.
 */
import type { BulletinModel } from "./model.ts";

/** A point of the laid-out document: page (from 1) and distance from the top of the page (pt). */
export interface Place {
  readonly page: number;
  readonly top: number;
}

/** Where a block started, where it ended (the zero-height marker after it) and every page it is on. */
export interface Measured {
  readonly start: Place;
  readonly end: Place;
  readonly pages: readonly number[];
}

/** For each section, the indexes of its blocks in print order. */
export type BlockOrder = readonly (readonly number[])[];

/** pdfmake ids of what render.ts measures: block b of section s, and the marker after it. */
export const blockId = (s: number, b: number): string => `block-${s}-${b}`;
export const blockEndId = (s: number, b: number): string => `mark-block-${s}-${b}`;

export function naturalOrder(model: BulletinModel): BlockOrder {
  return model.sections.map((s) => s.blocks.map((_, i) => i));
}

export function sameOrder(a: BlockOrder, b: BlockOrder): boolean {
  return a.length === b.length && a.every((s, i) => s.join() === b[i]?.join());
}

export interface FlowGeometry {
  /** Distance from the top of the page to the bottom of the text block (pt). */
  readonly bottom: number;
  /** White space at a page foot smaller than this is the line grid, not a gap. */
  readonly minGap: number;
}

/**
 * White space at the foot of each page but the last, where no block runs on to the next page:
 * bottom of the text block minus the lowest end of a block on that page (only gaps ≥ minGap).
 */
export function pageGaps(
  measured: ReadonlyMap<string, Measured>,
  pages: number,
  geometry: FlowGeometry,
): Map<number, number> {
  const lowest = new Map<number, number>();
  const runsOn = new Set<number>();
  for (const m of measured.values()) {
    for (const p of m.pages) if (p < m.end.page) runsOn.add(p);
    lowest.set(m.end.page, Math.max(lowest.get(m.end.page) ?? 0, m.end.top));
  }
  const gaps = new Map<number, number>();
  for (let p = 1; p < pages; p++) {
    const end = lowest.get(p);
    if (runsOn.has(p) || end === undefined) continue;
    const gap = geometry.bottom - end;
    if (gap >= geometry.minGap) gaps.set(p, gap);
  }
  return gaps;
}

/** Total white space at page feet: what render.ts minimises over the orders it tries. */
export function badness(gaps: ReadonlyMap<number, number>): number {
  let total = 0;
  for (const g of gaps.values()) total += g;
  return total;
}

/** Block index → where it landed, for one section. */
function measuredOf(s: number, b: number, measured: ReadonlyMap<string, Measured>): Measured | undefined {
  return measured.get(blockId(s, b));
}

/**
 * The first stranded chart moved once (see the module comment), or null when no chart is stranded
 * or none can move. `headingEnd(s)` is where section s's heading ended.
 */
export function reflow(
  model: BulletinModel,
  order: BlockOrder,
  measured: ReadonlyMap<string, Measured>,
  headingEnd: (s: number) => Place | undefined,
  geometry: FlowGeometry,
): BlockOrder | null {
  for (let s = 0; s < order.length; s++) {
    const blocks = model.sections[s]?.blocks ?? [];
    const printed = order[s] ?? [];
    const isChart = (k: number) => blocks[printed[k] as number]?.kind === "chart";
    const kindAt = (k: number) => blocks[printed[k] as number]?.kind;
    for (let k = 0; k < printed.length; k++) {
      if (!isChart(k)) continue;
      const here = measuredOf(s, printed[k] as number, measured);
      const before = k === 0 ? headingEnd(s) : measuredOf(s, printed[k - 1] as number, measured)?.end;
      if (!here || !before || here.start.page <= before.page) continue;
      if (geometry.bottom - before.top < geometry.minGap) continue;

      // Forward: past the next text or table (with the note that follows a table), never past
      // another chart.
      const next = k + 1 < printed.length && !isChart(k + 1) ? k + 1 : -1;
      if (next >= 0) {
        const groupEnd = kindAt(next) === "table" && kindAt(next + 1) === "note" ? next + 1 : next;
        const moved = [...printed];
        const [chart] = moved.splice(k, 1);
        moved.splice(groupEnd, 0, chart as number);
        return order.map((o, i) => (i === s ? moved : o));
      }

      // Backward: in front of the nearest text or table before it where it fits — never past
      // another chart, so 图1 stays before 图2.
      const height =
        here.end.page === here.start.page ? here.end.top - here.start.top : Number.POSITIVE_INFINITY;
      for (let j = k - 1; j >= 0; j--) {
        if (isChart(j)) break;
        // A note goes with the table above it: the chart may stand before the table, not between.
        if (kindAt(j) === "note" && kindAt(j - 1) === "table") continue;
        const target = measuredOf(s, printed[j] as number, measured);
        if (!target) break;
        if (geometry.bottom - target.start.top < height) continue;
        const moved = [...printed];
        const [chart] = moved.splice(k, 1);
        moved.splice(j, 0, chart as number);
        return order.map((o, i) => (i === s ? moved : o));
      }
    }
  }
  return null;
}
