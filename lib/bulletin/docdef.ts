/**
 * toDocDefinition: the bulletin model laid out as a pdfmake document — 报头 with its red rule,
 * centred title, "一、" headings in 黑体 (Noto Sans SC), body in Noto Serif SC with a two-character
 * indent, tables and charts with numbered captions, page numbers "— n —" on the outer side, and the
 * 报尾 at the foot of the last page. Pure: it only builds the definition (charts become SVG text).
 */
import type { Content, CustomTableLayout, TableCell, TDocumentDefinitions } from "pdfmake/interfaces.js";
import { chartSvg } from "./charts.ts";
import { colophonHeight, colophonInFooter, colophonSpacer } from "./colophon.ts";
import { SANS, SERIF, SERIF_HEAVY } from "./fonts.ts";
import type { Block, BulletinModel, Chart, Masthead, Paragraph, Section, Table } from "./model.ts";
import {
  BODY_LINE_HEIGHT,
  BODY_SIZE,
  GREY,
  INDENT,
  INK,
  MARGINS,
  MASTHEAD_SIZE,
  NOTE_SIZE,
  RED,
  SMALL_SIZE,
  TABLE_SIZE,
  TEXT_WIDTH,
  TITLE_SIZE,
} from "./page.ts";
import { type Run, textRuns } from "./runs.ts";

const CHART_HEIGHT = 210;
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

function table(t: Table): Content {
  const cols = t.columns.length;
  // Widths are relative in the model; pdfmake wants points net of padding and rules.
  const available = TEXT_WIDTH - cols * 6 - (cols + 1) * 0.5;
  const total = t.widths.reduce((a, b) => a + b, 0);
  const widths = t.widths.map((w) => (w / total) * available);
  const header: TableCell[] = t.columns.map((c) => ({ text: c, font: SANS, alignment: "center" }));
  const rows: TableCell[][] = t.rows.map((row) =>
    row.map((cell, i) => ({ text: cell, alignment: t.numeric[i] ? "right" : i === 0 ? "center" : "left" })),
  );
  return {
    unbreakable: true,
    stack: [
      caption(t.caption, [0, 8, 0, 4]),
      {
        table: { headerRows: 1, widths, body: [header, ...rows], dontBreakRows: true },
        layout: tableLayout,
        fontSize: TABLE_SIZE,
        lineHeight: 1.05,
      },
    ],
  };
}

function chart(c: Chart): Content {
  return {
    unbreakable: true,
    stack: [
      { svg: chartSvg(c, TEXT_WIDTH, CHART_HEIGHT, SANS), width: TEXT_WIDTH, margin: [0, 8, 0, 0] },
      caption(c.caption, [0, 2, 0, 6]),
    ],
  };
}

function block(b: Block): Content {
  switch (b.kind) {
    case "paragraph":
      return paragraph(b);
    case "note":
      return {
        text: runs(b.text),
        fontSize: NOTE_SIZE,
        color: GREY,
        lineHeight: 1.15,
        alignment: "justify",
        unbreakable: true,
        margin: [0, 2, 0, 6],
      };
    case "table":
      return table(b);
    case "chart":
      return chart(b);
  }
}

function section(s: Section): Content[] {
  return [
    {
      text: s.heading,
      font: SANS,
      leadingIndent: INDENT,
      headlineLevel: 1,
      margin: [0, 6, 0, 0],
    },
    ...s.blocks.map(block),
  ];
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

export function toDocDefinition(model: BulletinModel): TDocumentDefinitions {
  const colophon = colophonHeight(model.colophon);
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
      ...model.sections.flatMap(section),
      paragraph(model.closing, [0, 6, 0, 0]),
      colophonSpacer(colophon),
    ],
    footer: (page, pages) =>
      page === pages
        ? { stack: [pageNumber(page), colophonInFooter(model.colophon, colophon)] }
        : pageNumber(page),
    // A heading never ends a page: it moves to the next page with the text it introduces.
    pageBreakBefore: (node, nodes) =>
      node.headlineLevel === 1 && nodes.getFollowingNodesOnPage().length === 0,
  };
}
