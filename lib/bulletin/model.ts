/**
 * The composed bulletin: every word and figure already decided, nothing about pages or fonts.
 * composeBulletin produces it from the data and the wording; toDocDefinition only lays it out. Tests
 * snapshot this model rather than PDF bytes.
 */

export interface Masthead {
  /** "机关党建工作简报" */
  readonly title: string;
  /** "2026年第10期" */
  readonly issue: string;
  /** 编发单位, printed left under the issue line. */
  readonly editor: string;
  /** "2026年11月6日", printed right. */
  readonly date: string;
  /** "内部资料　注意保存" (may be empty). */
  readonly classification: string;
  /** "送审稿" on a draft, "更正" on an issued correction: printed at the top right. */
  readonly mark?: string;
}

export interface Paragraph {
  readonly kind: "paragraph";
  /** Run-in lead printed in the heading face ("编者按："). */
  readonly lead?: string;
  readonly text: string;
}

/** Small print under a table or a list of cases: the rule behind it. */
export interface Note {
  readonly kind: "note";
  readonly text: string;
}

export interface Table {
  readonly kind: "table";
  readonly caption: string;
  readonly columns: readonly string[];
  /** Relative column widths (star sizing), one per column. */
  readonly widths: readonly number[];
  /** Which columns hold figures (right-aligned). */
  readonly numeric: readonly boolean[];
  readonly rows: readonly (readonly string[])[];
}

export interface Chart {
  readonly kind: "chart";
  readonly type: "bar" | "line";
  readonly caption: string;
  readonly categories: readonly string[];
  readonly series: { readonly name: string; readonly values: readonly (number | null)[] };
  /** Decimals for the value labels. */
  readonly decimals: number;
}

export type Block = Paragraph | Note | Table | Chart;

export type SectionKind = "indicators" | "ranking" | "cases" | "completeness";

export interface Section {
  /** Catalogue section key for indicator sections; the kind otherwise. */
  readonly key: string;
  readonly kind: SectionKind;
  /** Full heading with its numeral: "一、抓支部建设　凸显政治功能". */
  readonly heading: string;
  readonly blocks: readonly Block[];
}

export interface Colophon {
  /** 报/送/发 lines. */
  readonly entries: readonly { readonly label: string; readonly text: string }[];
  readonly editor: string;
  /** "2026年11月6日印发" */
  readonly printed: string;
  /** "共印120份" */
  readonly copies: string;
}

export interface BulletinModel {
  readonly masthead: Masthead;
  readonly headline: { readonly title: string; readonly subtitle: string };
  /** A 更正's statement of what it corrects, before the 编者按. */
  readonly correction?: Paragraph;
  readonly editorNote: Paragraph;
  readonly sections: readonly Section[];
  /** Closing couplet followed by the "下一步，……" paragraph. */
  readonly closing: Paragraph;
  readonly colophon: Colophon;
  /** Document metadata. */
  readonly meta: {
    readonly title: string;
    readonly issueDate: string;
    /** A 送审稿's watermark on every page. */
    readonly watermark?: string;
    /** An issued bulletin's archival record (PDF/A-2b with this XMP metadata). */
    readonly archive?: ArchiveMeta;
  };
}

/** What the issued PDF records about itself, for archives (XMP) and the viewer. */
export interface ArchiveMeta {
  /** BCP 47: the document language. */
  readonly language: string;
  /** "2026年第3期" */
  readonly issue: string;
  readonly issueNumber: number;
  /** The year the 期号 counts in (the bulletin month's year). */
  readonly volume: number;
  readonly period: string;
  readonly scope: { readonly code: string; readonly name: string };
  /** 编发单位 */
  readonly publisher: string;
  /** 签发人 */
  readonly signer: string;
  readonly signedAt: string;
  /** Beijing date of 签发, "2026-11-06". */
  readonly issueDate: string;
  /** The issue a 更正 corrects ("2026年第1期"). */
  readonly corrects?: string;
}
