/** Shared by the bulletin specs: independent expectations, and small edits of the fixture input. */

import type { BulletinInput, Highlight } from "../../lib/bulletin/input.ts";
import type { BulletinModel, Section } from "../../lib/bulletin/model.ts";
import type { BulletinWording } from "../../lib/bulletin/wording.ts";
import { derive, type Indicator, type Values } from "../../lib/domain/catalogue.ts";
import { rngFor } from "../../lib/sample/random.ts";
import { QUOTED_STORY, STORIES } from "../../lib/sample/stories.ts";
import { personName, shortName } from "../../lib/sample/units.ts";
import type { PeriodFigures } from "../../lib/write/aggregate.ts";

/**
 * How BULLETIN.md says a figure is written, spelled out again here (not via format.ts) so the specs
 * check the rule rather than the implementation.
 */
export function expectedFigure(value: number, ind: Pick<Indicator, "unit" | "decimals">): string {
  if (ind.decimals === 2) return `${value.toFixed(2)}${ind.unit}`;
  if (value >= 10_000) return `${String(Math.round(value / 1000) / 10)}万${ind.unit}`;
  return `${String(Math.round(value * 10 ** ind.decimals) / 10 ** ind.decimals)}${ind.unit}`;
}

export function phraseWith(ind: Indicator, wording: BulletinWording, value: number): string {
  const phrase = wording.indicators[ind.key]?.phrase ?? ind.phrase;
  return phrase.replace("{v}", expectedFigure(value, ind));
}

/** A copy of the figures with some values replaced and the derived rates recomputed from them. */
export function patched(f: PeriodFigures, patch: Partial<Values>): PeriodFigures {
  const values = { ...f.values, ...patch };
  return { ...f, values, derived: derive(values) };
}

export function withFigures(
  input: BulletinInput,
  patch: Partial<{ [K in keyof BulletinInput["figures"]]: Partial<Values> }>,
): BulletinInput {
  const figures = { ...input.figures };
  for (const [key, values] of Object.entries(patch) as [keyof BulletinInput["figures"], Partial<Values>][]) {
    const current = figures[key];
    if (!current) throw new Error(`fixture has no ${key} figures`);
    figures[key] = patched(current, values);
  }
  return { ...input, figures };
}

export function section(model: BulletinModel, key: string): Section {
  const found = model.sections.find((s) => s.key === key);
  if (!found) throw new Error(`no section ${key}`);
  return found;
}

/** All paragraph and note text of a section, in order. */
export function sectionText(model: BulletinModel, key: string): string {
  return section(model, key)
    .blocks.map((b) => (b.kind === "paragraph" || b.kind === "note" ? b.text : ""))
    .join("");
}

/** The 据统计 sentence of a section (from 据统计 to the next 。). */
export function statSentence(model: BulletinModel, key: string): string {
  const text = sectionText(model, key);
  const start = text.indexOf("据统计");
  if (start < 0) throw new Error(`section ${key} has no 据统计 sentence`);
  return text.slice(start, text.indexOf("。", start) + 1);
}

/**
 * 亮点工作 written the way the built-in sample writes them (lib/sample/stories.ts: half-width
 * punctuation, straight quotes, the unit's short name first), for fixture units picked by name.
 */
export function sampleStories(
  input: BulletinInput,
  picks: readonly { readonly unit: string; readonly story: string }[],
): Highlight[] {
  return picks.map(({ unit, story }, i) => {
    const u = input.units.find((x) => x.name === unit);
    const template = [...STORIES, QUOTED_STORY].find((t) => t.id === story);
    if (!u?.month || !template) throw new Error(`no fixture unit ${unit} or sample story ${story}`);
    const rng = rngFor(7, "test-story", u.code, i);
    const text = template.text({
      short: shortName(u.name),
      v: u.month,
      person: () => personName(rng),
      community: () => "桂花社区",
      village: () => "石桥村",
    });
    return { code: u.code, name: u.name, parentName: u.parentName, text, values: u.month };
  });
}

/** Every string in a model, in order (paragraphs, notes, captions, table cells, headings). */
export function modelStrings(model: BulletinModel): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(model);
  return out;
}
