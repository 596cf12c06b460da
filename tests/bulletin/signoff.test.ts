/**
 * 审签 in the composed bulletin and its PDF (issue 14 part 2): a 送审稿 is marked and has no 期号
 * or date; the editors' 编者按, choice and order of 典型案例 and 按语 are what is printed; the issued
 * bulletin carries its 期号 and 签发 date, a 更正 says what it corrects; and the issued PDF is
 * archival — PDF/A-2b, zh-CN, XMP with title, 期号, scope, 签发人 and dates, an outline of the
 * sections, the title shown by the viewer — read back with pdfjs, qpdf and pdffonts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { composeBulletin } from "../../lib/bulletin/compose.ts";
import type { BulletinInput } from "../../lib/bulletin/input.ts";
import type { BulletinModel } from "../../lib/bulletin/model.ts";
import type { Edition } from "../../lib/bulletin/signoff.ts";
import type { BulletinWording } from "../../lib/bulletin/wording.ts";
import { renderBulletinPdf } from "../../lib/files/render.ts";
import { loadWording } from "../../lib/files/wording-file.ts";
import { buildFixture } from "./fixture.ts";
import { section, sectionText } from "./helpers.ts";
import { pdfFonts, pdfPages, pdfStructure, qpdfCatalog, qpdfCheck } from "./pdf-tools.ts";

let wording: BulletinWording;
let input: BulletinInput;

const SIGNED: Edition = {
  kind: "issued",
  issueNumber: 7,
  issueDate: "2026-11-09",
  // A name with the characters XML gives meaning to: the XMP must stay well-formed.
  signer: "王<建>&国",
  signedAt: "2026-11-09T01:30:00.000Z",
};

function codeOf(name: string): string {
  const unit = input.units.find((u) => u.name === name);
  if (!unit) throw new Error(`no fixture unit ${name}`);
  return unit.code;
}

beforeAll(async () => {
  wording = await loadWording();
  input = buildFixture();
});

describe("the 送审稿 (model)", () => {
  it("is marked 送审稿 in the masthead and carries no 期号 and no date until 签发", () => {
    const draft = composeBulletin(input, wording, { kind: "draft" });
    expect(draft.masthead.mark).toBe("送审稿");
    expect(draft.masthead.issue).toBe("2026年第　　期");
    expect(draft.masthead.date).not.toMatch(/\d/);
    expect(draft.colophon.printed).not.toMatch(/\d/);
    expect(draft.meta.watermark).toBe("送审稿");
    expect(draft.meta.title).toContain("送审稿");
    expect(draft.meta.archive).toBeUndefined();
    // A bulletin composed without an edition is as before 审签: no mark, the input's number.
    const plain = composeBulletin(input, wording);
    expect(plain.masthead.mark).toBeUndefined();
    expect(plain.masthead.issue).toBe("2026年第10期");
  });

  it("reads the same as the issued bulletin except for the 期号 and the date", () => {
    const draft = composeBulletin(input, wording, { kind: "draft" });
    const issued = composeBulletin(input, wording, SIGNED);
    expect(issued.headline).toEqual(draft.headline);
    expect(issued.editorNote).toEqual(draft.editorNote);
    expect(issued.sections).toEqual(draft.sections);
    expect(issued.closing).toEqual(draft.closing);
    expect(issued.masthead).toMatchObject({ issue: "2026年第7期", date: "2026年11月9日" });
    expect(issued.masthead.mark).toBeUndefined();
    expect(issued.colophon.printed).toBe("2026年11月9日印发");
  });

  it("prints the editors' 编者按, their cases in their order, and their 按语 — typeset, and nothing else changes", () => {
    const before = composeBulletin(input, wording, { kind: "draft" });
    const chosen = ["市司法局机关党支部", "市委组织部机关党支部"].map(codeOf);
    const edited = composeBulletin(input, wording, {
      kind: "draft",
      edits: {
        editorNote: '10月,全市机关党建工作稳中有进.各单位要对照"四强"要求,查漏补缺。',
        cases: chosen,
        comment: "以上做法各有特色,请各单位结合实际学习借鉴。",
      },
    });
    expect(edited.editorNote).toEqual({
      kind: "paragraph",
      lead: "编者按：",
      text: "10月，全市机关党建工作稳中有进。各单位要对照“四强”要求，查漏补缺。",
    });
    const cases = section(edited, "cases");
    expect(cases.blocks[0]).toEqual({
      kind: "paragraph",
      lead: "按语：",
      text: "以上做法各有特色，请各单位结合实际学习借鉴。",
    });
    const text = sectionText(edited, "cases");
    const first = text.indexOf("如市司法局机关党支部");
    const second = text.indexOf("又如市委组织部机关党支部");
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(text).not.toContain("再如");
    // The automatic choice would have been different, and every other section is untouched.
    expect(sectionText(before, "cases")).not.toContain("如市司法局机关党支部");
    const others = (m: BulletinModel) => m.sections.filter((s) => s.key !== "cases");
    expect(others(edited)).toEqual(others(before));
  });

  it("skips chosen cases that are no longer among the month's 亮点工作, and falls back when none is left", () => {
    const gone = "009009009";
    const one = composeBulletin(input, wording, {
      kind: "draft",
      edits: { cases: [gone, codeOf("市财政局机关党委")] },
    });
    expect(sectionText(one, "cases")).toMatch(/如市财政局机关党委[^又]*$/);
    const none = composeBulletin(input, wording, { kind: "draft", edits: { cases: [gone] } });
    expect(section(none, "cases").blocks).toEqual(section(composeBulletin(input, wording), "cases").blocks);
  });

  it("never prints what an editor pastes as a link or markup", () => {
    const edited = composeBulletin(input, wording, {
      kind: "draft",
      edits: { comment: '<b>重要</b>详见 https://example.com =HYPERLINK("http://x","点")请学习。' },
    });
    const comment = section(edited, "cases").blocks[0];
    expect(comment).toMatchObject({ lead: "按语：" });
    expect(JSON.stringify(comment)).not.toMatch(/https?:|<b>|HYPERLINK/);
  });
});

describe("a 更正 (model)", () => {
  it("says which issue it corrects and why, before the 编者按, and is marked 更正", () => {
    const correction = composeBulletin(input, wording, {
      ...SIGNED,
      issueNumber: 8,
      correction: {
        edition: 0,
        issueNumber: 7,
        issueDate: "2026-11-09",
        reason: "第二部分“三会一课”次数有误,应为1316次",
      },
    });
    expect(correction.correction).toEqual({
      kind: "paragraph",
      lead: "更正说明：",
      text: "本期更正2026年第7期（2026年11月9日印发）的内容：第二部分“三会一课”次数有误，应为1316次。原2026年第7期作废，请以本期为准。",
    });
    expect(correction.masthead).toMatchObject({ issue: "2026年第8期", mark: "更正" });
    expect(correction.meta.archive?.corrects).toBe("2026年第7期");
  });
});

describe("the PDFs (read back with pdfjs, qpdf and pdffonts)", () => {
  let draft: Buffer;
  let issued: Buffer;
  let model: BulletinModel;

  beforeAll(async () => {
    const edits = { comment: "请各单位学习借鉴。" };
    draft = (await renderBulletinPdf(composeBulletin(input, wording, { kind: "draft", edits }))).pdf;
    model = composeBulletin(input, wording, { ...SIGNED, edits });
    issued = (await renderBulletinPdf(model)).pdf;
  }, 120_000);

  it("prints 送审稿 on the draft's first page and no 期号 or date, the issued one's 期号 and 签发 date", async () => {
    const [first] = await pdfPages(draft);
    expect(first).toContain("送审稿");
    expect(first).toContain("2026年第期");
    expect(first).not.toMatch(/第\d+期|\d+年\d+月\d+日/);
    const issuedPages = await pdfPages(issued);
    expect(issuedPages[0]).toContain("2026年第7期");
    expect(issuedPages[0]).toContain("2026年11月9日");
    expect(issuedPages[0]).not.toContain("送审稿");
    expect(issuedPages.at(-1)).toContain("2026年11月9日印发");
    expect(issuedPages.join("")).toContain("按语：请各单位学习借鉴。");
  });

  it("issues a PDF/A-2b document in zh-CN whose XMP records title, 期号, scope, 签发人 and dates", async () => {
    const s = await pdfStructure(issued);
    expect(s.info.Language).toBe("zh-CN");
    expect(s.info.Title).toBe("机关党建工作简报　2026年第7期");
    expect(s.info.PDFFormatVersion).toBe("1.7");
    expect(s.xmp.get("pdfaid:part")).toBe("2");
    expect(s.xmp.get("pdfaid:conformance")).toBe("B");
    expect(s.xmp.get("dc:title")).toBe("机关党建工作简报　2026年第7期");
    expect(s.xmp.get("dc:language")).toBe("zh-CN");
    expect(s.xmp.get("dj:issue")).toBe("2026年第7期");
    expect(s.xmp.get("dj:issuenumber")).toBe("7");
    expect(s.xmp.get("dj:volume")).toBe("2026");
    expect(s.xmp.get("dj:period")).toBe("2026-10");
    expect(s.xmp.get("dj:scopecode")).toBe("001");
    expect(s.xmp.get("dj:scopename")).toBe("江城市");
    expect(s.xmp.get("dj:signer")).toBe("王<建>&国");
    expect(s.xmp.get("dj:signedat")).toBe("2026-11-09T01:30:00.000Z");
    expect(s.xmp.get("dj:issuedate")).toBe("2026-11-09");
    expect(s.xmp.get("xmp:createdate")).toBe("2026-11-09T01:30:00Z");
    // Every custom property is declared in the PDF/A extension schema.
    const raw = new TextDecoder().decode(issued);
    for (const name of ["issue", "issueNumber", "scopeCode", "signer", "signedAt", "issueDate"]) {
      expect(raw).toContain(`<pdfaProperty:name>${name}</pdfaProperty:name>`);
    }
  });

  it("has an outline of its sections and asks the viewer to show the title", async () => {
    const s = await pdfStructure(issued);
    expect(s.outline).toEqual(["编者按", ...model.sections.map((x) => x.heading)]);
    expect(s.viewer).toMatchObject({ DisplayDocTitle: true });
  });

  it("declares the sRGB output intent PDF/A needs and an uncompressed XMP stream (qpdf --json)", async () => {
    const { root, get } = await qpdfCatalog(issued);
    expect(root["/Lang"]).toBe("u:zh-CN");
    const [intent] = root["/OutputIntents"] as string[];
    expect(get(intent)).toMatchObject({ "/S": "/GTS_PDFA1", "/Type": "/OutputIntent" });
    expect(get(get(intent)["/DestOutputProfile"])).toMatchObject({ "/N": 3 });
    expect(get(root["/Metadata"])).toMatchObject({ "/Type": "/Metadata", "/Subtype": "/XML" });
    expect(get(root["/ViewerPreferences"])).toMatchObject({ "/DisplayDocTitle": true });
    // The draft is not claimed archival.
    const draftRoot = (await qpdfCatalog(draft)).root;
    expect(draftRoot["/OutputIntents"]).toBeUndefined();
    expect(draftRoot["/Lang"]).toBe("u:zh-CN");
  });

  it("passes qpdf --check, and pdffonts lists every font embedded and none of Type 3", async () => {
    for (const pdf of [issued, draft]) {
      expect(await qpdfCheck(pdf)).toContain("No syntax or stream encoding errors found");
      const { fonts, output } = await pdfFonts(pdf);
      expect(fonts.length, output).toBeGreaterThanOrEqual(3);
      for (const f of fonts) {
        expect(f.embedded, output).toBe(true);
        expect(f.type, output).not.toMatch(/Type 3/);
      }
    }
  });

  it("renders the same issued bytes from the same signed input (a retried 签发 rewrites the same file)", async () => {
    const again = (await renderBulletinPdf(model)).pdf;
    expect(Buffer.compare(again, issued)).toBe(0);
  }, 60_000);
});
