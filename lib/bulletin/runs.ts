/**
 * Line-breaking help for pdfmake's UAX #14 breaker, which knows an older Unicode:
 * - it would split "527" from its "次" or "12.3" from "%": figures with their measure words become
 *   no-wrap runs, so a line never starts with a bare measure word;
 * - it never breaks next to “ ” (LB19, relaxed for East Asian text only in Unicode 15.1), so
 *   "落实“三会一课”1316次，" moves to the next line as one block and leaves a gap. A break
 *   opportunity (a hair-thin space: the fonts have no zero-width space glyph) goes before an opening
 *   and after a closing quote.
 */
import { CATALOGUE, DERIVED } from "../domain/catalogue.ts";

export type Run = { readonly kind: "plain" | "figure" | "break"; readonly text: string };

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const MEASURE_WORDS = [
  ...new Set([...CATALOGUE.map((i) => i.unit), ...DERIVED.map((d) => d.unit), "%", "个百分点", "万"]),
]
  .filter(Boolean)
  .sort((a, b) => b.length - a.length);

const FIGURE = new RegExp(`(\\d+(?:\\.\\d+)?万?(?:${MEASURE_WORDS.map(escapeRegExp).join("|")})?)`, "u");
/** Before “‘ (unless at the start) and after ”’ (unless at the end or before punctuation). */
const QUOTE_BREAK = /(?<=[^\s“‘（《])(?=[“‘])|(?<=[”’])(?=[^\s，。、；：！？）》”’…])/u;

const BREAK: Run = { kind: "break", text: " " };

function figures(text: string): Run[] {
  const runs: Run[] = [];
  text.split(FIGURE).forEach((part, i) => {
    // split() with one capture group puts the captured figures at odd indexes.
    if (part) runs.push({ kind: i % 2 === 1 ? "figure" : "plain", text: part });
  });
  return runs;
}

export function textRuns(text: string): Run[] {
  const runs: Run[] = [];
  text.split(QUOTE_BREAK).forEach((part, i) => {
    if (i > 0) runs.push(BREAK);
    runs.push(...figures(part));
  });
  return runs;
}
