/**
 * composeBulletin: data + wording → the bulletin model. Pure and deterministic: no clock, no
 * randomness; where the wording offers alternatives, the data (tone) and the issue number choose.
 *
 * Order, as in the issue: 报头 → headline → 编者按 → one section per catalogue section → 比学赶超 →
 * 典型案例 → 报送情况 → closing couplet and 下一步 → 报尾.
 */
import { CATALOGUE, SECTIONS } from "../domain/catalogue.ts";
import { yearOf } from "../domain/periods.ts";
import { casesSection } from "./cases.ts";
import { completenessRates, completenessSection, isComplete } from "./completeness.ts";
import { type ComposeContext, contextOf, pick, typesetNames } from "./context.ts";
import { chineseDate, chineseNumeral } from "./format.ts";
import type { BulletinInput } from "./input.ts";
import type { Block, BulletinModel, Colophon, Masthead, Paragraph, Section, SectionKind } from "./model.ts";
import { figureList } from "./phrases.ts";
import { type Numbering, rankingSection } from "./ranking.ts";
import { indicatorSection } from "./sections.ts";
import { fill } from "./template.ts";
import type { BulletinWording } from "./wording.ts";

function masthead(ctx: ComposeContext): Masthead {
  const m = ctx.wording.masthead;
  return {
    title: m.title,
    issue: fill(m.issue, { year: yearOf(ctx.input.month), issue: ctx.input.issueNumber }),
    editor: m.editor,
    date: chineseDate(ctx.input.issueDate),
    classification: m.classification,
  };
}

/** The first non-zero flow of each catalogue section: the month at a glance. */
function headlineIndicators(ctx: ComposeContext) {
  const values = ctx.input.figures.month.values;
  return SECTIONS.flatMap((s) => {
    const first = CATALOGUE.find((i) => i.section === s.key && i.time === "SUM" && values[i.key] > 0);
    return first ? [first] : [];
  });
}

/**
 * The year's largest activities by count (ties in catalogue order), for "今年以来，累计落实“三会一课”
 * 6575次，开展集中学习研讨2746次……": what was done, by name, rather than one sum of unlike things.
 */
function largestActivities(ctx: ComposeContext) {
  const values = ctx.input.figures.ytd.values;
  return ctx.activity
    .filter((ind) => values[ind.key] > 0)
    .sort((a, b) => values[b.key] - values[a.key])
    .slice(0, ctx.wording.editorNote.activityYtdTop);
}

function editorNote(ctx: ComposeContext): Paragraph {
  const { input, wording } = ctx;
  const e = wording.editorNote;
  let text = fill(e.opening, { yearMonth: ctx.yearMonth, month: ctx.month, subject: ctx.subject });
  // One clause per section: a 、-list across sections would run unrelated figures together.
  const list = headlineIndicators(ctx)
    .map((ind) => figureList([ind], input.figures.month.values, wording))
    .join(wording.sentences.clauseSeparator);
  if (list) text += fill(e.figures, { month: ctx.month, subject: ctx.subject, list });

  const ytd = largestActivities(ctx);
  const ytdList = figureList(ytd, input.figures.ytd.values, wording);
  if (ytdList) text += fill(e.activityYtd, { subject: ctx.subject, list: ytdList });

  const c = input.completeness;
  text += isComplete(c)
    ? fill(e.completenessFull, { expected: c.expected })
    : fill(e.completeness, {
        expected: c.expected,
        reported: c.reported,
        onTime: c.onTime,
        ...completenessRates(c),
      });
  return { kind: "paragraph", lead: e.label, text };
}

function sections(ctx: ComposeContext): Section[] {
  const w = ctx.wording;
  const numbering: Numbering = { table: 0, figure: 0 };
  const parts: { key: string; kind: SectionKind; title: string; blocks: readonly Block[] }[] = [
    ...SECTIONS.map((s) => ({ ...indicatorSection(s, ctx), kind: "indicators" as const })),
    { key: "ranking", kind: "ranking", title: w.ranking.heading, blocks: rankingSection(ctx, numbering) },
    { key: "cases", kind: "cases", title: w.cases.heading, blocks: casesSection(ctx) },
    {
      key: "completeness",
      kind: "completeness",
      title: w.completeness.heading,
      blocks: completenessSection(ctx),
    },
  ];
  return parts.map((p, i) => ({
    key: p.key,
    kind: p.kind,
    heading: `${chineseNumeral(i + 1)}、${p.title}`,
    blocks: p.blocks,
  }));
}

function closing(ctx: ComposeContext): Paragraph {
  const c = ctx.wording.closing;
  const actions = [...c.actions];
  if (!isComplete(ctx.input.completeness) && c.whenIncomplete) actions.push(c.whenIncomplete);
  if (ctx.tone === "steady" && c.whenDeclining) actions.push(c.whenDeclining);
  const couplet = pick(c.couplets[ctx.tone], ctx.input.issueNumber);
  const next = fill(c.nextSteps, { subject: ctx.subject, actions: actions.join(c.actionSeparator) });
  return { kind: "paragraph", text: couplet + next };
}

function colophon(ctx: ComposeContext): Colophon {
  const c = ctx.wording.colophon;
  const date = chineseDate(ctx.input.issueDate);
  return {
    entries: c.entries,
    editor: ctx.wording.masthead.editor,
    printed: fill(c.printed, { date, editor: ctx.wording.masthead.editor }),
    copies: fill(c.copies, { copies: c.copyCount }),
  };
}

export function composeBulletin(input: BulletinInput, wording: BulletinWording): BulletinModel {
  const ctx = contextOf(typesetNames(input), wording);
  const head = masthead(ctx);
  return {
    masthead: head,
    headline: {
      title: pick(wording.headline.titles[ctx.tone], input.issueNumber),
      subtitle: fill(wording.headline.subtitle, {
        scope: input.scope.name,
        yearMonth: ctx.yearMonth,
        month: ctx.month,
      }),
    },
    editorNote: editorNote(ctx),
    sections: sections(ctx),
    closing: closing(ctx),
    colophon: colophon(ctx),
    meta: { title: `${head.title}　${head.issue}`, issueDate: input.issueDate },
  };
}
