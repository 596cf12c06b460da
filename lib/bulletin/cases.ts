/**
 * 典型案例: "如XX机关党支部……" stories from the units' 亮点工作 text.
 *
 * Selection rule (also printed under the cases): among the month's highlights whose cleaned text has
 * at least `minChars` characters, highest per-member activity first (then longer text, then unit
 * code), at most one per 片区 when the scope has 片区, `count` in all.
 *
 * The text is what a unit typed into Excel/WPS, so it is treated as untrusted plain text: a cell that
 * is a formula (=HYPERLINK(…), +cmd|…) is dropped, embedded formula calls, markup tags and web
 * addresses are removed, and nothing in the model can become a link.
 */
import { activityTotal } from "./activity.ts";
import type { ComposeContext } from "./context.ts";
import type { Highlight } from "./input.ts";
import type { Block } from "./model.ts";
import { fill } from "./template.ts";
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

/** Straight double quotes typed on an English keyboard become “ and ”, in turn. */
function curlQuotes(text: string): string {
  let open = true;
  return text.replace(/"/g, () => {
    const q = open ? "“" : "”";
    open = !open;
    return q;
  });
}

function joinLines(text: string): string {
  return text.replace(LINE_BREAK, (match, offset: number) => {
    const before = text.slice(0, offset);
    return before === "" || CJK_PUNCT.test(before) || offset + match.length === text.length ? "" : "，";
  });
}

/** Untrusted 亮点工作 text → plain prose ("" when nothing substantive is left). */
export function cleanStory(raw: string, selfReferences: readonly string[] = []): string {
  let text = stripControls(raw).trim();
  if (FORMULA_CELL.test(text)) return "";
  text = text
    .replace(MARKDOWN_LINK, "$1")
    .replace(TAG, "")
    .replace(FORMULA_CALL, "")
    .replace(ADDRESS, "")
    .replace(/^[=+\-@\s]+/, "");
  text = joinLines(text)
    .replace(/[ \t]{2,}/g, " ")
    .trim();
  for (const self of selfReferences) {
    if (text.startsWith(self)) {
      text = text.slice(self.length).replace(/^[，,：:\s]+/, "");
      break;
    }
  }
  text = curlQuotes(text).replace(/^[，。、；：,.;:!?！？\s]+/, "");
  return text;
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
    const text = cleanStory(highlight.text, c.selfReferences);
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
  const chosen: Candidate[] = [];
  const parents = new Set<string>();
  const onePerParent = ctx.input.children.length > 0;
  for (const candidate of candidates) {
    if (chosen.length >= c.count) break;
    if (onePerParent && parents.has(candidate.highlight.parentName)) continue;
    parents.add(candidate.highlight.parentName);
    chosen.push(candidate);
  }
  return chosen;
}

export function casesSection(ctx: ComposeContext): Block[] {
  const c = ctx.wording.cases;
  const chosen = selectCases(ctx);
  if (!chosen.length) return [{ kind: "paragraph", text: c.intro + c.none }];
  const blocks: Block[] = chosen.map((candidate, i) => {
    const story = fill(c.pattern, {
      lead: c.leads[Math.min(i, c.leads.length - 1)] ?? "",
      unit: candidate.highlight.name,
      parent: candidate.highlight.parentName,
      text: shorten(candidate.text, ctx.wording),
    });
    return { kind: "paragraph", text: i === 0 ? c.intro + story : story };
  });
  const rule = ctx.input.children.length ? c.rule : c.ruleWithoutChildren;
  if (rule) blocks.push({ kind: "note", text: fill(rule, { minChars: c.minChars }) });
  return blocks;
}
