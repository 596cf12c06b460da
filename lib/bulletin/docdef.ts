/**
 * toDocDefinition: the bulletin model laid out as a pdfmake document — 报头 with its red rule,
 * centred title, "一、" headings in 黑体 (Noto Sans SC), body in Noto Serif SC with a two-character
 * indent, tables and charts with numbered captions, page numbers "— n —" on the outer side, and the
 * 报尾 at the foot of the last page. Pure: it only builds the definition (charts become SVG text).
 */
import type { Content, CustomTableLayout, TableCell, TDocumentDefinitions } from "pdfmake/interfaces.js";
import { SANS, SERIF, SERIF_HEAVY } from "../files/fonts.ts";
import { chartSvg } from "./charts.ts";
import { colophonHeight, colophonInFooter, colophonSpacer } from "./colophon.ts";
import { type BlockOrder, blockEndId, blockId, naturalOrder } from "./flow.ts";
import type { Block, BulletinModel, Chart, Masthead, Paragraph, Section, Table } from "./model.ts";
import {
  BODY_LINE_HEIGHT,
  BODY_SIZE,
  GREY,
  INDENT,
  INK,
  LINE_BOX_EM,
  MARGINS,
  MASTHEAD_SIZE,
  NOTE_SIZE,
  PAGE_HEIGHT,
  RED,
  SMALL_SIZE,
  TABLE_SIZE,
  TEXT_WIDTH,
  TITLE_SIZE,
} from "./page.ts";
import { type Run, textRuns } from "./runs.ts";

const CHART_HEIGHT = 210;
const TABLE_LINE_HEIGHT = 1.05;
const MASTHEAD_RULE = 2.5;
/** Page numbers sit 7 mm below the text block, one character in from its outer edge. */
const PAGE_NUMBER_DROP = 19.8;

function mastheadBlock(m: Masthead): Content[] {
  const out: Content[] = [];
  if (m.classification) {
    out.push({ text: m.classification, font: SANS, fontSize: NOTE_SIZE, margin: [0, 0, 0, 10] });
  }
  out.push(
    {
      text: m.title,
      font: SERIF_HEAVY,
      fontSize: MASTHEAD_SIZE,
      color: RED,
      alignment: "center",
      lineHeight: 1,
    },
    { text: m.issue, alignment: "center", margin: [0, 12, 0, 0] },
    {
      columns: [
        { text: m.editor, width: "*" },
        { text: m.date, width: "auto" },
      ],
      margin: [0, 14, 0, 4],
    },
    {
      canvas: [
        { type: "line", x1: 0, y1: 0, x2: TEXT_WIDTH, y2: 0, lineWidth: MASTHEAD_RULE, lineColor: RED },
      ],
    },
  );
  return out;
}

/** A break run is a space too thin to see: it only gives the line breaker an opportunity. */
const HAIR = 0.01;

function inline(run: Run): Content {
  if (run.kind === "figure") return { text: run.text, noWrap: true };
  if (run.kind === "break") return { text: run.text, fontSize: HAIR };
  return run.text;
}

function runs(text: string): Content[] {
  return textRuns(text).map(inline);
}

function paragraph(p: Paragraph, margin: [number, number, number, number] = [0, 0, 0, 0]): Content {
  const content = runs(p.text);
  if (p.lead) content.unshift({ text: p.lead, font: SANS });
  return { text: content, leadingIndent: INDENT, alignment: "justify", margin };
}

const tableLayout: CustomTableLayout = {
  hLineWidth: () => 0.5,
  vLineWidth: () => 0.5,
  hLineColor: () => INK,
  vLineColor: () => INK,
  paddingLeft: () => 3,
  paddingRight: () => 3,
  paddingTop: () => 2,
  paddingBottom: () => 2,
  fillColor: (row) => (row === 0 ? "#F3E1E1" : null),
};

function caption(text: string, margin: [number, number, number, number]): Content {
  return { text, font: SANS, fontSize: NOTE_SIZE, alignment: "center", margin };
}

