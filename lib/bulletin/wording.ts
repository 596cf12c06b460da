/**
 * The bulletin's Chinese wording, kept in templates/bulletin.json so an office can change it without
 * touching code. The schema is strict (an unknown key is a typo, not a new feature) and every pattern
 * is checked against the placeholders its sentence can fill, so a broken template fails at load time
 * with a message naming the field, never half-way through a render.
 */

import { z } from "zod";
import { DERIVED, INDICATOR_KEYS, SECTIONS } from "../domain/catalogue.ts";
import { WordingError } from "../errors.ts";
import { placeholdersOf } from "./template.ts";

/** A sentence pattern that may use only the listed placeholders (and must use the required ones). */
function pattern(allowed: readonly string[], required: readonly string[] = []) {
  return z.string().superRefine((text, ctx) => {
    const used = placeholdersOf(text);
    const unknown = used.filter((p) => !allowed.includes(p));
    if (unknown.length) {
      const hint = allowed.length
        ? `可用的占位符:${allowed.map((p) => `{${p}}`).join(" ")}`
        : "此处不用占位符";
      ctx.addIssue({
        code: "custom",
        message: `未知的占位符 ${unknown.map((p) => `{${p}}`).join(" ")};${hint}`,
      });
    }
    const missing = required.filter((p) => !used.includes(p));
    if (missing.length) {
      ctx.addIssue({ code: "custom", message: `缺少占位符 ${missing.map((p) => `{${p}}`).join(" ")}` });
    }
  });
}

const text = z.string();
const nonEmpty = z.string().min(1);
const byTone = <T extends z.ZodType>(item: T) => z.strictObject({ rising: item, steady: item });

const sectionWording = z.strictObject({ heading: nonEmpty, intro: text });

const indicatorWording = z.strictObject({
  /** Replaces the catalogue's phrase; `{v}` is the formatted figure with its measure word. */
  phrase: pattern(["v"], ["v"]).optional(),
  /** Name used in 同比/环比 and ranking notes (defaults to the catalogue name). */
  label: nonEmpty.optional(),
  /**
   * Starts a new clause (joined with "，") rather than continuing a 、-list. By default a phrase that
   * begins with the indicator's own name continues the list ("开展革命传统教育216次、形势政策教育173次").
   */
  clause: z.boolean().optional(),
});

const sectionKeys = SECTIONS.map((s) => s.key) as [string, ...string[]];
const indicatorKeys = INDICATOR_KEYS as [string, ...string[]];
const derivedKeys = DERIVED.map((d) => d.key) as [string, ...string[]];

/** 审签 wording; an older bulletin.json without the block gets these. */
export const REVIEW_DEFAULTS = {
  draftMark: "送审稿",
  draftIssue: "{year}年第　　期",
  draftDate: "　　　　年　　月　　日",
  watermark: "送审稿",
  draftTitle: "{title}（送审稿）　{yearMonth}",
  correctionMark: "更正",
  correctionLabel: "更正说明：",
  correction: "本期更正{corrected}（{date}印发）的内容：{reason}原{corrected}作废，请以本期为准。",
  commentLabel: "按语：",
} as const;

const reviewWording = z
  .strictObject({
    /** Printed at the top right of a 送审稿's masthead. */
    draftMark: nonEmpty,
    /** The issue line of a 送审稿: no 期号 until 签发. */
    draftIssue: pattern(["year"]),
    /** The masthead date of a 送审稿 (the 签发 date is printed once signed). */
    draftDate: text,
    /** Across every page of a 送审稿. */
    watermark: text,
    /** The document title of a 送审稿 (the viewer's title bar). */
    draftTitle: pattern(["title", "yearMonth"]),
    /** At the top right of an issued 更正. */
    correctionMark: text,
    correctionLabel: text,
    /** The 更正说明 before the 编者按; {reason} is the editors' text. */
    correction: pattern(["corrected", "date", "reason"], ["corrected", "reason"]),
    /** Run-in lead of the editors' 按语 at the head of the 典型案例. */
    commentLabel: text,
  })
  .default(REVIEW_DEFAULTS);

