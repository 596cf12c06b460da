import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { beforeAll, describe, expect, it } from "vitest";
import { composeBulletin } from "../../lib/bulletin/compose.ts";
import type { BulletinInput } from "../../lib/bulletin/input.ts";
import type { BulletinModel } from "../../lib/bulletin/model.ts";
import type { BulletinWording } from "../../lib/bulletin/wording.ts";
import { CATALOGUE } from "../../lib/domain/catalogue.ts";
import { renderBulletinPdf } from "../../lib/files/render.ts";
import { loadWording } from "../../lib/files/wording-file.ts";
import { shortName } from "../../lib/sample/units.ts";
import { buildFixture } from "./fixture.ts";
import { phraseWith, sampleStories } from "./helpers.ts";

interface Extracted {
  /** All text, whitespace removed: lines and runs joined as a reader would read them. */
  readonly text: string;
  readonly pages: number;
  readonly links: number;
  readonly lastPage: string;
  /** The page numbers printed at the foot ("— 3 —"), kept out of `text` so a line reads on. */
  readonly pageNumbers: readonly string[];
}

const PAGE_NUMBER = /^—\s*\d+\s*—$/;

/** Text and link annotations through pdfjs, the maintained PDF reader (not our own layout data). */
async function extract(pdf: Buffer): Promise<Extracted> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false })
    .promise;
  const pages: string[] = [];
  const pageNumbers: string[] = [];
  let links = 0;
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    const strings = content.items.map((item) => ("str" in item ? item.str : ""));
    pageNumbers.push(...strings.filter((s) => PAGE_NUMBER.test(s.trim())).map((s) => s.replace(/\s+/g, "")));
    pages.push(strings.filter((s) => !PAGE_NUMBER.test(s.trim())).join(""));
    links += (await page.getAnnotations()).filter((a) => a.subtype === "Link").length;
  }
  await doc.destroy();
  const squeeze = (s: string) => s.replace(/\s+/g, "");
  return {
    text: squeeze(pages.join("")),
    pages: doc.numPages,
    links,
    lastPage: squeeze(pages.at(-1) ?? ""),
    pageNumbers,
  };
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
    expect(pdf.pageNumbers).toEqual(Array.from({ length: pdf.pages }, (_, i) => `—${i + 1}—`));
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

describe("renderBulletinPdf (issue 15: the 简报 reads as if an editor wrote it)", () => {
  /** Three stories as the built-in sample writes them, all from one 片区. */
  const PICKS = [
    { unit: "市妇联机关党支部", story: "study" },
    { unit: "市民政局机关党支部", story: "double_ninth" },
    { unit: "市卫生健康委员会机关党委", story: "quoted" },
  ] as const;
  let stories: Extracted;

  beforeAll(async () => {
    const highlights = sampleStories(input, PICKS);
    const rendered = await renderBulletinPdf(composeBulletin({ ...input, highlights }, wording));
    stories = await extract(rendered.pdf);
  });

  it("has no half-width , ; : ? ! ( ) or straight quote between Chinese characters anywhere", () => {
    expect(
      sampleStories(input, PICKS)
        .map((h) => h.text)
        .join(""),
    ).toMatch(/[\p{Script=Han}],[\p{Script=Han}]/u);
    for (const text of [pdf.text, stories.text]) {
      expect(text).not.toMatch(/[\p{Script=Han}“”）][,;:?!()][\p{Script=Han}“（]/u);
      expect(text).not.toContain('"');
    }
    expect(stories.text).toMatch(/本月组织集中学习研讨\d+次，落实“三会一课”\d+次，/);
    expect(stories.text).toContain("推行在职党员“双报到双服务”工作，");
  });

  it("never prints a unit's name followed by its own short name, and joins the subject", () => {
    for (const u of input.units) expect(stories.text).not.toContain(u.name + shortName(u.name));
    expect(stories.text).toContain("如市妇联机关党支部坚持把理论学习作为首要任务");
    expect(stories.text).toContain("重阳节期间，市民政局机关党支部组织党员志愿者走进");
  });

  it("names the year's largest activities in the 编者按 instead of one total", () => {
    const ytd = input.figures.ytd.values;
    const top = CATALOGUE.filter((i) => i.time === "SUM" && ["次", "场"].includes(i.unit))
      .sort((a, b) => ytd[b.key] - ytd[a.key])
      .slice(0, 3);
    const note = pdf.text.slice(pdf.text.indexOf("编者按"), pdf.text.indexOf("一、"));
    const phrases = top.map((ind) => phraseWith(ind, wording, ytd[ind.key]));
    expect(note).toContain(`今年以来，累计${phrases.join("，")}。`);
    expect(note).not.toContain("各类活动");
  });

  it("prints no note on how the cases were picked, but the definition under the ranking", () => {
    expect(pdf.text).not.toMatch(/典型案例从|单位代码/);
    expect(pdf.text).toContain("注：每百名党员活动次数＝本月");
  });

  it("quotes three stories from a single 片区: 如……又如……再如……", () => {
    const cases = stories.text.slice(stories.text.indexOf("六、"), stories.text.indexOf("七、"));
    expect(cases).toMatch(/。如\S+。又如\S+。再如\S+/);
  });
});
