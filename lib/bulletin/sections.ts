/**
 * One section per catalogue section, in catalogue order: purpose → 据统计 sentence for the month
 * (with the section's derived rates) → 同比/环比 of its flows → 今年以来. Derived rates belong to the section of
 * their numerator, so a new rate in DERIVED lands in the right place by itself.
 */
import { DERIVED, indicator, indicatorsOf, type SECTIONS, type SectionKey } from "../domain/catalogue.ts";
import type { ComposeContext } from "./context.ts";
import type { Block } from "./model.ts";
import { changeList, derivedList, figureList } from "./phrases.ts";
import { fill } from "./template.ts";

export interface ComposedSection {
  readonly key: SectionKey;
  readonly title: string;
  readonly blocks: Block[];
}

function derivedOf(section: SectionKey) {
  return DERIVED.filter((d) => indicator(d.numerator).section === section);
}

export function indicatorSection(section: (typeof SECTIONS)[number], ctx: ComposeContext): ComposedSection {
  const { wording, input } = ctx;
  const s = wording.sentences;
  const sectionWording = wording.sections[section.key] ?? {
    heading: fill(wording.sectionFallback.heading, { name: section.name }),
    intro: wording.sectionFallback.intro,
  };
  const indicators = indicatorsOf(section.key);
  const { month, previousMonth, sameMonthLastYear, ytd } = input.figures;

  const monthList = figureList(indicators, month.values, wording);
  const rates = derivedList(derivedOf(section.key), month.derived, previousMonth?.derived ?? null, wording);
  let first = sectionWording.intro;
  if (monthList) first += fill(s.month, { month: ctx.month, subject: ctx.subject, list: monthList });
  if (monthList && rates) first += fill(s.rates, { list: rates });
  if (!monthList) first += s.empty;

  // Comparisons and year-to-date sums are for flows: a stock (党员总数) moves with which units
  // happened to report, so its "decline" would mostly measure 未报 units.
  const flows = indicators.filter((i) => i.time === "SUM");
  const yoy = changeList(flows, month.values, sameMonthLastYear?.values ?? null, wording);
  const mom = changeList(flows, month.values, previousMonth?.values ?? null, wording);
  const ytdList = figureList(flows, ytd.values, wording);
  let second = "";
  if (yoy) second += fill(s.yoy, { changes: yoy });
  if (mom) second += fill(s.mom, { changes: mom });
  if (ytdList) second += fill(s.ytd, { list: ytdList });

  const blocks: Block[] = [{ kind: "paragraph", text: first }];
  if (second) blocks.push({ kind: "paragraph", text: second });
  return { key: section.key, title: sectionWording.heading, blocks };
}