/** 逐级审核 and 催报 wording; an older bulletin.json without the block gets these. */
export const WORKFLOW_DEFAULTS = {
  figuresProvisional: "据初步统计，{month}，{subject}{list}。",
  confirmed: "本月数据已经{areas}个片区审核、市级确认。",
  provisional:
    "截至发稿，{areas}个片区中已有{confirmed}个完成市级确认，{names}尚在审核中，本期数据为初步统计，最终以审核确认后的数据为准。",
  provisionalNone: "截至发稿，本月数据尚在逐级审核中，本期数据为初步统计，最终以审核确认后的数据为准。",
  remindedLate: "其中，{names}经催报后报送。",
  remindedName: "{name}（催报{count}次）",
} as const;

const workflowWording = z
  .strictObject({
    /** The 编者按's figures sentence while the month is not fully confirmed ("据初步统计"). */
    figuresProvisional: pattern(["month", "subject", "list"], ["list"]),
    /** 报送情况, every 片区 of the scope 市级确认 for the month. */
    confirmed: pattern(["areas"]),
    /** 报送情况, some 片区 confirmed: {names} are those still in review. */
    provisional: pattern(["areas", "confirmed", "names"], ["names"]),
    /** 报送情况, none confirmed yet (or a 片区's own bulletin). */
    provisionalNone: pattern(["areas"]),
    /** After the 迟报 list: the late units that had been sent a 催报 before they reported. */
    remindedLate: pattern(["names", "count"], ["names"]),
    /** One reminded unit in that list. */
    remindedName: pattern(["name", "count"], ["name"]),
  })
  .default(WORKFLOW_DEFAULTS);

