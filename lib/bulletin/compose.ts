/**
 * composeBulletin: data + wording → the bulletin model. Pure and deterministic: no clock, no
 * randomness; where the wording offers alternatives, the data (tone) and the issue number choose.
 *
 * Order, as in the issue: 报头 → headline → 编者按 → one section per catalogue section → 比学赶超 →
 * 典型案例 → 报送情况 → closing couplet and 下一步 → 报尾.
 */
import { CATALOGUE, SECTIONS } from "../domain/catalogue.ts";
import { monthNumber, yearOf } from "../domain/periods.ts";
import { casesSection, cleanStory } from "./cases.ts";
import { completenessRates, completenessSection, isComplete, isProvisional } from "./completeness.ts";
import { type ComposeContext, contextOf, pick, typesetNames } from "./context.ts";
import { chineseDate, chineseNumeral } from "./format.ts";
import type { BulletinInput } from "./input.ts";
import type {
  ArchiveMeta,
  Block,
  BulletinModel,
  Colophon,
  Masthead,
  Paragraph,
  Section,
  SectionKind,
} from "./model.ts";
import { figureList } from "./phrases.ts";
import { type Numbering, rankingSection } from "./ranking.ts";
import { indicatorSection } from "./sections.ts";
import { cleanName, type Edition, issueLabel } from "./signoff.ts";
import { fill } from "./template.ts";
import type { BulletinWording } from "./wording.ts";

/**
 * The 期号 and date an edition prints: the issued one's, or none on a 送审稿. Without an edition
 * (previews, benchmarks) the input's own number and date are printed, as before 审签.
 */
function printed(ctx: ComposeContext, edition: Edition | undefined): { issue: string; date: string } {
  const m = ctx.wording.masthead;
  const year = yearOf(ctx.input.month);
  if (edition?.kind === "draft") {
    return { issue: fill(ctx.wording.review.draftIssue, { year }), date: ctx.wording.review.draftDate };
  }
  const number = edition?.kind === "issued" ? edition.issueNumber : ctx.input.issueNumber;
  const date = edition?.kind === "issued" ? edition.issueDate : ctx.input.issueDate;
  return { issue: fill(m.issue, { year, issue: number }), date: chineseDate(date) };
}

function masthead(ctx: ComposeContext, edition: Edition | undefined): Masthead {
  const m = ctx.wording.masthead;
  const r = ctx.wording.review;
  const { issue, date } = printed(ctx, edition);
  const mark = edition?.kind === "draft" ? r.draftMark : edition?.correction ? r.correctionMark : "";
  return {
    title: m.title,
    issue,
    editor: m.editor,
    date,
    classification: m.classification,
    ...(mark ? { mark } : {}),
  };
}

/** Editors' text as printed: plain, typeset, no links (the same cleaning as units' stories). */
function editorial(text: string | undefined): string | undefined {
  const cleaned = text === undefined ? "" : cleanStory(text);
  return cleaned ? cleaned : undefined;
}

function sentence(text: string): string {
  return /[。！？…”]$/.test(text) ? text : `${text.replace(/[，、；：,;:]$/, "")}。`;
}

