/**
 * renderBulletinPdf: the only part of lib/bulletin that touches files (the fonts). pdfmake subsets
 * the TTFs to the glyphs used, so a bulletin with three faces stays a few hundred KB.
 *
 * Before the PDF is written, the layout is measured: a draft with zero-height markers after every
 * block is laid out by pdfmake (stopped before it writes a page), flow.ts proposes where a stranded
 * chart should float, and the order with the least white space at page feet is the one printed.
 *
 * pdfmake's Node entry point is a process-wide singleton: fonts and access policies are set before
 * each render (synchronously, before createPdf reads them), so renders do not depend on call order.
 */
import pdfmake from "pdfmake";
import type { TDocumentDefinitions } from "pdfmake/interfaces.js";
import { headingEndId, MEASURE_END_ID, toDocDefinition } from "./docdef.ts";
import {
  type BlockOrder,
  badness,
  blockEndId,
  blockId,
  type FlowGeometry,
  type Measured,
  naturalOrder,
  type Place,
  pageGaps,
  reflow,
  sameOrder,
} from "./flow.ts";
import { bulletinFonts, fontFiles } from "./fonts.ts";
import type { BulletinModel } from "./model.ts";
import { BODY_LINE_HEIGHT, BODY_SIZE, LINE_BOX_EM, MARGINS, PAGE_HEIGHT } from "./page.ts";

export interface RenderedBulletin {
  readonly pdf: Buffer;
  readonly pages: number;
}

export interface RenderOptions {
  /** Folder holding the TTF files (a Lambda layer, say); default: node_modules or ./fonts. */
  readonly fontDir?: string;
}

/** White space at a page foot of two body lines or more is a gap worth moving a chart for. */
export const FLOW_GEOMETRY: FlowGeometry = {
  bottom: PAGE_HEIGHT - MARGINS[3],
  minGap: 2 * BODY_SIZE * LINE_BOX_EM * BODY_LINE_HEIGHT,
};

/** Layouts measured at most (each about a third of a render): the first order and three moves. */
const MAX_MEASURES = 4;

function configure(options: RenderOptions): void {
  const fonts = bulletinFonts(options.fontDir);
  const allowed = fontFiles(fonts);
  pdfmake.setFonts(fonts);
  // The document needs no network and no file besides the fonts: an image URL or path smuggled
  // into the model must fail, not be fetched or read.
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path) => allowed.has(path));
}

type PageBreakBefore = Extract<TDocumentDefinitions["pageBreakBefore"], (...args: never[]) => unknown>;

/** Thrown from pageBreakBefore once the last marker is placed: the layout is known, skip the PDF. */
class MeasuredEnough extends Error {}

interface Layout {
  readonly measured: Map<string, Measured>;
  readonly headingEnds: Map<number, Place>;
  readonly pages: number;
}

/** Where every block of the bulletin lands with this order, from pdfmake's own layout. */
async function measure(model: BulletinModel, order: BlockOrder): Promise<Layout> {
  const definition = toDocDefinition(model, { order, markers: true });
  const rules = definition.pageBreakBefore as PageBreakBefore;
  const starts = new Map<string, { start: Place; pages: readonly number[] }>();
  let pages = 0;
  definition.pageBreakBefore = (node, nodes) => {
    const breaks = rules(node, nodes) === true;
    const id = node.id;
    if (id) {
      const at = node.startPosition;
      // A node given a break moves to the top of the next page; pdfmake does not report it again.
      const start = breaks
        ? { page: at.pageNumber + 1, top: MARGINS[1] }
        : { page: at.pageNumber, top: at.top };
      starts.set(id, { start, pages: breaks ? [start.page] : node.pageNumbers });
      if (id === MEASURE_END_ID && !breaks) {
        pages = node.pages;
        throw new MeasuredEnough();
      }
    }
    return breaks;
  };
  try {
    await pdfmake.createPdf(definition).getBuffer();
  } catch (error) {
    if (!(error instanceof MeasuredEnough)) throw error;
  }
  const measured = new Map<string, Measured>();
  const headingEnds = new Map<number, Place>();
  order.forEach((blocks, s) => {
    const heading = starts.get(headingEndId(s));
    if (heading) headingEnds.set(s, heading.start);
    for (const b of blocks) {
      const id = blockId(s, b);
      const node = starts.get(id);
      const end = starts.get(blockEndId(s, b));
      if (!node || !end) continue;
      // A table starts where its caption does.
      const start = starts.get(`${id}-caption`)?.start ?? node.start;
      const all = new Set([start.page, ...node.pages, end.start.page]);
      measured.set(id, { start, end: end.start, pages: [...all].sort((x, y) => x - y) });
    }
  });
  return { measured, headingEnds, pages };
}

/** The print order with the least white space at page feet among the few flow.ts proposes. */
export async function flowOrder(model: BulletinModel): Promise<BlockOrder> {
  let order = naturalOrder(model);
  let best = { order, score: Number.POSITIVE_INFINITY };
  const tried: BlockOrder[] = [];
  for (let n = 0; n < MAX_MEASURES; n++) {
    const layout = await measure(model, order);
    const score = badness(pageGaps(layout.measured, layout.pages, FLOW_GEOMETRY));
    if (score < best.score) best = { order, score };
    if (score === 0) break;
    tried.push(order);
    const next = reflow(model, order, layout.measured, (s) => layout.headingEnds.get(s), FLOW_GEOMETRY);
    if (!next || tried.some((o) => sameOrder(o, next))) break;
    order = next;
  }
  return best.order;
}

export async function renderBulletinPdf(
  model: BulletinModel,
  options: RenderOptions = {},
): Promise<RenderedBulletin> {
  configure(options);
  const definition = toDocDefinition(model, { order: await flowOrder(model) });
  const footer = definition.footer;
  let pages = 0;
  if (typeof footer === "function") {
    // The footer is called once per page with the final page count: the cheapest way to learn it.
    definition.footer = (page, count, size) => {
      pages = count;
      return footer(page, count, size);
    };
  }
  const pdf = await pdfmake.createPdf(definition).getBuffer();
  return { pdf: Buffer.from(pdf), pages };
}
