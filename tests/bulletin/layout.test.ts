/**
 * Issue 15 item 6, on rendered PDFs read back with pdfjs: no white space at a page foot where a
 * table did not fit, long tables break with their header row repeated, a table's caption stays with
 * its table, headings stay with their text. Three months: the fixture, the fixture with a 30-row
 * unit table (wording unitTop 30), and the fixture drawn with another seed.
 */
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { beforeAll, describe, expect, it } from "vitest";
import { composeBulletin } from "../../lib/bulletin/compose.ts";
import type { BulletinModel, Table } from "../../lib/bulletin/model.ts";
import { MARGINS } from "../../lib/bulletin/page.ts";
import { parseWording } from "../../lib/bulletin/wording.ts";
import { renderBulletinPdf } from "../../lib/files/render.ts";
import { loadWording } from "../../lib/files/wording-file.ts";
import { buildFixture } from "./fixture.ts";
import { section } from "./helpers.ts";

interface Item {
  readonly str: string;
  /** Baseline, from the bottom of the page (PDF coordinates). */
  readonly y: number;
  readonly height: number;
}

/** Each page's text items (page numbers left out), as pdfjs reads them. */
async function pagesOf(pdf: Buffer): Promise<Item[][]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false })
    .promise;
  const pages: Item[][] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    const items: Item[] = [];
    for (const item of content.items) {
      if (!("str" in item) || !item.str.trim() || /^—\s*\d+\s*—$/.test(item.str.trim())) continue;
      items.push({ str: item.str, y: item.transform[5] as number, height: item.height });
    }
    pages.push(items);
  }
  await doc.destroy();
  return pages;
}

/** A body line (3号 Noto Serif SC at the 22-line grid) and the foot of the text block. */
const LINE = 15.8 * 1.448 * 1.26;
const FOOT = MARGINS[3];
/** The last line's baseline sits about this far above the foot of the text block. */
const DESCENT = 13;

/** White space below the lowest text of a page, in body lines. */
const whiteLines = (page: readonly Item[]) => (Math.min(...page.map((i) => i.y)) - FOOT - DESCENT) / LINE;
/** A page that opens with a chart: its topmost text is the figure at the top of a y axis. */
const opensWithChart = (page: readonly Item[]) => {
  const top = page.reduce((a, b) => (b.y > a.y ? b : a));
  return /^\d+(\.\d+)?$/.test(top.str.trim()) && top.height <= 11;
};

/** The ranking's unit table (表2). */
function unitTable(model: BulletinModel): Table {
  const found = section(model, "ranking").blocks.find(
    (b): b is Table => b.kind === "table" && b.columns[1] === "单位",
  );
  if (!found) throw new Error("no unit table");
  return found;
}

/** The unit whose name cell this item is (a long name wraps in its cell: its first line counts). */
const cellOf = (item: Item, names: readonly string[]) =>
  names.find((n) => n === item.str || (item.str.length >= 6 && n.startsWith(item.str)));

interface Case {
  readonly name: string;
  model: BulletinModel;
  pages: Item[][];
}

const cases: Case[] = [
  { name: "the fixture month", model: undefined as never, pages: [] },
  { name: "a 30-row unit table", model: undefined as never, pages: [] },
  { name: "the fixture drawn with seed 7", model: undefined as never, pages: [] },
];

beforeAll(async () => {
  const wording = await loadWording();
  const long = structuredClone(wording) as unknown as { ranking: { unitTop: number } };
  long.ranking.unitTop = 30;
  const inputs = [
    composeBulletin(buildFixture(), wording),
    composeBulletin(buildFixture(), parseWording(long)),
    composeBulletin(buildFixture(7), wording),
  ];
  for (const [i, model] of inputs.entries()) {
    const c = cases[i] as Case;
    c.model = model;
    c.pages = await pagesOf((await renderBulletinPdf(model)).pdf);
  }
}, 60_000);

describe.each(cases.map((c, i) => [c.name, i] as const))("layout of %s", (_, i) => {
  const c = () => cases[i] as Case;

  it("leaves no page foot white for two lines or more, unless the next page opens with a chart", () => {
    const { pages } = c();
    for (let p = 0; p < pages.length - 1; p++) {
      const page = pages[p] as Item[];
      if (whiteLines(page) >= 2) expect(opensWithChart(pages[p + 1] as Item[]), `page ${p + 1}`).toBe(true);
    }
  });

  it("keeps each table's caption on the page where its header row is", () => {
    for (const page of c().pages) {
      for (const caption of page.filter((item) => /^表\d+/.test(item.str))) {
        const header = page.find((item) => item.str === "名次" && item.y < caption.y);
        expect(header, caption.str).toBeDefined();
        expect(caption.y - (header?.y ?? 0)).toBeLessThan(2 * LINE);
      }
    }
  });

  it("never ends a page with a heading", () => {
    for (const page of c().pages) {
      const lowest = Math.min(...page.map((item) => item.y));
      for (const heading of page.filter((item) => /^[一二三四五六七八九十]+、/.test(item.str))) {
        expect(heading.y, heading.str).toBeGreaterThan(lowest);
      }
    }
  });

  it("prints every unit of the ranking once, under a header row on each page the table runs over", () => {
    const table = unitTable(c().model);
    const names = table.rows.map((r) => r[1] as string);
    const rows = c().pages.flatMap((page, p) =>
      page.flatMap((item) => {
        const name = cellOf(item, names);
        return name ? [{ p, name, y: item.y }] : [];
      }),
    );
    expect(rows.map((r) => r.name).sort()).toEqual([...names].sort());
    for (const p of new Set(rows.map((r) => r.p))) {
      const firstRow = Math.max(...rows.filter((r) => r.p === p).map((r) => r.y));
      const header = (c().pages[p] as Item[]).filter((item) => item.str === "单位" && item.y > firstRow);
      expect(header, `page ${p + 1}`).toHaveLength(1);
    }
  });
});

describe("a long table", () => {
  it("breaks across pages rather than leaving one white", () => {
    const c = cases[1] as Case;
    const table = unitTable(c.model);
    expect(table.rows).toHaveLength(30);
    const names = table.rows.map((r) => r[1] as string);
    const pages = c.pages.flatMap((page, p) => (page.some((item) => cellOf(item, names)) ? [p] : []));
    expect(new Set(pages).size).toBeGreaterThanOrEqual(2);
  });
});
