/**
 * Issue 15, on the composed model: the 简报 reads as if an editor wrote it — units' text typeset,
 * the story's subject said once, the 编者按 naming what was done, no notes about the machine, and
 * two or three 典型案例 whatever the spread of stories across 片区.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { joinSubject } from "../../lib/bulletin/cases.ts";
import { composeBulletin } from "../../lib/bulletin/compose.ts";
import type { BulletinInput, Highlight } from "../../lib/bulletin/input.ts";
import type { BulletinModel } from "../../lib/bulletin/model.ts";
import { type BulletinWording, parseWording } from "../../lib/bulletin/wording.ts";
import { CATALOGUE } from "../../lib/domain/catalogue.ts";
import { loadWording } from "../../lib/files/wording-file.ts";
import { shortName } from "../../lib/sample/units.ts";
import { buildFixture } from "./fixture.ts";
import { modelStrings, phraseWith, sampleStories, section, sectionText } from "./helpers.ts";

let wording: BulletinWording;
let input: BulletinInput;

beforeAll(async () => {
  wording = await loadWording();
  input = buildFixture();
});

const compose = (i: BulletinInput = input, w: BulletinWording = wording) => composeBulletin(i, w);
const cases = (model: BulletinModel) =>
  section(model, "cases")
    .blocks.filter((b) => b.kind === "paragraph")
    .map((b) => b.text);
const notes = (model: BulletinModel, key: string) =>
  section(model, key)
    .blocks.filter((b) => b.kind === "note")
    .map((b) => b.text);
const withOption = (patch: (json: Record<string, unknown>) => void): BulletinWording => {
  const json = structuredClone(wording) as unknown as Record<string, unknown>;
  patch(json);
  return parseWording(json);
};

/** Stories as the built-in sample writes them, from units in four 片区. */
const SAMPLE_PICKS = [
  { unit: "市妇联机关党支部", story: "study" },
  { unit: "市公共资源交易中心党支部", story: "double_ninth" },
  { unit: "市信访局机关党支部", story: "practical" },
  { unit: "市财政局机关党委", story: "quoted" },
  { unit: "市交通运输局机关党委", story: "donation" },
] as const;
const sampleInput = () => ({ ...input, highlights: sampleStories(input, SAMPLE_PICKS) });

const HALF_WIDTH_BETWEEN_CHINESE = /[\p{Script=Han}“”‘’）。，][,;:?!()][\p{Script=Han}“”‘’（]/u;

describe("1. units' punctuation is typeset", () => {
  it("quotes the sample's half-width stories with full-width punctuation and paired quotes", () => {
    const raw = sampleInput().highlights.map((h) => h.text);
    expect(raw.join("")).toMatch(/[\p{Script=Han}],[\p{Script=Han}]/u);
    expect(raw.join("")).toContain('"双报到双服务"');
    const texts = cases(compose(sampleInput())).join("");
    expect(texts).not.toMatch(HALF_WIDTH_BETWEEN_CHINESE);
    expect(texts).not.toContain('"');
    expect(texts).toMatch(/本月组织集中学习研讨\d+次，落实“三会一课”\d+次，/);
  });

  it("leaves no half-width , ; : ? ! ( ) between Chinese characters anywhere in the model", () => {
    for (const i of [input, sampleInput()]) {
      for (const text of modelStrings(compose(i))) expect(text).not.toMatch(HALF_WIDTH_BETWEEN_CHINESE);
    }
  });

  it("keeps the figures of a story exactly as the unit typed them", () => {
    const [donation] = sampleStories(input, [{ unit: "市交通运输局机关党委", story: "donation" }]);
    const typed = donation?.text.match(/善款(\d+\.\d{2})元/)?.[1];
    expect(typed).toBeDefined();
    const model = compose({ ...input, highlights: donation ? [donation] : [] });
    expect(cases(model).join("")).toContain(`共募集善款${typed}元，用于帮扶困难职工`);
  });

  it("typesets unit names from units.csv wherever they are printed", () => {
    const missing = input.completeness.missing.map((u, i) =>
      i === 0 ? { ...u, name: "市体育局(市足球协会)机关党支部" } : u,
    );
    const model = compose({ ...input, completeness: { ...input.completeness, missing } });
    expect(sectionText(model, "completeness")).toContain("市体育局（市足球协会）机关党支部");
    expect(JSON.stringify(model)).not.toContain("(市足球协会)");
  });
});

