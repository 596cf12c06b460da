/**
 * The bulletin's faces: whole TTF files from @expo-google-fonts (they cover all of GB2312), read by
 * path so pdfmake can subset them; WOFF2 or unicode-range slices defeat subsetting (DESIGN.md).
 * Every family defines `bold` too (pdfmake asks for it for bold text and chart titles); the bold
 * faces reuse heavier files so a deployment needs four files, listed in BULLETIN_FONT_FILES.
 */
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TFontDictionary } from "pdfmake/interfaces.js";

/** Body text, 仿宋's stand-in. */
export const SERIF = "NotoSerifSC";
/** Masthead and headline, 小标宋's stand-in. */
export const SERIF_HEAVY = "NotoSerifSCBlack";
/** "一、" headings, table headers and charts, 黑体's stand-in. */
export const SANS = "NotoSansSC";

const FILES = {
  serif: "@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf",
  serifBlack: "@expo-google-fonts/noto-serif-sc/900Black/NotoSerifSC_900Black.ttf",
  // Medium is the closest to 黑体 (SimHei has one weight, heavier than Noto Sans Regular).
  sans: "@expo-google-fonts/noto-sans-sc/500Medium/NotoSansSC_500Medium.ttf",
  sansBold: "@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf",
} as const;

/** The package paths of every font file the bulletin may read (for bundling beside a Lambda). */
export const BULLETIN_FONT_FILES: readonly string[] = Object.values(FILES);

const require = createRequire(import.meta.url);

/**
 * A font file: from `fontDir` when given; else from node_modules; else from a `fonts/` folder beside
 * this module, which is where a bundled function (one .mjs file, no node_modules) keeps them.
 */
function locate(file: string, fontDir: string | undefined): string {
  if (fontDir) return join(fontDir, basename(file));
  try {
    return require.resolve(file);
  } catch {
    return join(dirname(fileURLToPath(import.meta.url)), "fonts", basename(file));
  }
}

/** Font files by family. */
export function bulletinFonts(fontDir?: string): TFontDictionary {
  const f = (file: string) => locate(file, fontDir);
  return {
    [SERIF]: { normal: f(FILES.serif), bold: f(FILES.serifBlack) },
    [SERIF_HEAVY]: { normal: f(FILES.serifBlack), bold: f(FILES.serifBlack) },
    [SANS]: { normal: f(FILES.sans), bold: f(FILES.sansBold) },
  };
}

/** Every file the fonts use: the renderer allows pdfmake to read these and nothing else. */
export function fontFiles(fonts: TFontDictionary): Set<string> {
  const files = new Set<string>();
  for (const family of Object.values(fonts)) {
    for (const file of Object.values(family)) if (typeof file === "string") files.add(file);
  }
  return files;
}
