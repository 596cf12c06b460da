import { beforeAll, describe, expect, it } from "vitest";
import { cleanStory } from "../../lib/bulletin/cases.ts";
import { composeBulletin } from "../../lib/bulletin/compose.ts";
import type { BulletinInput } from "../../lib/bulletin/input.ts";
import type { Table } from "../../lib/bulletin/model.ts";
import type { BulletinWording } from "../../lib/bulletin/wording.ts";
import { CATALOGUE, DERIVED, indicatorsOf, SECTIONS } from "../../lib/domain/catalogue.ts";
import { loadWording } from "../../lib/files/wording-file.ts";
import { buildFixture } from "./fixture.ts";
import { expectedFigure, phraseWith, section, sectionText, statSentence, withFigures } from "./helpers.ts";

let wording: BulletinWording;
let input: BulletinInput;

beforeAll(async () => {
  wording = await loadWording();
  input = buildFixture();
});

const compose = (i: BulletinInput = input) => composeBulletin(i, wording);

describe("composeBulletin: 报头 and order", () => {
  it("prints the masthead, the 期号 of the year and the Chinese issue date", () => {
    const m = compose().masthead;
    expect(m).toMatchObject({ title: "机关党建工作简报", issue: "2026年第10期", date: "2026年11月6日" });
    expect(compose({ ...input, issueNumber: 3 }).masthead.issue).toBe("2026年第3期");
  });

  it("has one section per catalogue section, in catalogue order, then 比学赶超, 典型案例, 报送情况", () => {
    const keys = compose().sections.map((s) => s.key);
    expect(keys).toEqual([...SECTIONS.map((s) => s.key), "ranking", "cases", "completeness"]);
  });

  it("numbers the headings 一、二、… in order", () => {
    const headings = compose().sections.map((s) => s.heading);
    expect(headings[0]).toBe("一、抓支部建设　凸显政治功能");
    expect(headings.map((h) => h.slice(0, 2))).toEqual([
      "一、",
      "二、",
      "三、",
      "四、",
      "五、",
      "六、",
      "七、",
    ]);
  });
});

describe("composeBulletin: 据统计 figures", () => {
  it.each(SECTIONS.map((s) => [s.name, s.key] as const))(
    "writes every non-zero %s figure of the month exactly as the input has it",
    (_, key) => {
      const model = compose();
      const sentence = statSentence(model, key);
      const month = input.figures.month.values;
      for (const ind of indicatorsOf(key)) {
        if (month[ind.key] > 0) expect(sentence).toContain(phraseWith(ind, wording, month[ind.key]));
      }
    },
  );

  it("leaves zero figures out of the list", () => {
    expect(input.figures.month.values.temp_branches).toBe(0);
    expect(statSentence(compose(), "organisation")).not.toContain("临时党支部");
  });

  it("writes large figures in 万 and money to the fen", () => {
    const model = compose(
      withFigures(input, { month: { volunteer_person_times: 37_412, donations_yuan: 872_915.72 } }),
    );
    const sentence = statSentence(model, "service");
    expect(sentence).toContain("开展志愿服务3.7万人次");
    expect(sentence).toContain("自愿捐款872915.72元");
  });

  it("writes the 今年以来 cumulative flows from the year-to-date figures", () => {
    const text = sectionText(compose(), "study");
    const ytd = input.figures.ytd.values;
    const sessions = CATALOGUE.find((i) => i.key === "study_sessions");
    if (!sessions) throw new Error("catalogue lost study_sessions");
    expect(text).toContain(`今年以来，累计开展集中学习研讨${expectedFigure(ytd.study_sessions, sessions)}`);
  });

  it("says so when a section has no figures at all this month", () => {
    const zero = Object.fromEntries(indicatorsOf("conduct").map((i) => [i.key, 0]));
    const text = sectionText(compose(withFigures(input, { month: zero })), "conduct");
    expect(text).toContain("本月暂无相关数据报送。");
    expect(text).not.toContain("据统计");
  });
});

