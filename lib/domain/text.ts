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
