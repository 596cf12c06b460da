/**
 * 典型案例: "如XX机关党支部……" stories from the units' 亮点工作 text.
 *
 * Selection: among the month's highlights whose cleaned text has at least `minChars` characters,
 * highest per-member activity first (then longer text, then unit code), `count` in all — one per
 * 片区 as long as another 片区 has a story to give, then the next best of any 片区, so a month in
 * which one 片区 sends stories still reads "如……又如……再如……". (The rule may be printed under the
 * cases — wording.methodNotes — but a bulletin for leadership leaves it out by default.)
 *
 * The text is what a unit typed into Excel/WPS, so it is treated as untrusted plain text: a cell that
 * is a formula (=HYPERLINK(…), +cmd|…) is dropped, embedded formula calls, markup tags and web
 * addresses are removed, and nothing in the model can become a link. What is left is typeset
 * (typesetChinese) and joined to the unit's name: a story that opens with the unit's own name, its
 * short form or "我支部" does not say it twice ("如市妇联机关党支部坚持……").
 */
import { shortNameOf } from "../domain/registry.ts";
import { typesetChinese } from "../domain/text.ts";
import { activityTotal } from "./activity.ts";
import type { ComposeContext } from "./context.ts";
import type { Highlight } from "./input.ts";
import type { Block } from "./model.ts";
import { fill, placeholdersOf } from "./template.ts";
import type { BulletinWording } from "./wording.ts";

const FORMULA_CELL = /^[=+\-@]\s*[A-Za-z_][\w.]*\s*\(/;
const FORMULA_CALL = /[=+@]\s*[A-Za-z_][\w.]*\s*\([^()]*(?:\([^()]*\)[^()]*)*\)/g;
const TAG = /<\/?[A-Za-z!][^<>]*>/g;
const MARKDOWN_LINK = /\[([^\]]*)\]\([^)]*\)/g;
const ADDRESS = /(?:https?|ftp|file|javascript|mailto):\S*|www\.[^\s\u3000-\u303f\uff00-\uffef]+/gi;
/** Zero-width and direction marks (Unicode Cf): invisible, and able to reorder what a reader sees. */
const FORMAT_CHARS = /\p{Cf}/gu;
const LINE_BREAK = /[ \t\u3000]*(?:\r\n|\r|\n)+[ \t\u3000]*/g;
const CJK_PUNCT = /[。！？；，、：…”’）》」』\]]$/;
const SENTENCE_END = /[。！？…]$/;

/** C0 controls other than tab and line breaks, and DEL: Excel lets them into cells. */
function stripControls(text: string): string {
  let out = "";
  for (const c of text.replace(FORMAT_CHARS, "").replace(/[\u2028\u2029]/g, "\n")) {
    const n = c.charCodeAt(0);
    if ((n < 0x20 && c !== "\t" && c !== "\n" && c !== "\r") || n === 0x7f) continue;
    out += c;
  }
  return out;
}

function joinLines(text: string): string {
  return text.replace(LINE_BREAK, (match, offset: number) => {
    const before = text.slice(0, offset);
    return before === "" || CJK_PUNCT.test(before) || offset + match.length === text.length ? "" : "，";
  });
}

/** Untrusted 亮点工作 text → plain, typeset prose ("" when nothing substantive is left). */
export function cleanStory(raw: string): string {
  let text = stripControls(raw).trim();
  if (FORMULA_CELL.test(text)) return "";
  text = text
    .replace(MARKDOWN_LINK, "$1")
    .replace(TAG, "")
    .replace(FORMULA_CALL, "")
    .replace(ADDRESS, "")
    .replace(/^[=+\-@\s]+/, "");
  // Typeset line by line first, so a line ending in a half-width "," is not given a second "，".
  text = joinLines(typesetChinese(text))
    .replace(/[ \t]{2,}/g, " ")
    .trim();
  return text.replace(/^[，。、；：,.;:!?！？\s]+/, "");
}

/** The organisation part of a unit's name: "市妇联机关党支部" is 市妇联's 机关党支部. */
/** What may follow a unit's short name and still be the unit: 市妇联机关党组织, 市妇联党支部. */
const ORG_WORDS = [
  "机关党委",
  "机关党总支",
  "机关党支部",
  "机关党组织",
  "党委",
  "党总支",
  "党支部",
  "党组织",
];

/** "市妇联机关党支部" → "市妇联"; a name without an organisation suffix is its own short name. */
export const unitShortName = shortNameOf;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The ways a story names its own unit, longest first so "市妇联机关党支部" wins over "市妇联". */
function subjectPattern(name: string, selfReferences: readonly string[]): RegExp {
  const short = unitShortName(name);
  const names = [name, ...ORG_WORDS.map((w) => short + w), short, ...selfReferences];
  const alternatives = [...new Set(names)].sort((x, y) => y.length - x.length).map(escapeRegExp);
  return new RegExp(`^(?:${alternatives.join("|")})[，,：:、\\s]*`);
}

