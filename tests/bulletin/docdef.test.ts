import type { Content, ContentText, DynamicContent } from "pdfmake/interfaces.js";
import { beforeAll, describe, expect, it } from "vitest";
import { composeBulletin } from "../../lib/bulletin/compose.ts";
import { toDocDefinition } from "../../lib/bulletin/docdef.ts";
import type { BulletinModel } from "../../lib/bulletin/model.ts";
import { textRuns } from "../../lib/bulletin/runs.ts";
import { SANS, SERIF, SERIF_HEAVY } from "../../lib/files/fonts.ts";
import { loadWording } from "../../lib/files/wording-file.ts";
import { buildFixture } from "./fixture.ts";

let model: BulletinModel;

beforeAll(async () => {
  model = composeBulletin(buildFixture(), await loadWording());
});

const content = () => toDocDefinition(model).content as Content[];
const texts = () => content().filter((c): c is ContentText => typeof c === "object" && "text" in c);
const plain = (c: ContentText) =>
  (Array.isArray(c.text) ? c.text : [c.text])
    .map((t) => (typeof t === "object" && "text" in t ? t.text : t))
    .join("");

describe("toDocDefinition: the page", () => {
  it("is A4 with the GB/T 9704 margins and a 3号 Noto Serif SC body on a 22-line grid", () => {
    const dd = toDocDefinition(model);
    expect(dd.pageSize).toBe("A4");
    expect(dd.pageMargins).toEqual([79.4, 104.9, 73.7, 99.2]);
    expect(dd.defaultStyle).toMatchObject({ font: SERIF, fontSize: 15.8, lineHeight: 1.26 });
  });

  it("sets the masthead large and red in the heavy serif, the title in 22 pt", () => {
    const masthead = texts().find((t) => t.text === "机关党建工作简报");
    expect(masthead).toMatchObject({ font: SERIF_HEAVY, color: "#D40000", alignment: "center" });
    const title = texts().find((t) => t.text === model.headline.title);
    expect(title).toMatchObject({ font: SERIF_HEAVY, fontSize: 22 });
  });

  it("draws a thick red rule under the masthead", () => {
    const rule = content().find((c) => typeof c === "object" && "canvas" in c);
    expect(rule).toMatchObject({ canvas: [{ type: "line", lineColor: "#D40000" }] });
    expect((rule as { canvas: { lineWidth: number }[] }).canvas[0]?.lineWidth).toBeGreaterThanOrEqual(2);
  });

  it("sets 一、 headings in Noto Sans SC and indents paragraphs by two characters", () => {
    const heading = texts().find((t) => plain(t).startsWith("一、"));
    expect(heading).toMatchObject({ font: SANS, leadingIndent: 31.6, headlineLevel: 1 });
    const body = texts().find((t) => plain(t).includes("据统计"));
    expect(body).toMatchObject({ leadingIndent: 31.6 });
  });

  it("numbers pages — n — on the outer side, and puts the 报尾 on the last page only", () => {
    const footer = toDocDefinition(model).footer as DynamicContent;
    const size = { width: 595.28, height: 841.89, orientation: "portrait" as const };
    expect(footer(1, 3, size)).toMatchObject({ text: "— 1 —", alignment: "right" });
    expect(footer(2, 3, size)).toMatchObject({ text: "— 2 —", alignment: "left" });
    expect(JSON.stringify(footer(3, 3, size))).toContain("共印120份");
    expect(JSON.stringify(footer(2, 3, size))).not.toContain("共印");
  });
});

describe("textRuns", () => {
  it("keeps a figure with its measure word", () => {
    expect(textRuns("开展集中学习研讨527次，覆盖3.7万人次")).toEqual([
      { kind: "plain", text: "开展集中学习研讨" },
      { kind: "figure", text: "527次" },
      { kind: "plain", text: "，覆盖" },
      { kind: "figure", text: "3.7万人次" },
    ]);
  });

  it("lets a line break before an opening and after a closing quote", () => {
    const kinds = textRuns("落实“三会一课”1316次").map((r) => r.kind);
    expect(kinds).toEqual(["plain", "break", "plain", "break", "figure"]);
  });

  it("loses no character", () => {
    const text = model.sections
      .map((s) => s.blocks.map((b) => ("text" in b ? b.text : "")).join(""))
      .join("");
    expect(
      textRuns(text)
        .filter((r) => r.kind !== "break")
        .map((r) => r.text)
        .join(""),
    ).toBe(text);
  });
});
