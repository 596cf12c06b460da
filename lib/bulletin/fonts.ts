/**
 * The bulletin's faces: whole TTF files from @expo-google-fonts (they cover all of GB2312), read by
 * path so pdfmake can subset them; WOFF2 or unicode-range slices defeat subsetting (DESIGN.md).
 * Every family defines `bold` too: pdfmake asks for it in table headers and chart titles.
 */
import { createRequire } from "node:module";
import type { TFontDictionary } from "pdfmake/interfaces.js";

/** Body text, 仿宋's stand-in. */
export const SERIF = "NotoSerifSC";
/** Masthead and headline, 小标宋's stand-in. */
export const SERIF_HEAVY = "NotoSerifSCBlack";
/** "一、" headings, table headers and charts, 黑体's stand-in. */
export const SANS = "NotoSansSC";

const require = createRequire(import.meta.url);

function serif(weight: string): string {
  return require.resolve(`@expo-google-fonts/noto-serif-sc/${weight}/NotoSerifSC_${weight}.ttf`);
}

function sans(weight: string): string {
  return require.resolve(`@expo-google-fonts/noto-sans-sc/${weight}/NotoSansSC_${weight}.ttf`);
}

/** Font files by family, resolved from node_modules. */
export function bulletinFonts(): TFontDictionary {
  return {
    [SERIF]: { normal: serif("400Regular"), bold: serif("700Bold") },
    [SERIF_HEAVY]: { normal: serif("900Black"), bold: serif("900Black") },
    // Medium is the closest to 黑体 (SimHei has one weight, heavier than Noto Sans Regular).
    [SANS]: { normal: sans("500Medium"), bold: sans("700Bold") },
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
