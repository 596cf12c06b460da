import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { beforeAll, describe, expect, it } from "vitest";
import { composeBulletin } from "../../lib/bulletin/compose.ts";
import type { BulletinInput } from "../../lib/bulletin/input.ts";
import type { BulletinModel } from "../../lib/bulletin/model.ts";
import { renderBulletinPdf } from "../../lib/bulletin/render.ts";
import { type BulletinWording, loadWording } from "../../lib/bulletin/wording.ts";
import { CATALOGUE } from "../../lib/domain/catalogue.ts";
import { buildFixture } from "./fixture.ts";
import { phraseWith } from "./helpers.ts";

interface Extracted {
  /** All text, whitespace removed: lines and runs joined as a reader would read them. */
  readonly text: string;
  readonly pages: number;
  readonly links: number;
  readonly lastPage: string;
}

/** Text and link annotations through pdfjs, the maintained PDF reader (not our own layout data). */
async function extract(pdf: Buffer): Promise<Extracted> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false })
    .promise;
  const pages: string[] = [];
  let links = 0;
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(""));
    links += (await page.getAnnotations()).filter((a) => a.subtype === "Link").length;
  }
  await doc.destroy();
  const squeeze = (s: string) => s.replace(/\s+/g, "");
  return { text: squeeze(pages.join("")), pages: doc.numPages, links, lastPage: squeeze(pages.at(-1) ?? "") };
}

let wording: BulletinWording;
let input: BulletinInput;
let model: BulletinModel;
let rendered: { pdf: Buffer; pages: number };
let pdf: Extracted;

beforeAll(async () => {
  wording = await loadWording();
  input = buildFixture();
  model = composeBulletin(input, wording);
  rendered = await renderBulletinPdf(model);
  pdf = await extract(rendered.pdf);
});

describe("renderBulletinPdf (fixture month, text read back with pdfjs)", () => {
  it("prints the masthead and the 期号", () => {
    expect(pdf.text).toContain("机关党建工作简报");
    expect(pdf.text).toContain("2026年第10期");
    expect(pdf.text).toContain("2026年11月6日");
  });

  it("prints every non-zero figure of the month as the rollups have it", () => {
    const month = input.figures.month.values;
    const written = CATALOGUE.filter((ind) => month[ind.key] > 0);
    expect(written.length).toBeGreaterThan(20);
    for (const ind of written) expect(pdf.text).toContain(phraseWith(ind, wording, month[ind.key]));
  });

  it("names the units that did not report and those that reported late", () => {
    for (const u of [...input.completeness.missing, ...input.completeness.late])
      expect(pdf.text).toContain(u.name);
  });

  it("ends with the 报尾 on the last page", () => {
    expect(pdf.lastPage).toContain("报：");
    expect(pdf.lastPage).toContain("共印120份");
    expect(pdf.lastPage.indexOf("下一步")).toBeLessThan(pdf.lastPage.indexOf("报："));
  });

  it("reports its page count and prints page numbers", () => {
    expect(rendered.pages).toBe(pdf.pages);
    expect(pdf.text).toContain(`—${pdf.pages}—`);
  });

  it("contains no links, whatever the units typed", () => {
    expect(pdf.links).toBe(0);
    expect(pdf.text).not.toMatch(/HYPERLINK|http/);
  });

  it("stays within the size target with subset fonts", () => {
    expect(rendered.pdf.length).toBeLessThan(600 * 1024);
    expect(rendered.pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  });
});
