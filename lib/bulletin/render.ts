/**
 * renderBulletinPdf: the only part of lib/bulletin that touches files (the fonts). pdfmake subsets
 * the TTFs to the glyphs used, so a bulletin with three faces stays a few hundred KB.
 *
 * pdfmake's Node entry point is a process-wide singleton: fonts and access policies are set before
 * each render (synchronously, before createPdf reads them), so renders do not depend on call order.
 */
import pdfmake from "pdfmake";
import { toDocDefinition } from "./docdef.ts";
import { bulletinFonts, fontFiles } from "./fonts.ts";
import type { BulletinModel } from "./model.ts";

export interface RenderedBulletin {
  readonly pdf: Buffer;
  readonly pages: number;
}

export interface RenderOptions {
  /** Folder holding the TTF files (a Lambda layer, say); default: node_modules or ./fonts. */
  readonly fontDir?: string;
}

function configure(options: RenderOptions): void {
  const fonts = bulletinFonts(options.fontDir);
  const allowed = fontFiles(fonts);
  pdfmake.setFonts(fonts);
  // The document needs no network and no file besides the fonts: an image URL or path smuggled
  // into the model must fail, not be fetched or read.
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path) => allowed.has(path));
}

export async function renderBulletinPdf(
  model: BulletinModel,
  options: RenderOptions = {},
): Promise<RenderedBulletin> {
  configure(options);
  const definition = toDocDefinition(model);
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
