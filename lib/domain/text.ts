/** Text clean-up shared by headers, codes, numbers and periods typed in Excel/WPS. */

const FULLWIDTH_START = 0xff01;
const FULLWIDTH_END = 0xff5e;
const FULLWIDTH_OFFSET = 0xfee0;

/**
 * 全角 → 半角 for ASCII look-alikes (１２３，．－), the ideographic space and the
 * minus sign variants that Chinese input methods produce.
 */
export function toHalfWidth(text: string): string {
  // Most cells are plain ASCII or Chinese text with nothing to convert: check before building.
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (
      (c >= FULLWIDTH_START && c <= FULLWIDTH_END) ||
      c === 0x3000 ||
      c === 0x00a0 ||
      c === 0x2212 ||
      c === 0x2013 ||
      c === 0x2014
    ) {
      break;
    }
  }
  if (i === text.length) return text;
  let out = "";
  let changed = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= FULLWIDTH_START && c <= FULLWIDTH_END) {
      out += String.fromCharCode(c - FULLWIDTH_OFFSET);
      changed = true;
    } else if (c === 0x3000 || c === 0x00a0) {
      out += " ";
      changed = true;
    } else if (c === 0x2212 || c === 0x2013 || c === 0x2014) {
      out += "-";
      changed = true;
    } else {
      out += text[i];
    }
  }
  return changed ? out : text;
}

/** Trims ASCII and ideographic white space and the zero-width characters Excel sometimes keeps. */
export function cleanCell(text: string): string {
  // Most cells have nothing to trim: check both ends before running the regular expression.
  if (
    text.length === 0 ||
    (!isTrimmable(text.charCodeAt(0)) && !isTrimmable(text.charCodeAt(text.length - 1)))
  ) {
    return text;
  }
  return text.replace(/^[\s\u3000\u00a0\u200b\ufeff]+|[\s\u3000\u00a0\u200b\ufeff]+$/g, "");
}

/** Header text → comparable form: half-width, no spaces, no trailing "(单位)" annotation. */
export function normaliseHeader(text: string): string {
  return toHalfWidth(cleanCell(text))
    .replace(/\s+/g, "")
    .replace(/\([^)]*\)$/, "")
    .replace(/[*＊]/g, "")
    .toLowerCase();
}

function isTrimmable(c: number): boolean {
  return (
    c <= 0x20 ||
    c === 0x3000 ||
    c === 0xa0 ||
    c === 0x200b ||
    c === 0xfeff ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x1680 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x85
  );
}

/**
 * Chinese context: Han characters, CJK punctuation (、。《》「」…), the full-width forms (，：（）１２３),
 * curly quotes, the ellipsis and the em dash. Half-width punctuation next to one of these is Chinese
 * punctuation typed on an English keyboard.
 */
function isChinese(c: string | undefined): boolean {
  if (c === undefined) return false;
  const n = c.codePointAt(0) as number;
  return (
    (n >= 0x3000 && n <= 0x303f && n !== 0x3000) ||
    (n >= 0xff01 && n <= 0xff60) ||
    (n >= 0xffe0 && n <= 0xffee) ||
    (n >= 0x2018 && n <= 0x201d) ||
    n === 0x2026 ||
    n === 0x2014 ||
    n === 0x00b7 ||
    HAN.test(c)
  );
}

const HAN = /[\p{Script=Han}]/u;
const isHan = (c: string | undefined): boolean => c !== undefined && HAN.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";
const isAsciiAlnum = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9]$/.test(c);
const isBlank = (c: string | undefined): boolean =>
  c === " " || c === "\t" || c === "\u3000" || c === "\u00a0";

const FULL_WIDTH: Readonly<Record<string, string>> = {
  ",": "，",
  ";": "；",
  ":": "：",
  "?": "？",
  "!": "！",
  "(": "（",
  ")": "）",
};

/**
 * Web and mail addresses, kept exactly as typed. Trailing punctuation (the "," or ")" after an
 * address) is not part of it, as linkifiers decide.
 */
