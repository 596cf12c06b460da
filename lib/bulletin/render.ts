/**
 * renderBulletinPdf: the only part of lib/bulletin that touches files (the fonts). pdfmake subsets
 * the TTFs to the glyphs used, so a bulletin with three faces stays a few hundred KB.
 *
 * pdfmake's Node entry point is a process-wide singleton; the fonts and access policies set here
 * are the same on every call, so concurrent renders do not disturb each other.
 */
import pdfmake from "pdfmake";
import { toDocDefinition } from "./docdef.ts";
import { bulletinFonts, fontFiles } from "./fonts.ts";
import type { BulletinModel } from "./model.ts";

export interface RenderedBulletin {
  readonly pdf: Buffer;
  readonly pages: number;
}

const fonts = bulletinFonts();
const allowedFiles = fontFiles(fonts);

function configure(): void {
  pdfmake.addFonts(fonts);
  // The document needs no network and no file besides the fonts: an image URL or path smuggled
  // into the model must fail, not be fetched or read.
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path) => allowedFiles.has(path));
}

export async function renderBulletinPdf(model: BulletinModel): Promise<RenderedBulletin> {
  configure();
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
