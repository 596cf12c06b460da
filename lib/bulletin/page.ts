/**
 * The page, after GB/T 9704-2012 as BULLETIN.md gives it: A4, top margin 37 mm, left 28 mm, a
 * 156 × 225 mm text block; body 3号 (≈16 pt) at 22 lines × 28 characters. Noto Serif SC's line box
 * is 1.448 em (ascent + descent), so 15.8 pt × 1.448 × 1.26 ≈ 28.8 pt fits 22 lines in 225 mm.
 */
import type { Margins } from "pdfmake/interfaces.js";

export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;
/** [left, top, right, bottom] in pt. */
export const MARGINS = [79.4, 104.9, 73.7, 99.2] as const satisfies Margins;
export const TEXT_WIDTH = PAGE_WIDTH - MARGINS[0] - MARGINS[2];

export const BODY_SIZE = 15.8;
export const BODY_LINE_HEIGHT = 1.26;
/** Two characters: the first-line indent of every paragraph and "一、" heading. */
export const INDENT = 2 * BODY_SIZE;
/** Noto CJK line box (ascent + descent) per em, for estimating heights before layout. */
export const LINE_BOX_EM = 1.448;

/** 2号 (22 pt) title; the masthead is larger, as printed 简报 heads are. */
export const TITLE_SIZE = 22;
export const MASTHEAD_SIZE = 40;
/** 4号 (14 pt): page numbers and the 报尾. */
export const SMALL_SIZE = 14;
export const TABLE_SIZE = 11;
export const NOTE_SIZE = 12;

/** Y80% M80% in print. */
export const RED = "#D40000";
export const INK = "#000000";
export const GREY = "#444444";
