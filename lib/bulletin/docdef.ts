/**
 * toDocDefinition: the bulletin model laid out as a pdfmake document — 报头 with its red rule,
 * centred title, "一、" headings in 黑体 (Noto Sans SC), body in Noto Serif SC with a two-character
 * indent, tables and charts with numbered captions, page numbers "— n —" on the outer side, and the
 * 报尾 at the foot of the last page. Pure: it only builds the definition (charts become SVG text).
 */
import type {
  Content,
  ContentTable,
  CustomTableLayout,
  TableCell,
  TDocumentDefinitions,
} from "pdfmake/interfaces.js";
import { SANS, SERIF, SERIF_HEAVY } from "../files/fonts.ts";
import { chartSvg } from "./charts.ts";
import { colophonHeight, colophonInFooter, colophonSpacer } from "./colophon.ts";
import { type BlockOrder, blockEndId, blockId, naturalOrder } from "./flow.ts";
import type {
  ArchiveMeta,
  Block,
  BulletinModel,
  Chart,
  Masthead,
  Paragraph,
  Section,
  Table,
} from "./model.ts";
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

/** "送审稿" / "更正" in a red box at the top right of the masthead. */
function markBox(mark: string): ContentTable {
  return {
    table: { body: [[{ text: mark, font: SANS, fontSize: SMALL_SIZE, color: RED, margin: [4, 0, 4, 0] }]] },
    layout: {
      hLineWidth: () => 1,
      vLineWidth: () => 1,
      hLineColor: () => RED,
      vLineColor: () => RED,
    },
  };
}

function mastheadBlock(m: Masthead): Content[] {
  const out: Content[] = [];
  if (m.mark) {
    out.push({
      columns: [
        { text: m.classification, font: SANS, fontSize: NOTE_SIZE, width: "*", margin: [0, 3, 0, 0] },
        { ...markBox(m.mark), width: "auto" },
      ],
      margin: [0, 0, 0, 6],
    });
  } else if (m.classification) {
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

function paragraph(
  p: Paragraph,
  margin: [number, number, number, number] = [0, 0, 0, 0],
  outline?: string,
): Content {
  const content = runs(p.text);
  if (p.lead) content.unshift({ text: p.lead, font: SANS });
  return {
    text: content,
    leadingIndent: INDENT,
    alignment: "justify",
    margin,
    ...(outline ? { outline: true, outlineText: outline } : {}),
  };
}

/** "编者按：" → "编者按": a run-in lead as an outline entry. */
function leadTitle(p: Paragraph, fallback: string): string {
  return (p.lead ?? "").replace(/[：:\s]+$/u, "") || fallback;
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
      // The sections are the PDF's outline (bookmarks).
      outline: true,
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

/**
 * Metadata strings appear in the PDF's Info dictionary and, unescaped by pdfkit, in its XMP: the
 * characters XML gives meaning to become their full-width forms, so both say the same and stay valid.
 */
export function metaText(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Cf}]/gu, "")
    .replace(/&/g, "＆")
    .replace(/</g, "＜")
    .replace(/>/g, "＞");
}

function xml(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Cf}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** Namespace of the bulletin's own XMP properties (described by a PDF/A extension schema below). */
export const XMP_NAMESPACE = "http://ns.dangjian.invalid/bulletin/1.0/";

const XMP_PROPERTIES: readonly { name: string; type: "Text" | "Integer" | "Date"; description: string }[] = [
  { name: "issue", type: "Text", description: "期号(如 2026年第3期)" },
  { name: "issueNumber", type: "Integer", description: "当年第几期" },
  { name: "volume", type: "Integer", description: "期号所属年份" },
  { name: "period", type: "Text", description: "简报月份 YYYY-MM" },
  { name: "scopeCode", type: "Text", description: "简报范围的单位代码" },
  { name: "scopeName", type: "Text", description: "简报范围的单位名称" },
  { name: "signer", type: "Text", description: "签发人" },
  { name: "signedAt", type: "Date", description: "签发时间" },
  { name: "issueDate", type: "Date", description: "签发日期(报头日期,北京时间)" },
  { name: "corrects", type: "Text", description: "本期更正的期号" },
];