/** A story split around its subject: "{opening}{unit}{rest}" reads as the unit's own sentence. */
export interface JoinedStory {
  /** A leading time or occasion phrase the subject followed ("重阳节期间，"), or "". */
  readonly opening: string;
  /** The story after its subject (the whole story when it never names its unit at the start). */
  readonly rest: string;
}

/** Longest leading phrase ("庆祝“七一”期间，") that may stand before the subject. */
const MAX_OPENING = 20;

/**
 * "市妇联坚持……" → rest "坚持……"; "我支部组织……" → rest "组织……"; "重阳节期间，市妇联组织……" →
 * opening "重阳节期间，", rest "组织……"; a story that does not name its unit first is left whole.
 */
export function joinSubject(text: string, name: string, selfReferences: readonly string[]): JoinedStory {
  const subject = subjectPattern(typesetChinese(name), selfReferences);
  const direct = subject.exec(text);
  if (direct && direct[0].length < text.length) return { opening: "", rest: text.slice(direct[0].length) };
  const comma = text.indexOf("，");
  if (comma > 0 && comma <= MAX_OPENING && !/[。！？；]/.test(text.slice(0, comma))) {
    const after = text.slice(comma + 1);
    const m = subject.exec(after);
    if (m && m[0].length < after.length) {
      return { opening: text.slice(0, comma + 1), rest: after.slice(m[0].length) };
    }
  }
  return { opening: "", rest: text };
}

/** Characters that carry meaning (CJK, letters, digits), for the minimum-length rule. */
export function substantiveLength(text: string): number {
  return (text.match(/[\p{L}\p{N}]/gu) ?? []).length;
}

/** Cuts at the last sentence end within maxChars, or hard at maxChars with an ellipsis. */
function shorten(text: string, wording: BulletinWording): string {
  const { maxChars, ellipsis } = wording.cases;
  if (text.length <= maxChars)
    return SENTENCE_END.test(text) ? text : `${text.replace(/[，、；：,;:]$/, "")}。`;
  const head = text.slice(0, maxChars);
  const end = Math.max(head.lastIndexOf("。"), head.lastIndexOf("！"), head.lastIndexOf("？"));
  if (end >= maxChars / 2) return head.slice(0, end + 1);
  return `${head.replace(/[，、；：,;:。]$/, "")}${ellipsis}`;
}

interface Candidate {
  readonly highlight: Highlight;
  readonly text: string;
  readonly perMember: number;
}

export function selectCases(ctx: ComposeContext): Candidate[] {
  const c = ctx.wording.cases;
  const candidates: Candidate[] = [];
  for (const highlight of ctx.input.highlights) {
    const text = cleanStory(highlight.text);
    if (substantiveLength(text) < c.minChars) continue;
    const members = highlight.values.members_total;
    const perMember = members > 0 ? activityTotal(highlight.values, ctx.activity) / members : 0;
    candidates.push({ highlight, text, perMember });
  }
  candidates.sort(
    (a, b) =>
      b.perMember - a.perMember ||
      substantiveLength(b.text) - substantiveLength(a.text) ||
      (a.highlight.code < b.highlight.code ? -1 : a.highlight.code > b.highlight.code ? 1 : 0),
  );
  // The spread across 片区 first: the best story of each 片区, best first …
  const chosen = new Set<Candidate>();
  const parents = new Set<string>();
  for (const candidate of candidates) {
    if (chosen.size >= c.count) break;
    if (parents.has(candidate.highlight.parentName)) continue;
    parents.add(candidate.highlight.parentName);
    chosen.add(candidate);
  }
  // … then, when fewer 片区 than cases sent stories, the next best of any 片区.
  for (const candidate of candidates) {
    if (chosen.size >= c.count) break;
    chosen.add(candidate);
  }
  return candidates.filter((candidate) => chosen.has(candidate));
}

export function casesSection(ctx: ComposeContext): Block[] {
  const c = ctx.wording.cases;
  const chosen = selectCases(ctx);
  if (!chosen.length) return [{ kind: "paragraph", text: c.intro + c.none }];
  const canMoveOpening = placeholdersOf(c.pattern).includes("opening");
  const blocks: Block[] = chosen.map((candidate, i) => {
    const joined = joinSubject(candidate.text, candidate.highlight.name, c.selfReferences);
    // A pattern without {opening} cannot put the unit after "重阳节期间，": the story stays whole.
    const { opening, rest } =
      joined.opening && !canMoveOpening ? { opening: "", rest: candidate.text } : joined;
    const story = fill(c.pattern, {
      lead: c.leads[Math.min(i, c.leads.length - 1)] ?? "",
      opening,
      unit: candidate.highlight.name,
      parent: candidate.highlight.parentName,
      text: shorten(rest, ctx.wording),
    });
    return { kind: "paragraph", text: i === 0 ? c.intro + story : story };
  });
  if (ctx.wording.methodNotes) {
    const rule = ctx.input.children.length ? c.rule : c.ruleWithoutChildren;
    if (rule) blocks.push({ kind: "note", text: fill(rule, { minChars: c.minChars }) });
  }
  return blocks;
}
