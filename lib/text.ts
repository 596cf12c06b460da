/** Text clean-up shared by headers, codes, numbers and periods typed in Excel/WPS. */

const FULLWIDTH_START = 0xff01;
const FULLWIDTH_END = 0xff5e;
const FULLWIDTH_OFFSET = 0xfee0;

/**
 * 全角 → 半角 for ASCII look-alikes (１２３，．－), the ideographic space and the
 * minus sign variants that Chinese input methods produce.
 */
export function toHalfWidth(text: string): string {
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