/**
 * A table breaks across pages like text: its header row repeats on every page, a row never splits,
 * and the header never stands alone at a page foot. The caption is its own node, kept with the table
 * by pageBreakBefore (id `${id}-caption`).
 */
/**
 * pdfmake takes an id on any node (pageBreakBefore sees it); the typings only allow it on text.
 */
function withId(content: Content, id: string): Content {
  return Object.assign(content as object, { id }) as Content;
}

function table(t: Table, id: string): Content[] {
  const cols = t.columns.length;
  // Widths are relative in the model; pdfmake wants points net of padding and rules.
  const available = TEXT_WIDTH - cols * 6 - (cols + 1) * 0.5;
  const total = t.widths.reduce((a, b) => a + b, 0);
  const widths = t.widths.map((w) => (w / total) * available);
  const header: TableCell[] = t.columns.map((c) => ({ text: c, font: SANS, alignment: "center" }));
  const rows: TableCell[][] = t.rows.map((row) =>
    row.map((cell, i) => ({ text: cell, alignment: t.numeric[i] ? "right" : i === 0 ? "center" : "left" })),
  );
  return [
    withId(caption(t.caption, [0, 8, 0, 4]), `${id}-caption`),
    withId(
      {
        table: { headerRows: 1, keepWithHeaderRows: 1, dontBreakRows: true, widths, body: [header, ...rows] },
        layout: tableLayout,
        fontSize: TABLE_SIZE,
        lineHeight: TABLE_LINE_HEIGHT,
      },
      id,
    ),
  ];
}

/**
 * A chart and its caption below it. Not an unbreakable stack: pdfmake lays those out apart and
 * reports where they were tried, not where they landed, and render.ts measures where charts land.
 * pageBreakBefore keeps the caption with its chart instead (id `${id}-figcaption`).
 */
function chart(c: Chart, id: string): Content[] {
  return [
    withId({ svg: chartSvg(c, TEXT_WIDTH, CHART_HEIGHT, SANS), width: TEXT_WIDTH, margin: [0, 8, 0, 0] }, id),
    withId(caption(c.caption, [0, 2, 0, 6]), `${id}-figcaption`),
  ];
}

function block(b: Block, id: string): Content[] {
  switch (b.kind) {
    case "paragraph":
      return [withId(paragraph(b), id)];
    case "note":
      return [
        withId(
          {
            text: runs(b.text),
            fontSize: NOTE_SIZE,
            color: GREY,
            lineHeight: 1.15,
            alignment: "justify",
            margin: [0, 2, 0, 6],
          },
          id,
        ),
      ];
    case "table":
      return table(b, id);
    case "chart":
      return chart(b, id);
  }
}

/**
 * A zero-height node whose position is where the block before it ended, for render.ts to measure
 * the layout by. It draws nothing visible (a white line of no length).
 */
function marker(id: string): Content {
  return withId(
    { canvas: [{ type: "line", x1: 0, y1: 0, x2: 0, y2: 0, lineWidth: 0, lineColor: "#FFFFFF" }] },
    id,
  );
}

export const headingEndId = (s: number): string => `mark-heading-${s}`;
/** The last marker: once it is placed the layout is known (render.ts may stop pdfmake there). */
export const MEASURE_END_ID = "mark-end";

function section(s: Section, index: number, order: readonly number[], markers: boolean): Content[] {
  const out: Content[] = [
    {
      id: `heading-${index}`,
      text: s.heading,
      font: SANS,
      leadingIndent: INDENT,
      headlineLevel: 1,
      margin: [0, 6, 0, 0],
    },
  ];
  if (markers) out.push(marker(headingEndId(index)));
  for (const b of order) {
    const found = s.blocks[b];
    if (!found) continue;
    out.push(...block(found, blockId(index, b)));
    if (markers) out.push(marker(blockEndId(index, b)));
  }
  return out;
}

/** Ids of body content: not the markers (mark-…), nor the footer's page numbers and 报尾, which pdfmake lists too. */
const BODY = /^(?:heading|block)-/;