describe("composeBulletin: 同比/环比", () => {
  it("uses growth wording when the figure rose", () => {
    const model = compose(
      withFigures(input, {
        month: { supervision_visits: 60 },
        sameMonthLastYear: { supervision_visits: 50 },
      }),
    );
    expect(sectionText(model, "conduct")).toMatch(/与上年同期相比，[^。]*督导检查(分别)?增长[^。]*20\.0%/);
  });

  it("uses decline wording when the figure fell", () => {
    const model = compose(
      withFigures(input, {
        month: { supervision_visits: 40 },
        sameMonthLastYear: { supervision_visits: 50 },
      }),
    );
    expect(sectionText(model, "conduct")).toMatch(/与上年同期相比，[^。]*督导检查(分别)?下降[^。]*20\.0%/);
  });

  it("uses 持平 when the figure did not change", () => {
    const model = compose(
      withFigures(input, { month: { supervision_visits: 50 }, previousMonth: { supervision_visits: 50 } }),
    );
    expect(sectionText(model, "conduct")).toMatch(/与上月相比，[^。]*督导检查持平/);
  });

  it("groups several changes of one direction with 分别", () => {
    const model = compose(
      withFigures(input, {
        month: { rectification_measures: 110, supervision_visits: 60 },
        sameMonthLastYear: { rectification_measures: 100, supervision_visits: 50 },
      }),
    );
    expect(sectionText(model, "conduct")).toContain(
      "与上年同期相比，制定整改措施、督导检查分别增长10.0%、20.0%。",
    );
  });

  it("leaves out an indicator whose earlier figure is 0", () => {
    const model = compose(
      withFigures(input, { month: { supervision_visits: 60 }, sameMonthLastYear: { supervision_visits: 0 } }),
    );
    const yoy = sectionText(model, "conduct").match(/与上年同期相比，[^。]*。/)?.[0] ?? "";
    expect(yoy).not.toContain("督导检查");
  });

  it("drops the whole comparison when last year's figures are missing", () => {
    const model = compose({ ...input, figures: { ...input.figures, sameMonthLastYear: null } });
    for (const s of SECTIONS) expect(sectionText(model, s.key)).not.toContain("与上年同期相比");
  });
});

describe("composeBulletin: derived rates", () => {
  it("computes 问题解决率 from the summed figures", () => {
    const model = compose(withFigures(input, { month: { problems_collected: 640, problems_solved: 592 } }));
    expect(sectionText(model, "service")).toContain("其中，群众反映问题解决率达92.5%");
  });

  it("omits a rate whose denominator is zero", () => {
    const model = compose(withFigures(input, { month: { problems_collected: 0, problems_solved: 0 } }));
    const text = sectionText(model, "service");
    expect(text).not.toContain("解决率");
    expect(text).toContain("在职党员到社区报到率达");
  });

  it("puts each derived rate in the section of its numerator", () => {
    const model = compose();
    for (const d of DERIVED) {
      const owner = CATALOGUE.find((i) => i.key === d.numerator)?.section;
      expect(sectionText(model, owner ?? "")).toContain(
        wording.derived[d.key]?.phrase.replace("{v}", "") ?? d.name,
      );
      const others = SECTIONS.filter((s) => s.key !== owner).map((s) => sectionText(model, s.key));
      expect(others.join("")).not.toContain("率达");
    }
  });
});