export const wordingSchema = z.strictObject({
  /**
   * Notes that explain how the bulletin was made (how the 典型案例 were picked, how ties in the
   * ranking are ordered). They belong in the documentation and the portal, not in a bulletin sent
   * to leadership: off unless an office turns them on (for a draft, say).
   */
  methodNotes: z.boolean().default(false),
  masthead: z.strictObject({
    title: nonEmpty,
    issue: pattern(["year", "issue"], ["issue"]),
    editor: nonEmpty,
    classification: text,
  }),
  subject: z.strictObject({
    /** The root scope (it has 片区 below it): "全市各级机关党组织". */
    withChildren: pattern(["scope"]),
    /** A 片区 scope whose children are units. */
    withoutChildren: pattern(["scope"]),
  }),
  headline: z.strictObject({
    titles: byTone(z.array(nonEmpty).min(1)),
    subtitle: pattern(["scope", "yearMonth", "month"]),
  }),
  editorNote: z.strictObject({
    label: text,
    opening: pattern(["yearMonth", "month", "subject"]),
    figures: pattern(["month", "subject", "list"], ["list"]),
    /**
     * What was done this year, by name: the `activityYtdTop` largest year-to-date activities with
     * their figures ("今年以来，累计落实“三会一课”6575次，开展集中学习研讨2746次……"), never one
     * total of unlike things.
     */
    activityYtd: pattern(["subject", "list"], ["list"]),
    activityYtdTop: z.number().int().min(1).max(5),
    completeness: pattern(["expected", "reported", "reportRate", "onTime", "onTimeRate"]),
    completenessFull: pattern(["expected"]),
  }),
  sections: z.partialRecord(z.enum(sectionKeys), sectionWording),
  sectionFallback: z.strictObject({ heading: pattern(["name"]), intro: text }),
  sentences: z.strictObject({
    month: pattern(["month", "subject", "list"], ["list"]),
    rates: pattern(["list"], ["list"]),
    ytd: pattern(["list"], ["list"]),
    yoy: pattern(["changes"], ["changes"]),
    mom: pattern(["changes"], ["changes"]),
    empty: text,
    listSeparator: nonEmpty,
    clauseSeparator: nonEmpty,
    /** Between derived rates, each of which may carry its own "较上月…" clause. */
    rateSeparator: nonEmpty,
    respectively: text,
    /**
     * 同比/环比 only where the earlier figure is at least this: "增长300.0%" on a base of 1 says
     * nothing. 1 keeps the minimal rule (any earlier figure above 0).
     */
    comparisonMinBase: z.number().min(1),
    up: nonEmpty,
    down: nonEmpty,
    flat: nonEmpty,
    pointsUp: pattern(["v"], ["v"]),
    pointsDown: pattern(["v"], ["v"]),
    pointsFlat: pattern([]),
    derivedFallback: pattern(["name", "v"], ["v"]),
  }),
  indicators: z.partialRecord(z.enum(indicatorKeys), indicatorWording),
  derived: z.partialRecord(z.enum(derivedKeys), z.strictObject({ phrase: pattern(["v"], ["v"]) })),
  ranking: z.strictObject({
    heading: nonEmpty,
    intro: text,
    summary: pattern(["topChildren", "topUnits"]),
    summaryUnits: pattern(["topUnits"]),
    /** Measure words of the indicators that count as activities (次, 场): new ones join by themselves. */
    activityUnits: z.array(nonEmpty).min(1),
    /** Activities are shown per this many members (100: "每百名党员"), ranking is unaffected. */
    perMembers: z.number().int().min(1),
    /** What 每百名党员活动次数 means and who is left out: a reader needs it, so it is always printed. */
    rule: pattern(["indicators", "count", "scale"]),
    /** How ties are ordered, appended to the rule only with methodNotes (it speaks of unit codes). */
    ruleTies: text,
    childCaption: pattern(["n"]),
    childColumns: z.array(nonEmpty).length(8),
    unitCaption: pattern(["n", "top"]),
    unitColumns: z.array(nonEmpty).length(6),
    unitTop: z.number().int().min(1).max(50),
    barCaption: pattern(["n"]),
    barSeries: nonEmpty,
    trendCaption: pattern(["n"]),
    trendSeries: nonEmpty,
    trendMonth: pattern(["n", "year"], ["n"]),
  }),
  cases: z.strictObject({
    heading: nonEmpty,
    intro: text,
    leads: z.array(text).min(1),
    /**
     * One case. {opening} is a leading phrase the story put before its subject ("重阳节期间，"), so
     * the unit's name can stand where the story named it; without {opening} such a story is quoted
     * whole after {unit}.
     */
    pattern: pattern(["lead", "opening", "unit", "parent", "text"], ["text"]),
    count: z.number().int().min(0).max(10),
    minChars: z.number().int().min(0),
    maxChars: z.number().int().min(20),
    ellipsis: text,
    selfReferences: z.array(nonEmpty),
    /** How the cases were picked: printed only with methodNotes. */
    rule: pattern(["minChars"]),
    /** The rule for a 片区 scope, whose units all share one 片区 (only with methodNotes). */
    ruleWithoutChildren: pattern(["minChars"]),
    none: text,
  }),
  completeness: z.strictObject({
    heading: nonEmpty,
    summary: pattern(["expected", "reported", "reportRate", "onTime", "onTimeRate", "deadline"]),
    missing: pattern(["count", "names"], ["names"]),
    late: pattern(["count", "names"], ["names"]),
    allOnTime: text,
    nameSeparator: nonEmpty,
    reminder: text,
  }),
  closing: z.strictObject({
    couplets: byTone(z.array(nonEmpty).min(1)),
    nextSteps: pattern(["subject", "actions"], ["actions"]),
    actions: z.array(nonEmpty).min(1),
    whenIncomplete: text,
    whenDeclining: text,
    actionSeparator: nonEmpty,
  }),
  review: reviewWording,
  workflow: workflowWording,
  colophon: z.strictObject({
    entries: z.array(z.strictObject({ label: nonEmpty, text: nonEmpty })),
    printed: pattern(["date", "editor"]),
    copies: pattern(["copies"], ["copies"]),
    copyCount: z.number().int().min(1),
  }),
});

export type BulletinWording = z.infer<typeof wordingSchema>;

/** Validates already-parsed JSON (pure). */
export function parseWording(json: unknown): BulletinWording {
  const parsed = wordingSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(根)"}: ${i.message}`);
    throw new WordingError(`简报措辞模板有误:\n${problems.join("\n")}`);
  }
  return parsed.data;
}