interface NodeInfo {
  readonly id?: string;
  readonly headlineLevel?: number;
  readonly svg?: unknown;
  readonly startPosition: { readonly top: number };
}

/** Bottom of the text block, from the top of the page. */
const TEXT_BOTTOM = PAGE_HEIGHT - MARGINS[3];
/**
 * Room a table needs below its caption: the header row and a first row of two lines. pdfmake moves
 * a table whose header and first row do not fit (keepWithHeaderRows), but still reports it as
 * starting where it was tried, at the foot of the page; a table reported with less room than this
 * below it has in fact gone to the next page.
 */
const TABLE_START_ROOM = 3 * (TABLE_SIZE * LINE_BOX_EM * TABLE_LINE_HEIGHT) + 2 * (4 + 0.5);

/**
 * A heading never ends a page (it moves with the text it introduces), a table's caption never ends
 * one either (it moves with its table), and a chart moves to the next page with its caption.
 */
function keepWithNext(node: NodeInfo, following: () => readonly NodeInfo[]): boolean {
  const id = node.id ?? "";
  const find = (wanted: string) => following().find((n) => n.id === wanted);
  if (node.headlineLevel === 1) {
    return !following().some((n) => n.id !== undefined && BODY.test(n.id) && !n.id.endsWith("-caption"));
  }
  if (id.endsWith("-caption")) {
    const table = find(id.slice(0, -"-caption".length));
    return !table || TEXT_BOTTOM - table.startPosition.top < TABLE_START_ROOM;
  }
  if (node.svg !== undefined && id.startsWith("block-")) return !find(`${id}-figcaption`);
  return false;
}

function pageNumber(page: number): Content {
  const odd = page % 2 === 1;
  return {
    text: `— ${page} —`,
    font: SERIF,
    fontSize: SMALL_SIZE,
    alignment: odd ? "right" : "left",
    margin: odd
      ? [0, PAGE_NUMBER_DROP, MARGINS[2] + SMALL_SIZE, 0]
      : [MARGINS[0] + SMALL_SIZE, PAGE_NUMBER_DROP, 0, 0],
  };
}

export interface LayoutOptions {
  /** Print order of each section's blocks (default: the model's order). */
  readonly order?: BlockOrder;
  /** Adds the zero-height markers render.ts measures the layout with (they draw nothing). */
  readonly markers?: boolean;
}

export function toDocDefinition(model: BulletinModel, options: LayoutOptions = {}): TDocumentDefinitions {
  const colophon = colophonHeight(model.colophon);
  const order = options.order ?? naturalOrder(model);
  const markers = options.markers === true;
  return {
    pageSize: "A4",
    pageMargins: [...MARGINS],
    info: { title: model.meta.title, author: model.masthead.editor, subject: model.headline.title },
    defaultStyle: { font: SERIF, fontSize: BODY_SIZE, lineHeight: BODY_LINE_HEIGHT, color: INK },
    content: [
      ...mastheadBlock(model.masthead),
      {
        text: model.headline.title,
        font: SERIF_HEAVY,
        fontSize: TITLE_SIZE,
        alignment: "center",
        lineHeight: 1.2,
        margin: [0, 22, 0, 4],
      },
      { text: model.headline.subtitle, alignment: "center", margin: [0, 0, 0, 12] },
      paragraph(model.editorNote),
      ...model.sections.flatMap((s, i) => section(s, i, order[i] ?? s.blocks.map((_, b) => b), markers)),
      paragraph(model.closing, [0, 6, 0, 0]),
      colophonSpacer(colophon),
      ...(markers ? [marker(MEASURE_END_ID)] : []),
    ],
    footer: (page, pages) =>
      page === pages
        ? { stack: [pageNumber(page), colophonInFooter(model.colophon, colophon)] }
        : pageNumber(page),
    pageBreakBefore: (node, nodes) => keepWithNext(node, nodes.getFollowingNodesOnPage),
  };
}
