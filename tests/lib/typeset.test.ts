/**
 * typesetChinese: units' words made fit for a Chinese page. Property tests over text mixing Han,
 * figures, Latin words, half- and full-width punctuation, quotes and spaces (idempotent, never
 * changes a figure, a Latin word or an address, never leaves half-width punctuation or a space
 * between two Han characters), then the cases the 简报 meets.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { typesetChinese } from "../../lib/domain/text.ts";

const HAN = ["市", "妇", "联", "学", "习", "次", "党", "支", "部", "元", "〇", "𠮷"];
const DIGITS = ["0", "1", "3", "5", "9"];
const LATIN = ["a", "b", "P", "T", "x"];
const PUNCT = [",", ";", ":", "?", "!", "(", ")", ".", '"', "'", "-", "/", "%"];
const WIDE = ["，", "。", "：", "（", "）", "“", "”", "‘", "’", "…", "、", "《", "》"];
const BLANKS = [" ", "\u3000", "\t", "\u00a0", "\n"];

/** Text as units type it in Excel/WPS: every kind of character, in any order. */
const unitText = fc.string({
  unit: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HAN) },
    { weight: 2, arbitrary: fc.constantFrom(...DIGITS) },
    { weight: 2, arbitrary: fc.constantFrom(...LATIN) },
    { weight: 3, arbitrary: fc.constantFrom(...PUNCT) },
    { weight: 1, arbitrary: fc.constantFrom(...WIDE) },
    { weight: 2, arbitrary: fc.constantFrom(...BLANKS) },
  ),
  maxLength: 60,
});

/** Figures and Latin words with what may sit inside them: 347.79, 1,260, 10:30, don't, Xi'an. */
const WORDS = /[A-Za-z0-9]+(?:['’.:,/-][A-Za-z0-9]+)*/g;
const wordsOf = (text: string) => text.match(WORDS) ?? [];
const hanOf = (text: string) => text.match(/\p{Script=Han}/gu) ?? [];

const runs = { numRuns: 2000 };

describe("typesetChinese (properties)", () => {
  it("is idempotent", () => {
    fc.assert(
      fc.property(unitText, (text) => {
        const once = typesetChinese(text);
        expect(typesetChinese(once)).toBe(once);
      }),
      runs,
    );
  });

  it("never changes a digit or a Latin word, nor adds or drops a Han character", () => {
    fc.assert(
      fc.property(unitText, (text) => {
        const out = typesetChinese(text);
        expect(wordsOf(out)).toEqual(wordsOf(text));
        expect(hanOf(out)).toEqual(hanOf(text));
      }),
      runs,
    );
  });

  it("leaves no half-width , ; : ? ! ( ), straight double quote or space between two Han characters", () => {
    fc.assert(
      fc.property(unitText, (text) => {
        const out = typesetChinese(text);
        expect(out).not.toMatch(/\p{Script=Han}[,;:?!()]\p{Script=Han}/u);
        expect(out).not.toMatch(/\p{Script=Han}[ \t\u3000\u00a0]+\p{Script=Han}/u);
        expect(out).not.toContain('"');
      }),
      runs,
    );
  });

  it("keeps web and mail addresses exactly as typed, wherever they stand", () => {
    const address = fc.constantFrom(
      "https://edu.example.cn/news/1023?id=5&p=2",
      "http://x.cn/a(b)/c,d",
      "www.example.gov.cn/list_1.html",
      "mailto:office@example.cn",
      "dangban@example.gov.cn",
    );
    fc.assert(
      fc.property(unitText, address, unitText, (before, url, after) => {
        const text = `${before} ${url} ${after}`;
        expect(typesetChinese(text)).toContain(url);
      }),
      runs,
    );
  });
});

describe("typesetChinese (the cases the 简报 meets)", () => {
  it.each([
    [
      "市妇联坚持把理论学习作为首要任务,本月组织集中学习研讨5次,落实“三会一课”12次。",
      "市妇联坚持把理论学习作为首要任务，本月组织集中学习研讨5次，落实“三会一课”12次。",
    ],
    ["内容包括:政策解读;案例分析!效果如何?", "内容包括：政策解读；案例分析！效果如何？"],
    ["(一)组织学习(第2期)", "（一）组织学习（第2期）"],
    ['推行在职党员"双报到双服务"工作', "推行在职党员“双报到双服务”工作"],
    ["开展'三个一'活动,用“学习强国'积分'”排名", "开展‘三个一’活动，用“学习强国‘积分’”排名"],
    ["组织 党员 到 社区 报到 45 名", "组织党员到社区报到45名"],
    ["开展\u3000志愿服务", "开展志愿服务"],
    ["受到好评.下一步将继续", "受到好评。下一步将继续"],
    ["走访群众、收集问题...", "走访群众、收集问题……"],
  ])("%s", (typed, printed) => {
    expect(typesetChinese(typed)).toBe(printed);
  });

  it.each([
    "共捐款347.79元",
    "帮扶1,260人次",
    "时间10:30—12:00",
    "2026-10-05至2026.10.31",
    "使用 WPS Office 和 PPT 课件",
    "Xi'an 与 don't",
    "f(x) = 1; g(y) = 2",
    "详见 https://edu.example.cn/news/1023?a=1,2",
    "1. 组织学习",
  ])("keeps %s as typed", (text) => {
    expect(typesetChinese(text)).toBe(text);
  });

  it("does not re-pair quotes that are already curly", () => {
    expect(typesetChinese("“三会一课”、“主题党日")).toBe("“三会一课”、“主题党日");
  });
});