describe("2. the story's subject is said once", () => {
  const name = "市妇联机关党支部";
  const selves = ["我支部", "本支部"];
  it.each([
    ["市妇联坚持把理论学习作为首要任务", "", "坚持把理论学习作为首要任务"],
    ["市妇联机关党支部坚持把理论学习作为首要任务", "", "坚持把理论学习作为首要任务"],
    ["市妇联党支部，坚持把理论学习作为首要任务", "", "坚持把理论学习作为首要任务"],
    ["我支部组织党员律师开展服务", "", "组织党员律师开展服务"],
    ["本支部：组织党员律师开展服务", "", "组织党员律师开展服务"],
    ["重阳节期间，市妇联组织党员志愿者走进社区", "重阳节期间，", "组织党员志愿者走进社区"],
    ["中华慈善日期间，市妇联机关党组织发出倡议", "中华慈善日期间，", "发出倡议"],
    ["联合市直机关工委党支部开展“双周讲坛”活动", "", "联合市直机关工委党支部开展“双周讲坛”活动"],
    ["本月，全市妇联系统开展活动", "", "本月，全市妇联系统开展活动"],
  ])("%s", (text, opening, rest) => {
    expect(joinSubject(text, name, selves)).toEqual({ opening, rest });
  });

  it("joins the sample's stories to the unit's name: 如市妇联机关党支部坚持……", () => {
    const texts = cases(compose(sampleInput()));
    expect(texts.join("")).toMatch(/如市妇联机关党支部坚持把理论学习作为首要任务/);
  });

  it("puts a leading occasion before the unit: 如重阳节期间，市公共资源交易中心党支部组织……", () => {
    const [story] = sampleStories(input, [{ unit: "市公共资源交易中心党支部", story: "double_ninth" }]);
    const model = compose({ ...input, highlights: story ? [story] : [] });
    expect(cases(model)[0]).toContain("如重阳节期间，市公共资源交易中心党支部组织党员志愿者走进");
  });

  it("quotes such a story whole when the template has no {opening}", () => {
    const [story] = sampleStories(input, [{ unit: "市公共资源交易中心党支部", story: "double_ninth" }]);
    const plain = withOption((json) => {
      (json.cases as Record<string, unknown>).pattern = "{lead}{unit}{text}";
    });
    const model = compose({ ...input, highlights: story ? [story] : [] }, plain);
    expect(cases(model)[0]).toContain("如市公共资源交易中心党支部重阳节期间，市公共资源交易中心组织");
  });

  it("drops 我支部 and keeps a story that does not start with its unit as it is", () => {
    const texts = cases(compose()).join("");
    expect(texts).not.toMatch(/我支部|本支部/);
    const own = input.highlights.find((h) => h.name === "市司法局机关党支部");
    const quoted = cases(compose({ ...input, highlights: own ? [own] : [] }));
    expect(quoted[0]).toContain("如市司法局机关党支部组织党员律师开展“法律服务进万家”活动");
  });

  it("never prints a unit's name followed by its own short name", () => {
    for (const model of [compose(), compose(sampleInput())]) {
      const text = modelStrings(model).join("");
      for (const u of input.units) expect(text).not.toContain(u.name + shortName(u.name));
    }
  });
});

