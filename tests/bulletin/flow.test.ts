/**
 * flow.ts on hand-made measurements: which chart counts as stranded, where it floats, and what it
 * never does (leave its section, pass another chart, part a table from its note).
 */
import { describe, expect, it } from "vitest";
import {
  type BlockOrder,
  blockId,
  type FlowGeometry,
  type Measured,
  naturalOrder,
  pageGaps,
  reflow,
} from "../../lib/bulletin/flow.ts";
import type { Block, BulletinModel } from "../../lib/bulletin/model.ts";

const geometry: FlowGeometry = { bottom: 740, minGap: 58 };

const paragraph: Block = { kind: "paragraph", text: "……" };
const note: Block = { kind: "note", text: "注：……" };
const table: Block = {
  kind: "table",
  caption: "表1",
  columns: ["a"],
  widths: [1],
  numeric: [false],
  rows: [],
};
const chart: Block = {
  kind: "chart",
  type: "bar",
  caption: "图1",
  categories: [],
  series: { name: "", values: [] },
  decimals: 0,
};

function modelOf(...sections: Block[][]): BulletinModel {
  return {
    sections: sections.map((blocks, i) => ({ key: `s${i}`, kind: "ranking", heading: "", blocks })),
  } as never;
}

/** [page, top] pairs: start and end of each block of section 0, in print order. */
function layout(...blocks: [number, number, number, number][]): Map<string, Measured> {
  return new Map(
    blocks.map(([sp, st, ep, et], b) => [
      blockId(0, b),
      {
        start: { page: sp, top: st },
        end: { page: ep, top: et },
        pages: Array.from({ length: ep - sp + 1 }, (_, i) => sp + i),
      },
    ]),
  );
}

const heading = () => ({ page: 1, top: 100 });

describe("reflow", () => {
  it("moves a chart that left a gap after the next text, so the text fills the page", () => {
    const model = modelOf([paragraph, chart, paragraph]);
    const measured = layout([1, 100, 1, 500], [2, 105, 2, 345], [2, 345, 2, 600]);
    expect(reflow(model, naturalOrder(model), measured, heading, geometry)).toEqual([[0, 2, 1]]);
  });

  it("takes a table's note along when the chart moves past the table", () => {
    const model = modelOf([paragraph, chart, table, note, chart]);
    const measured = layout(
      [1, 100, 1, 500],
      [2, 105, 2, 345],
      [2, 345, 2, 600],
      [2, 600, 2, 650],
      [3, 105, 3, 345],
    );
    expect(reflow(model, naturalOrder(model), measured, heading, geometry)).toEqual([[0, 2, 3, 1, 4]]);
  });

  it("leaves a chart alone when the space it left is under two lines", () => {
    const model = modelOf([paragraph, chart, paragraph]);
    const measured = layout([1, 100, 1, 700], [2, 105, 2, 345], [2, 345, 2, 600]);
    expect(reflow(model, naturalOrder(model), measured, heading, geometry)).toBeNull();
  });

  it("moves a stranded last chart in front of the text before it, where it fits", () => {
    const model = modelOf([paragraph, paragraph, chart]);
    const measured = layout([1, 100, 1, 300], [1, 300, 1, 600], [2, 105, 2, 345]);
    expect(reflow(model, naturalOrder(model), measured, heading, geometry)).toEqual([[0, 2, 1]]);
  });

  it("never moves a chart past another chart (图1 stays before 图2)", () => {
    const model = modelOf([paragraph, chart, chart]);
    const measured = layout([1, 100, 1, 300], [1, 300, 1, 540], [2, 105, 2, 345]);
    expect(reflow(model, naturalOrder(model), measured, heading, geometry)).toBeNull();
  });

  it("never puts a chart between a table and its note", () => {
    const model = modelOf([paragraph, table, note, chart]);
    const measured = layout([1, 100, 1, 560], [1, 560, 1, 640], [1, 640, 1, 670], [2, 105, 2, 345]);
    // Neither in front of the note nor in front of the table is there room: in front of the text.
    expect(reflow(model, naturalOrder(model), measured, heading, geometry)).toEqual([[3, 0, 1, 2]]);
  });

  it("keeps every chart in its own section", () => {
    // The next section's text follows, but the chart does not go past its section's end.
    const model = modelOf([paragraph, chart], [paragraph]);
    const measured = layout([1, 560, 1, 620], [2, 105, 2, 345]);
    expect(reflow(model, naturalOrder(model), measured, heading, geometry)).toBeNull();
  });
});

describe("pageGaps", () => {
  it("counts white space at a page foot where no block runs on, the last page aside", () => {
    const measured = layout([1, 100, 1, 500], [2, 105, 3, 200], [3, 200, 4, 300]);
    expect([...pageGaps(measured, 4, geometry)]).toEqual([[1, 240]]);
  });

  it("gives each section its own order", () => {
    const order: BlockOrder = naturalOrder(modelOf([paragraph, chart], [paragraph]));
    expect(order).toEqual([[0, 1], [0]]);
  });
});