function correctionNote(ctx: ComposeContext, edition: Edition | undefined): Paragraph | undefined {
  const c = edition?.correction;
  if (!c) return undefined;
  const r = ctx.wording.review;
  const reason = editorial(c.reason);
  return {
    kind: "paragraph",
    lead: r.correctionLabel,
    text: fill(r.correction, {
      corrected: issueLabel(ctx.input.month, c.issueNumber),
      date: chineseDate(c.issueDate),
      reason: reason ? sentence(reason) : "",
    }),
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

function editorNote(ctx: ComposeContext, edition: Edition | undefined): Paragraph {
  const { input, wording } = ctx;
  const e = wording.editorNote;
  const edited = editorial(edition?.edits?.editorNote);
  if (edited) return { kind: "paragraph", lead: e.label, text: edited };
  let text = fill(e.opening, { yearMonth: ctx.yearMonth, month: ctx.month, subject: ctx.subject });
  // One clause per section: a 、-list across sections would run unrelated figures together.
  const list = headlineIndicators(ctx)
    .map((ind) => figureList([ind], input.figures.month.values, wording))
    .join(wording.sentences.clauseSeparator);
  const figures = isProvisional(ctx) ? wording.workflow.figuresProvisional : e.figures;
  if (list) text += fill(figures, { month: ctx.month, subject: ctx.subject, list });

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

function sections(ctx: ComposeContext, edition: Edition | undefined): Section[] {
  const w = ctx.wording;
  const edits = edition?.edits;
  const comment = editorial(edits?.comment);
  const numbering: Numbering = { table: 0, figure: 0 };
  const parts: { key: string; kind: SectionKind; title: string; blocks: readonly Block[] }[] = [
    ...SECTIONS.map((s) => ({ ...indicatorSection(s, ctx), kind: "indicators" as const })),
    { key: "ranking", kind: "ranking", title: w.ranking.heading, blocks: rankingSection(ctx, numbering) },
    {
      key: "cases",
      kind: "cases",
      title: w.cases.heading,
      blocks: casesSection(ctx, {
        cases: edits?.cases,
        comment: comment ? { kind: "paragraph", lead: w.review.commentLabel, text: comment } : undefined,
      }),
    },
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
  const couplet = pick(c.couplets[ctx.tone], monthNumber(ctx.input.month));
  const next = fill(c.nextSteps, { subject: ctx.subject, actions: actions.join(c.actionSeparator) });
  return { kind: "paragraph", text: couplet + next };
}

function colophon(ctx: ComposeContext, date: string): Colophon {
  const c = ctx.wording.colophon;
  return {
    entries: c.entries,
    editor: ctx.wording.masthead.editor,
    printed: fill(c.printed, { date, editor: ctx.wording.masthead.editor }),
    copies: fill(c.copies, { copies: c.copyCount }),
  };
}

function archive(ctx: ComposeContext, head: Masthead, edition: Edition): ArchiveMeta | undefined {
  if (edition.kind !== "issued") return undefined;
  const corrects = edition.correction
    ? issueLabel(ctx.input.month, edition.correction.issueNumber)
    : undefined;
  return {
    language: "zh-CN",
    issue: head.issue,
    issueNumber: edition.issueNumber,
    volume: yearOf(ctx.input.month),
    period: ctx.input.month,
    scope: { code: ctx.input.scope.code, name: ctx.input.scope.name },
    publisher: head.editor,
    signer: cleanName(edition.signer),
    signedAt: edition.signedAt,
    issueDate: edition.issueDate,
    ...(corrects ? { corrects } : {}),
  };
}

/**
 * The bulletin for an edition: a 送审稿 (marked, no 期号, no date, the editors' edits) or the
 * issued one (its 期号 and 签发 date, archival metadata). Alternatives in the wording are chosen by
 * the month, so a draft and its issued edition read the same.
 */
export function composeBulletin(
  input: BulletinInput,
  wording: BulletinWording,
  edition?: Edition,
): BulletinModel {
  const ctx = contextOf(typesetNames(input), wording);
  const head = masthead(ctx, edition);
  const correction = correctionNote(ctx, edition);
  const draft = edition?.kind === "draft";
  const title = draft
    ? fill(wording.review.draftTitle, { title: head.title, yearMonth: ctx.yearMonth })
    : `${head.title}　${head.issue}`;
  const record = edition ? archive(ctx, head, edition) : undefined;
  return {
    masthead: head,
    headline: {
      title: pick(wording.headline.titles[ctx.tone], monthNumber(input.month)),
      subtitle: fill(wording.headline.subtitle, {
        scope: input.scope.name,
        yearMonth: ctx.yearMonth,
        month: ctx.month,
      }),
    },
    ...(correction ? { correction } : {}),
    editorNote: editorNote(ctx, edition),
    sections: sections(ctx, edition),
    closing: closing(ctx),
    colophon: colophon(ctx, head.date),
    meta: {
      title,
      issueDate: edition?.kind === "issued" ? edition.issueDate : input.issueDate,
      ...(draft && wording.review.watermark ? { watermark: wording.review.watermark } : {}),
      ...(record ? { archive: record } : {}),
    },
  };
}
