/**
 * renderBulletinPdf: the only part of lib/bulletin that touches files (the fonts). pdfmake subsets
 * the TTFs to the glyphs used, so a bulletin with three faces stays a few hundred KB.
 *
 * The layout is measured as it is made: zero-height markers after every block tell where each one
 * ended; when a chart was stranded, flow.ts proposes where it should float, pdfmake lays the
 * proposal out (stopped before it writes a page), and the order with the least white space at page
 * feet is the one printed.
 *
 * pdfmake's Node entry point is a process-wide singleton: fonts and access policies are set before
 * each render (synchronously, before createPdf reads them), so renders do not depend on call order.
 */
import pdfmake from "pdfmake";
import type { TDocumentDefinitions } from "pdfmake/interfaces.js";
import { archiveXmp, headingEndId, MEASURE_END_ID, toDocDefinition } from "../bulletin/docdef.ts";
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
} from "../bulletin/flow.ts";
import type { BulletinModel } from "../bulletin/model.ts";
import { BODY_LINE_HEIGHT, BODY_SIZE, LINE_BOX_EM, MARGINS, PAGE_HEIGHT } from "../bulletin/page.ts";
import { bulletinFonts, fontFiles } from "./fonts.ts";

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

/** Layouts tried at most: the model's order and three moves (a measured layout costs about half a render). */
const MAX_LAYOUTS = 4;

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

/** pdfkit's metadata hook (PDFKit's typings do not list it). */
interface XmpDocument {
  appendXML(xml: string, newline?: boolean): void;
}

/** Thrown from pageBreakBefore once the last marker is placed: the layout is known, skip the PDF. */
class MeasuredEnough extends Error {}

interface Layout {
  readonly measured: Map<string, Measured>;
  readonly headingEnds: Map<number, Place>;
  readonly pages: number;
  /** The PDF, when the layout was written out (`write`), else null. */
  readonly pdf: Buffer | null;
}

/**
 * Where every block of the bulletin lands with this order, from pdfmake's own layout. With `write`
 * the PDF is written too (the markers draw nothing); without, pdfmake stops once the layout is known.
 */
async function layOut(model: BulletinModel, order: BlockOrder, write: boolean): Promise<Layout> {
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
        if (!write) throw new MeasuredEnough();
      }
    }
    return breaks;
  };
  let pdf: Buffer | null = null;
  try {
    const output = pdfmake.createPdf(definition);
    const archive = model.meta.archive;
    if (write && archive) {
      // The laid-out document before it is ended: XMP added now is written with pdfkit's own.
      const doc = (await output.getStream()) as unknown as XmpDocument;
      doc.appendXML(archiveXmp(archive));
    }
    pdf = Buffer.from(await output.getBuffer());
  } catch (error) {
    if (write || !(error instanceof MeasuredEnough)) throw error;
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
  return { measured, headingEnds, pages, pdf };
}

const scoreOf = (layout: Layout) => badness(pageGaps(layout.measured, layout.pages, FLOW_GEOMETRY));

/**
 * The bulletin in the order with the least white space at page feet among the few flow.ts
 * proposes. The model's own order is written out at once: most months need no float, and then
 * that first layout is the PDF.
 */
export async function renderBulletinPdf(
  model: BulletinModel,
  options: RenderOptions = {},
): Promise<RenderedBulletin> {
  configure(options);
  const first = await layOut(model, naturalOrder(model), true);
  let best = { layout: first, order: naturalOrder(model), score: scoreOf(first) };
  let current = best;
  const tried: BlockOrder[] = [best.order];
  for (let n = 1; n < MAX_LAYOUTS && current.score > 0; n++) {
    const next = reflow(
      model,
      current.order,
      current.layout.measured,
      (s) => current.layout.headingEnds.get(s),
      FLOW_GEOMETRY,
    );
    if (!next || tried.some((o) => sameOrder(o, next))) break;
    tried.push(next);
    const layout = await layOut(model, next, false);
    current = { layout, order: next, score: scoreOf(layout) };
    if (current.score < best.score) best = current;
  }
  if (best.layout.pdf) return { pdf: best.layout.pdf, pages: best.layout.pages };
  const final = await layOut(model, best.order, true);
  return { pdf: final.pdf as Buffer, pages: final.pages };
}