const ADDRESS =
  /(?:(?:https?|ftp|file|mailto):|www\.)[!-~]*[A-Za-z0-9/#=&_~-]|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/** Everything typesetChinese may change: without any of these a text is returned as it is. */
const TYPESET_CANDIDATES = /[,;:?!().'"“”‘’… \t\u3000\u00a0]/;

/** For each character (code point) of `text`: does it lie inside a web or mail address? */
function protectedPositions(text: string, chars: readonly string[]): boolean[] {
  const units = new Array<boolean>(text.length).fill(false);
  for (const m of text.matchAll(ADDRESS)) units.fill(true, m.index, m.index + m[0].length);
  const mask: boolean[] = [];
  let offset = 0;
  for (const c of chars) {
    mask.push(units[offset] === true);
    offset += c.length;
  }
  return mask;
}

/** Half-width ( ) matched as pairs: position of "(" → position of its ")", and back. */
function parenPairs(chars: readonly string[], locked: readonly boolean[]): Map<number, number> {
  const pairs = new Map<number, number>();
  const open: number[] = [];
  chars.forEach((c, i) => {
    if (locked[i]) return;
    if (c === "(") open.push(i);
    else if (c === ")") {
      const o = open.pop();
      if (o !== undefined) {
        pairs.set(o, i);
        pairs.set(i, o);
      }
    }
  });
  return pairs;
}

/** One left-to-right pass; typesetChinese repeats it until nothing changes. */
function typesetPass(text: string): string {
  // Code points, so Han outside the BMP (𠮷) is one character like any other.
  const chars = Array.from(text);
  const locked = protectedPositions(text, chars);
  const pairs = parenPairs(chars, locked);
  const out: string[] = [];
  const last = (): string | undefined => {
    for (let k = out.length - 1; k >= 0; k--) if (!isBlank(out[k])) return out[k];
    return undefined;
  };
  const nextAfter = (i: number): string | undefined => {
    for (let k = i + 1; k < chars.length; k++) if (!isBlank(chars[k])) return chars[k];
    return undefined;
  };
  let doubleOpen = false;
  let singleOpen = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (locked[i]) {
      out.push(c);
      continue;
    }
    switch (c) {
      case ",":
      case ";":
      case ":":
      case "?":
      case "!": {
        const left = last();
        const right = nextAfter(i);
        out.push(isChinese(left) || isChinese(right) ? (FULL_WIDTH[c] as string) : c);
        break;
      }
      case "(":
      case ")": {
        const mate = pairs.get(i);
        let wide: boolean;
        if (mate === undefined) wide = isChinese(last()) || isChinese(nextAfter(i));
        else {
          const [o, e] = c === "(" ? [i, mate] : [mate, i];
          const before =
            o > 0
              ? chars
                  .slice(0, o)
                  .reverse()
                  .find((x) => !isBlank(x))
              : undefined;
          wide =
            isChinese(before) ||
            isChinese(nextAfter(e)) ||
            chars.slice(o + 1, e).some((x) => isHan(x) || isChinese(x));
        }
        out.push(wide ? (FULL_WIDTH[c] as string) : c);
        break;
      }
      case ".":
      case "…": {
        let end = i;
        while (end + 1 < chars.length && chars[end + 1] === c && !locked[end + 1]) end++;
        const run = end - i + 1;
        const left = out[out.length - 1];
        if (run === 1 && c === ".") {
          const right = chars[i + 1];
          const ends = right === undefined || right === "\n" || isBlank(right) || isChinese(right);
          out.push(isHan(left) && ends ? "。" : c);
        } else {
          // An ellipsis typed as "..." or as a lone "…" after Chinese text is the two-character "……".
          const ellipsis = isChinese(left) && (c === "…" || run >= 3);
          out.push(ellipsis ? "……" : chars.slice(i, end + 1).join(""));
          i = end;
        }
        break;
      }
      case '"':
      case "“":
      case "”": {
        // Curly quotes keep their direction; a straight one opens or closes by what came before.
        const q: string = c === "“" || (c === '"' && !doubleOpen) ? "“" : "”";
        doubleOpen = q === "“";
        out.push(q);
        break;
      }
      case "'":
      case "‘":
      case "’": {
        const prev = chars[i - 1];
        const next = chars[i + 1];
        // don't, Xi'an, 90's: an apostrophe inside a Latin word is part of the word.
        if ((c === "'" || c === "’") && isAsciiAlnum(prev) && isAsciiAlnum(next)) {
          out.push(c);
          break;
        }
        if (c === "'" && !singleOpen && !isChinese(last()) && !isChinese(nextAfter(i))) {
          out.push(c);
          break;
        }
        const q: string = c === "‘" || (c === "'" && !singleOpen) ? "‘" : "’";
        singleOpen = q === "‘";
        out.push(q);
        break;
      }
      case " ":
      case "\t":
      case "\u3000":
      case "\u00a0": {
        let end = i;
        while (end + 1 < chars.length && isBlank(chars[end + 1]) && !locked[end + 1]) end++;
        const left = out[out.length - 1];
        const right = chars[end + 1];
        const stray =
          (isChinese(left) && isChinese(right)) ||
          (isHan(left) && isDigit(right)) ||
          (isDigit(left) && isHan(right));
        if (!stray) for (let k = i; k <= end; k++) out.push(chars[k] as string);
        i = end;
        break;
      }
      default:
        out.push(c);
    }
  }
  return out.join("");
}

/**
 * Units' own words (亮点工作, names) typeset for a Chinese page, as an editor would: half-width
 * , ; : ? ! ( ) in Chinese text become ，；：？！（）, a "." ending a Chinese sentence becomes "。"
 * and "..." "……", straight quotes become “” and ‘’ paired in turn (curly ones keep their direction),
 * and spaces between Chinese characters (or between a Han character and a figure) go.
 * Figures (347.79, 1,260, 10:30), dates, Latin words (don't, Xi'an) and web addresses stay as typed.
 * Idempotent: typesetting typeset text changes nothing.
 */
export function typesetChinese(text: string): string {
  if (!TYPESET_CANDIDATES.test(text)) return text;
  let current = text;
  // Each pass only widens punctuation, removes spaces or turns straight quotes curly, so the
  // passes settle; a fixed point is what makes the function idempotent.
  for (let pass = 0; pass < 16; pass++) {
    const next = typesetPass(current);
    if (next === current) return current;
    current = next;
  }
  return current;
}
