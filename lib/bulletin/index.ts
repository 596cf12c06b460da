/** The monthly 简报: compose (pure) → document definition (pure) → PDF (lib/files: fonts, pdfmake). */

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
export { type BulletinWording, parseWording } from "./wording.ts";
