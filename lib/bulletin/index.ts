/**
 * The monthly 简报: compose (pure) → document definition (pure) → PDF (lib/files: fonts, pdfmake);
 * composed as a 送审稿 or as the issued bulletin (signoff.ts), the issued one archival (PDF/A-2b).
 */

export { WordingError } from "../errors.ts";
export { BULLETIN_FONT_FILES } from "../files/fonts.ts";
export { type RenderedBulletin, type RenderOptions, renderBulletinPdf } from "../files/render.ts";
export { DEFAULT_WORDING_PATH, loadWording } from "../files/wording-file.ts";
export { composeBulletin } from "./compose.ts";
export { toDocDefinition } from "./docdef.ts";
export type {
  BulletinInput,
  ChildFigures,
  Completeness,
  Highlight,
  NamedUnit,
  UnitFigures,
} from "./input.ts";
export type {
  ArchiveMeta,
  Block,
  BulletinModel,
  Chart,
  Colophon,
  Masthead,
  Note,
  Paragraph,
  Section,
  SectionKind,
  Table,
} from "./model.ts";
export type { Edition } from "./signoff.ts";
export { type BulletinWording, parseWording } from "./wording.ts";
