import { existsSync } from "node:fs";
import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BULLETIN_FONT_FILES,
  bulletinFonts,
  fontFiles,
  SANS,
  SERIF,
  SERIF_HEAVY,
} from "../../lib/files/fonts.ts";

describe("bulletinFonts", () => {
  it("defines normal and bold for every family, as whole TTF files that exist", () => {
    const fonts = bulletinFonts();
    expect(Object.keys(fonts).sort()).toEqual([SANS, SERIF, SERIF_HEAVY].sort());
    for (const family of Object.values(fonts)) {
      for (const face of [family.normal, family.bold]) {
        expect(face).toMatch(/\.ttf$/);
        expect(existsSync(face as string)).toBe(true);
      }
    }
  });

  it("reads them from a given folder (a Lambda layer or bundle) by file name", () => {
    const files = [...fontFiles(bulletinFonts("/opt/fonts"))];
    expect(files.every((f) => f.startsWith("/opt/fonts/"))).toBe(true);
  });

  it("lists every file it may read, so a bundle can ship exactly those", () => {
    const used = [...fontFiles(bulletinFonts())].map((f) => basename(f)).sort();
    expect(BULLETIN_FONT_FILES.map((f) => basename(f)).sort()).toEqual(used);
  });
});
