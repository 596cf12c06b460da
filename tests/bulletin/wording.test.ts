import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fill, placeholdersOf } from "../../lib/bulletin/template.ts";
import { parseWording } from "../../lib/bulletin/wording.ts";
import { SECTIONS } from "../../lib/domain/catalogue.ts";
import { WordingError } from "../../lib/errors.ts";
import { DEFAULT_WORDING_PATH, loadWording } from "../../lib/files/wording-file.ts";

const shipped = () => JSON.parse(readFileSync(DEFAULT_WORDING_PATH, "utf8"));

describe("templates/bulletin.json", () => {
  it("loads and passes the schema", async () => {
    const wording = await loadWording();
    expect(wording.masthead.title).toBe("机关党建工作简报");
  });

  it("gives every catalogue section its own parallel-phrase heading", async () => {
    const wording = await loadWording();
    for (const s of SECTIONS) expect(wording.sections[s.key]?.heading).toMatch(/^\S+　\S+$/);
  });
});

describe("parseWording", () => {
  it("rejects an unknown key (a typo, not a new feature)", () => {
    const json = shipped();
    json.masthead.titel = "简报";
    expect(() => parseWording(json)).toThrow(/masthead/);
  });

  it("rejects a placeholder the sentence cannot fill, naming the field", () => {
    const json = shipped();
    json.sentences.month = "据统计，{month}，{subjcet}{list}。";
    expect(() => parseWording(json)).toThrow(/sentences\.month: 未知的占位符 \{subjcet\}/);
  });

  it("rejects a pattern that lost a required placeholder", () => {
    const json = shipped();
    json.sentences.ytd = "今年以来，累计开展了很多工作。";
    expect(() => parseWording(json)).toThrow(/sentences\.ytd: 缺少占位符 \{list\}/);
  });

  it("rejects a phrase override for an indicator the catalogue does not have", () => {
    const json = shipped();
    json.indicators.no_such_indicator = { phrase: "开展{v}" };
    expect(() => parseWording(json)).toThrow(WordingError);
  });

  it("accepts a section missing from the wording (the fallback heading covers it)", () => {
    const json = shipped();
    delete json.sections.conduct;
    expect(parseWording(json).sections.conduct).toBeUndefined();
  });

  it("reports a missing file as a WordingError", async () => {
    await expect(loadWording("/nonexistent/bulletin.json")).rejects.toBeInstanceOf(WordingError);
  });
});

describe("fill", () => {
  it("replaces every placeholder", () => {
    expect(fill("{a}与{b}、{a}", { a: "甲", b: 2 })).toBe("甲与2、甲");
  });

  it("throws on a placeholder without a value (a bug, since patterns are validated)", () => {
    expect(() => fill("{a}{b}", { a: "甲" })).toThrow(/\{b\}/);
  });

  it("lists placeholders once, in order", () => {
    expect(placeholdersOf("{list}据统计{month}{list}")).toEqual(["list", "month"]);
  });
});