describe("composeBulletin: 比学赶超", () => {
  const tableOf = (key: string, n: number) =>
    section(compose(), key).blocks.filter((b): b is Table => b.kind === "table")[n] as Table;

  it("ranks the 片区 by activities per 100 members, highest first", () => {
    const rows = tableOf("ranking", 0).rows;
    expect(rows.map((r) => r[0])).toEqual(["1", "2", "3", "4", "5", "6"]);
    const scores = rows.map((r) => Number(r[7]));
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("shows each 片区's own reporting and member figures", () => {
    const rows = tableOf("ranking", 0).rows;
    for (const child of input.children) {
      const row = rows.find((r) => r[1] === child.name);
      expect(row?.slice(2, 4)).toEqual([String(child.expected), String(child.month.reportedUnits)]);
      expect(row?.[5]).toBe(String(child.month.values.members_total));
    }
  });

  it("lists the top 10 units and states the rule", () => {
    const model = compose();
    expect(tableOf("ranking", 1).rows).toHaveLength(10);
    expect(sectionText(model, "ranking")).toContain("÷党员总数×100");
  });

  it("leaves units that did not report out of the ranking", () => {
    const missing = input.completeness.missing.map((u) => u.name);
    const ranked = tableOf("ranking", 1).rows.map((r) => r[1]);
    for (const name of missing) expect(ranked).not.toContain(name);
  });

  it("charts the 片区 and the 12-month trend, a month without returns as a gap", () => {
    const trend = input.trend.map((t, i) => (i === 0 ? { ...t, reported: 0 } : t));
    const charts = section(compose({ ...input, trend }), "ranking").blocks.filter((b) => b.kind === "chart");
    expect(charts.map((c) => c.type)).toEqual(["bar", "line"]);
    expect(charts[1]?.series.values).toHaveLength(12);
    expect(charts[1]?.series.values[0]).toBeNull();
  });
});

describe("composeBulletin: 典型案例", () => {
  const cases = (i: BulletinInput = input) =>
    section(compose(i), "cases").blocks.filter((b) => b.kind === "paragraph");

  it("quotes two or three units as 如…… / 又如…… / 再如……", () => {
    const texts = cases().map((b) => b.text);
    expect(texts.length).toBeGreaterThanOrEqual(2);
    expect(texts.length).toBeLessThanOrEqual(3);
    expect(texts[0]).toMatch(/如市\S+?(党支部|党委)/);
    expect(texts[1]).toMatch(/^又如市/);
  });

  it("takes no 片区 twice while other 片区 have stories to give", () => {
    const quoted = input.highlights.filter((h) => cases().some((b) => b.text.includes(`如${h.name}`)));
    const parents = quoted.map((h) => h.parentName);
    expect(new Set(input.highlights.map((h) => h.parentName)).size).toBeGreaterThan(3);
    expect(parents).toHaveLength(3);
    expect(new Set(parents).size).toBe(parents.length);
  });

  it("never turns formula, markup or an address into anything: the model holds none of them", () => {
    const json = JSON.stringify(compose());
    expect(json).not.toMatch(/HYPERLINK|https?:|<\/?[a-z]|=\s*[A-Z]+\(/i);
  });

  it("drops a cell that is a formula and keeps a story with a formula appended, minus the formula", () => {
    expect(cleanStory('=HYPERLINK("http://example.com/report","点击查看亮点工作材料")')).toBe("");
    expect(cleanStory('受理消费投诉举报218件。=HYPERLINK("http://e.com","附件")')).toBe(
      "受理消费投诉举报218件。",
    );
    expect(cleanStory("<p>上门服务老人<b>310户</b></p>")).toBe("上门服务老人310户");
    expect(cleanStory("详见 https://edu.example.cn/news/1 和[链接](http://x.cn)")).toBe("详见和链接");
  });

  it("joins lines and typesets the text (quotes curled, punctuation full-width)", () => {
    expect(cleanStory('开展"红色文化进校园"活动:\r\n走进32所中小学\r\n讲述榜样故事')).toBe(
      "开展“红色文化进校园”活动：走进32所中小学，讲述榜样故事",
    );
    expect(cleanStory("活动一,\n活动二")).toBe("活动一，活动二");
  });

  it("chooses by the stated rule: highest activity per member first", () => {
    const strong = input.highlights.find((h) => h.name === "市委组织部机关党支部");
    if (!strong) throw new Error("fixture lost a highlight");
    const boosted = input.highlights.map((h) =>
      h.code === strong.code ? { ...h, values: { ...h.values, study_sessions: 10_000 } } : h,
    );
    expect(cases({ ...input, highlights: boosted })[0]?.text).toContain("如市委组织部机关党支部联合");
  });

  it("says so when no highlight qualifies", () => {
    const texts = cases({ ...input, highlights: [] }).map((b) => b.text);
    expect(texts).toEqual([expect.stringContaining("本月暂未收到符合条件的亮点工作材料。")]);
  });
});

describe("composeBulletin: 报送情况 and 编者按", () => {
  it("names every unit that did not report and every late one", () => {
    const text = sectionText(compose(), "completeness");
    expect(input.completeness.missing).toHaveLength(3);
    for (const u of input.completeness.missing) expect(text).toContain(u.name);
    for (const u of input.completeness.late) expect(text).toContain(u.name);
    expect(text).toContain("未报送单位（3个）：");
    expect(text).toContain("迟报单位（4个）：");
  });

  it("gives 报送率 and 及时率 from the counts", () => {
    const text = sectionText(compose(), "completeness");
    expect(text).toContain("报送率95.0%");
    expect(text).toContain("及时率88.3%");
  });

  it("praises full, on-time reporting instead of listing nobody", () => {
    const complete = { ...input.completeness, reported: 60, onTime: 60, missing: [], late: [] };
    const model = compose({ ...input, completeness: complete });
    expect(sectionText(model, "completeness")).toContain("全部单位均按时报送。");
    expect(model.editorNote.text).toContain("本月60个应报单位全部按时报送。");
    expect(model.closing.text).not.toContain("督促未报");
  });

  it("opens with a 据统计 sentence of the month and one on completeness", () => {
    const note = compose().editorNote;
    const month = input.figures.month.values;
    expect(note.lead).toBe("编者按：");
    expect(note.text).toContain(`开展集中学习研讨${month.study_sessions}次`);
    expect(note.text).toContain("本月应报单位60个，已报送57个，报送率95.0%");
  });
});

describe("composeBulletin: tone and determinism", () => {
  it("chooses rising or steady wording from the data", () => {
    const up = compose();
    const down = compose(withFigures(input, { sameMonthLastYear: { study_sessions: 100_000 } }));
    expect(wording.headline.titles.rising).toContain(up.headline.title);
    expect(wording.headline.titles.steady).toContain(down.headline.title);
    expect(down.closing.text).toContain(wording.closing.whenDeclining);
  });

  it("ends with a couplet and 下一步", () => {
    expect(compose().closing.text).toMatch(/^[^。]+，[^。]+。下一步，全市各级机关党组织将/);
  });

  it("gives the same bulletin for the same data", () => {
    expect(compose(buildFixture())).toEqual(compose(buildFixture()));
  });

  it("does not depend on the order units, 片区 and stories arrive in", () => {
    const shuffled: BulletinInput = {
      ...input,
      units: [...input.units].reverse(),
      children: [...input.children].reverse(),
      highlights: [...input.highlights].reverse(),
      completeness: {
        ...input.completeness,
        missing: [...input.completeness.missing].reverse(),
        late: [...input.completeness.late].reverse(),
      },
    };
    expect(compose(shuffled)).toEqual(compose());
  });

  it("changes with the data (the fixture seed moves the figures)", () => {
    expect(compose(buildFixture(7)).editorNote.text).not.toEqual(compose().editorNote.text);
  });
});

describe("composeBulletin: other scopes and empty months", () => {
  /** The fixture narrowed to one 片区: its units are the children, nothing below them. */
  function districtInput(name: string): BulletinInput {
    const child = input.children.find((c) => c.name === name);
    if (!child) throw new Error(`fixture has no ${name}`);
    const inside = (u: { code: string }) => u.code.startsWith(child.code);
    return {
      ...input,
      scope: { code: child.code, name: child.name },
      children: [],
      units: input.units.filter(inside),
      highlights: input.highlights.filter(inside),
      completeness: {
        ...input.completeness,
        expected: child.expected,
        missing: input.completeness.missing.filter(inside),
        late: input.completeness.late.filter(inside),
      },
    };
  }

  it("writes a 片区 bulletin in the 片区's name, ranking units only", () => {
    const model = compose(districtInput("城建片区"));
    expect(statSentence(model, "study")).toContain("城建片区各机关党组织");
    const ranking = section(model, "ranking").blocks;
    expect(ranking.filter((b) => b.kind === "table")).toHaveLength(1);
    expect(ranking.filter((b) => b.kind === "chart").map((c) => c.type)).toEqual(["line"]);
  });

  it("may quote several units of the same 片区 in a 片区 bulletin", () => {
    const cases = section(compose(districtInput("城建片区")), "cases").blocks.filter(
      (b) => b.kind === "paragraph",
    );
    expect(cases.length).toBeGreaterThanOrEqual(2);
  });

  it("composes a month nobody reported without inventing figures", () => {
    const zero = Object.fromEntries(CATALOGUE.map((i) => [i.key, 0]));
    const empty: BulletinInput = {
      ...withFigures(input, { month: zero }),
      units: input.units.map((u) => ({ ...u, month: null })),
      highlights: [],
      completeness: { ...input.completeness, reported: 0, onTime: 0, missing: input.units, late: [] },
    };
    const model = compose(empty);
    for (const s of SECTIONS) expect(sectionText(model, s.key)).toContain("本月暂无相关数据报送。");
    expect(model.editorNote.text).not.toContain("据统计");
    expect(sectionText(model, "completeness")).toContain("报送率0.0%");
  });
});