/**
 * XMP for the issued PDF beyond what pdfkit writes (title, creator, description, dates, PDF/A id):
 * the language and publisher (Dublin Core), and the 期号, scope, 签发人 and dates in the bulletin's
 * own namespace, which PDF/A requires to be described by an extension schema.
 */
export function archiveXmp(a: ArchiveMeta): string {
  const values: Record<string, string | number | undefined> = {
    issue: a.issue,
    issueNumber: a.issueNumber,
    volume: a.volume,
    period: a.period,
    scopeCode: a.scope.code,
    scopeName: a.scope.name,
    signer: a.signer,
    signedAt: a.signedAt,
    issueDate: a.issueDate,
    corrects: a.corrects,
  };
  const used = XMP_PROPERTIES.filter((p) => values[p.name] !== undefined);
  const schema = used
    .map(
      (p) =>
        `<rdf:li rdf:parseType="Resource"><pdfaProperty:name>${p.name}</pdfaProperty:name>` +
        `<pdfaProperty:valueType>${p.type}</pdfaProperty:valueType>` +
        "<pdfaProperty:category>external</pdfaProperty:category>" +
        `<pdfaProperty:description>${xml(p.description)}</pdfaProperty:description></rdf:li>`,
    )
    .join("");
  const props = used.map((p) => `<dj:${p.name}>${xml(String(values[p.name]))}</dj:${p.name}>`).join("");
  return [
    '<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"' +
      ' xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">' +
      '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">' +
      "<pdfaSchema:schema>机关党建工作简报</pdfaSchema:schema>" +
      `<pdfaSchema:namespaceURI>${XMP_NAMESPACE}</pdfaSchema:namespaceURI>` +
      "<pdfaSchema:prefix>dj</pdfaSchema:prefix>" +
      `<pdfaSchema:property><rdf:Seq>${schema}</rdf:Seq></pdfaSchema:property>` +
      "</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>",
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
      `<dc:language><rdf:Bag><rdf:li>${xml(a.language)}</rdf:li></rdf:Bag></dc:language>` +
      `<dc:publisher><rdf:Bag><rdf:li>${xml(a.publisher)}</rdf:li></rdf:Bag></dc:publisher>` +
      "</rdf:Description>",
    `<rdf:Description rdf:about="" xmlns:dj="${XMP_NAMESPACE}">${props}</rdf:Description>`,
  ].join("\n");
}

/** Opacity of the 送审稿 watermark: legible, and the text under it stays readable. */
const WATERMARK_OPACITY = 0.08;

export function toDocDefinition(model: BulletinModel, options: LayoutOptions = {}): TDocumentDefinitions {
  const colophon = colophonHeight(model.colophon);
  const order = options.order ?? naturalOrder(model);
  const markers = options.markers === true;
  const archive = model.meta.archive;
  return {
    pageSize: "A4",
    pageMargins: [...MARGINS],
    // The issued bulletin is archival: PDF/A-2b (PDF 1.7 with XMP and an sRGB output intent).
    ...(archive ? { version: "1.7" as const, subset: "PDF/A-2b" as const } : { version: "1.7" as const }),
    language: archive?.language ?? "zh-CN",
    displayTitle: true,
    info: {
      title: metaText(model.meta.title),
      author: metaText(model.masthead.editor),
      subject: metaText(model.headline.title + model.headline.subtitle),
      ...(archive
        ? {
            keywords: metaText(
              [model.masthead.title, archive.issue, archive.scope.name, archive.period].join(", "),
            ),
            creationDate: new Date(archive.signedAt),
          }
        : {}),
      creator: "dangjian",
      producer: "pdfmake",
    },
    ...(model.meta.watermark
      ? {
          watermark: {
            text: model.meta.watermark,
            font: SANS,
            bold: true,
            color: RED,
            opacity: WATERMARK_OPACITY,
            fontSize: 110,
          },
        }
      : {}),
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
      ...(model.correction
        ? [paragraph(model.correction, [0, 0, 0, 4], leadTitle(model.correction, "更正说明"))]
        : []),
      paragraph(model.editorNote, [0, 0, 0, 0], leadTitle(model.editorNote, "编者按")),
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
