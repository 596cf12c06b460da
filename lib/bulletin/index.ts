/** The monthly 简报: compose (pure) → document definition (pure) → PDF (reads the fonts). */

export { WordingError } from "../errors.ts";
export { composeBulletin } from "./compose.ts";
export { toDocDefinition } from "./docdef.ts";
export { BULLETIN_FONT_FILES } from "./fonts.ts";
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
export { type RenderedBulletin, type RenderOptions, renderBulletinPdf } from "./render.ts";
export { type BulletinWording, DEFAULT_WORDING_PATH, loadWording, parseWording } from "./wording.ts";
