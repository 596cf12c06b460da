/**
 * 报尾 (版记) at the foot of the last page, between a heavy rule above and below, with a thin rule
 * between the 报/送/发 lines and the 印发 line (GB/T 9704 版记 lines).
 *
 * pdfmake flows content from the top, so the 报尾 is drawn by the last page's footer, anchored to
 * the bottom of the text block, and the content ends with an invisible spacer of the same height:
 * the spacer moves to a new page when the 报尾 would not fit, and the 报尾 follows it there.
 */
import type { Content, ContentCanvas, CustomTableLayout } from "pdfmake/interfaces.js";
import { SERIF } from "../files/fonts.ts";
import type { Colophon } from "./model.ts";
import { INK, LINE_BOX_EM, MARGINS, SMALL_SIZE, TEXT_WIDTH } from "./page.ts";

const LINE_HEIGHT = 1.05;
const PADDING = 5;
/** One character of 4号 on each side, as GB/T 9704 sets the 版记 lines. */
const SIDE = SMALL_SIZE;
const HEAVY_RULE = 1;
const THIN_RULE = 0.6;

const layout: CustomTableLayout = {
  hLineWidth: (i, node) => (i === 0 || i === node.table.body.length ? HEAVY_RULE : i === 1 ? THIN_RULE : 0),
  vLineWidth: () => 0,
  hLineColor: () => INK,
  paddingLeft: () => SIDE,
  paddingRight: () => SIDE,
  paddingTop: () => PADDING,
  paddingBottom: () => PADDING,
};

function linesFor(text: string, width: number): number {
  // Every character counted full width: a slight overestimate for digits, never an underestimate.
  const perLine = Math.max(1, Math.floor(width / SMALL_SIZE));
  return Math.max(1, Math.ceil([...text].length / perLine));
}

/** Height the 报尾 takes, estimated before layout (pdfmake cannot tell us where a block will end). */
export function colophonHeight(colophon: Colophon): number {
  const lineAdvance = SMALL_SIZE * LINE_BOX_EM * LINE_HEIGHT;
  const inner = TEXT_WIDTH - 2 * SIDE;
  const entryLines = colophon.entries.reduce((n, e) => n + linesFor(e.label + e.text, inner), 0);
  const rows = [Math.max(entryLines, 1), 1, 1];
  const body = rows.reduce((h, lines) => h + lines * lineAdvance + 2 * PADDING, 0);
  return Math.ceil(body + 2 * HEAVY_RULE + THIN_RULE);
}

function colophonTable(colophon: Colophon): Content {
  const text = { font: SERIF, fontSize: SMALL_SIZE, lineHeight: LINE_HEIGHT };
  const entries: Content = {
    stack: colophon.entries.map((e) => ({
      ...text,
      // Wrapped lines align under the text, not under "报：".
      columns: [
        { text: e.label, width: "auto" },
        { text: e.text, width: "*" },
      ],
      columnGap: 0,
    })),
  };
  return {
    table: {
      widths: [TEXT_WIDTH - 2 * SIDE],
      body: [
        [entries],
        [
          {
            ...text,
            columns: [
              { text: colophon.editor, width: "*" },
              { text: colophon.printed, width: "auto" },
            ],
          },
        ],
        [{ ...text, text: colophon.copies, alignment: "right" }],
      ],
    },
    layout,
  };
}

/** Reserves the 报尾's height at the end of the content (an invisible vertical line). */
export function colophonSpacer(height: number): ContentCanvas {
  return {
    canvas: [{ type: "line", x1: 0, y1: 0, x2: 0, y2: height, lineWidth: 0.01, lineColor: "#FFFFFF" }],
  };
}

/** The 报尾 for the last page's footer: footer coordinates start at the bottom of the text block. */
export function colophonInFooter(colophon: Colophon, height: number): Content {
  return {
    absolutePosition: { x: MARGINS[0], y: -height },
    stack: [colophonTable(colophon)],
  };
}