describe("3. the 编者按 says what was done this year", () => {
  const activities = CATALOGUE.filter((i) => i.time === "SUM" && ["次", "场"].includes(i.unit));

  it("names the three largest 今年以来 activities with their figures, largest first", () => {
    const ytd = input.figures.ytd.values;
    const top = [...activities].sort((a, b) => ytd[b.key] - ytd[a.key]).slice(0, 3);
    const note = compose().editorNote.text;
    const start = note.indexOf("今年以来，累计");
    expect(start).toBeGreaterThan(0);
    const sentence = note.slice(start, note.indexOf("。", start) + 1);
    const positions = top.map((ind) => sentence.indexOf(phraseWith(ind, wording, ytd[ind.key])));
    for (const p of positions) expect(p).toBeGreaterThan(0);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(note).not.toContain("各类活动");
  });

  it("takes as many as the template asks for", () => {
    const two = withOption((json) => {
      (json.editorNote as Record<string, unknown>).activityYtdTop = 2;
    });
    const note = compose(input, two).editorNote.text;
    const sentence = note.slice(note.indexOf("今年以来"), note.indexOf("。", note.indexOf("今年以来")));
    expect(sentence.split("，")).toHaveLength(3);
  });

  it("says nothing of the year when nothing was done", () => {
    const zero = Object.fromEntries(activities.map((i) => [i.key, 0]));
    const ytd = { ...input.figures.ytd, values: { ...input.figures.ytd.values, ...zero } };
    expect(compose({ ...input, figures: { ...input.figures, ytd } }).editorNote.text).not.toContain(
      "今年以来",
    );
  });
});

describe("4. notes that explain the machine are a template option, off by default", () => {
  it("ships with the option off", () => {
    expect(wording.methodNotes).toBe(false);
  });

  it("prints no note on how the cases were picked, nor on unit codes", () => {
    const model = compose();
    expect(notes(model, "cases")).toEqual([]);
    expect(modelStrings(model).join("")).not.toMatch(/典型案例从|单位代码/);
  });

  it("keeps the note defining 每百名党员活动次数", () => {
    expect(notes(compose(), "ranking")).toEqual([expect.stringMatching(/^注：每百名党员活动次数＝本月/)]);
  });

  it("prints both when an office turns the option on", () => {
    const on = withOption((json) => {
      json.methodNotes = true;
    });
    const model = compose(input, on);
    expect(notes(model, "cases")).toEqual([
      expect.stringContaining("注：典型案例从本月报送亮点工作的单位中"),
    ]);
    expect(notes(model, "ranking")[0]).toContain("数值相同时按单位代码排序。");
  });
});

describe("5. two or three 典型案例, spread across 片区 when there is a choice", () => {
  const inDistrict = (district: string): Highlight[] =>
    input.highlights.filter((h) => h.parentName === district);
  const quotedParents = (model: BulletinModel, pool: readonly Highlight[]) =>
    cases(model).map((t) => pool.find((h) => t.includes(`如${h.name}`))?.parentName);

  it("fills three from one 片区 when only that 片区 sent stories", () => {
    const pool = [
      ...inDistrict("社会事业片区"),
      ...sampleStories(input, [{ unit: "市妇联机关党支部", story: "study" }]),
    ];
    expect(pool.length).toBeGreaterThanOrEqual(3);
    const model = compose({ ...input, highlights: pool });
    const texts = cases(model);
    expect(texts).toHaveLength(3);
    expect(texts[0]).toMatch(/如市/);
    expect(texts[1]).toMatch(/^又如市/);
    expect(texts[2]).toMatch(/^再如/);
    expect(quotedParents(model, pool)).toEqual(["社会事业片区", "社会事业片区", "社会事业片区"]);
  });

  it("takes one from each of two 片区 first, then the next best", () => {
    const pool = [...inDistrict("社会事业片区"), ...inDistrict("政法片区")];
    const model = compose({ ...input, highlights: pool });
    const parents = quotedParents(model, pool);
    expect(parents).toHaveLength(3);
    expect(new Set(parents)).toEqual(new Set(["社会事业片区", "政法片区"]));
  });

  it("gives one case when only one story qualifies", () => {
    const one = inDistrict("政法片区").slice(0, 1);
    expect(cases(compose({ ...input, highlights: one }))).toHaveLength(1);
  });
});
