/**
 * 审签 rules, pure: which edition of a bulletin is being composed (a 送审稿 or the issued one), what
 * a request may do in each state, and the Chinese refusals. The storage (lib/aws/bulletin-store.ts)
 * enforces the same rules with conditional writes; these checks only give the precise reason first.
 *
 *   (none) ──render──▶ draft ──render/edit──▶ draft ──签发──▶ signed ──final PDF stored──▶ issued
 *                                                                   (then leadership is told)
 *   issued ──更正──▶ a new draft edition of the same month, which is signed like any other.
 */
import { yearOf } from "../domain/periods.ts";
import { BulletinStateError } from "../errors.ts";
import type { BulletinCorrection, BulletinEdits, BulletinRecord, BulletinStatus } from "../ports.ts";
import { chineseDate } from "./format.ts";

/** What is composed: a 送审稿 (no 期号, no date) or the issued bulletin. */
export type Edition =
  | {
      readonly kind: "draft";
      readonly edits?: BulletinEdits | undefined;
      readonly correction?: BulletinCorrection | undefined;
    }
  | {
      readonly kind: "issued";
      readonly issueNumber: number;
      /** Beijing date of 签发, "2026-11-06". */
      readonly issueDate: string;
      readonly signer: string;
      readonly signedAt: string;
      readonly edits?: BulletinEdits | undefined;
      readonly correction?: BulletinCorrection | undefined;
    };

/** Bounds of what editors and signers type (the API's schemas and the CLI use the same). */
export const LIMITS = {
  signer: 20,
  editorNote: 1200,
  comment: 600,
  cases: 10,
  reason: 300,
  editor: 40,
} as const;

/** Records written before 审签 have no status: they were issued when rendered. */
export function statusOf(record: BulletinRecord): BulletinStatus {
  return record.status ?? "issued";
}

export function editionOf(record: BulletinRecord): number {
  return record.edition ?? 0;
}

/** "2026年第3期" (the volume is the year of the bulletin's month). */
export function issueLabel(period: string, issueNumber: number): string {
  return `${yearOf(period)}年第${issueNumber}期`;
}

/** "清源市2026年10月简报", "清源市2026年10月简报的第1次更正". */
export function bulletinName(record: BulletinRecord, scopeName: string): string {
  const month = `${yearOf(record.period)}年${Number(record.period.slice(5))}月`;
  const edition = editionOf(record);
  return `${scopeName}${month}简报${edition ? `的第${edition}次更正` : ""}`;
}

function signedText(record: BulletinRecord): string {
  const issue = issueLabel(record.period, record.issueNumber);
  const s = record.signature;
  if (!s) return `已印发为${issue}`;
  const done = statusOf(record) === "signed" ? "(正式稿正在生成)" : "";
  return `已于${chineseDate(s.issueDate)}由${s.signer}签发为${issue}${done}`;
}

/** The 409 for anything but reading a signed or issued bulletin. */
export function signedRefusal(record: BulletinRecord, scopeName: string, doing: string): BulletinStateError {
  return new BulletinStateError(
    "E_BULLETIN_SIGNED",
    `${bulletinName(record, scopeName)}${signedText(record)},签发后不能再${doing}。` +
      "如需更正,请另发一期更正(dangjian bulletin correct,或 POST /v1/bulletins/{期间}/correct)。",
  );
}

export function assertDraft(record: BulletinRecord, scopeName: string, doing: string): void {
  if (statusOf(record) !== "draft") throw signedRefusal(record, scopeName, doing);
}

/** Edits not yet in the draft PDF (the editors changed something after the last render). */
export function hasPendingEdits(record: BulletinRecord): boolean {
  return (record.editVersion ?? 0) !== (record.renderedEditVersion ?? 0);
}

/** 签发 signs what the signer saw: this exact revision, with every edit rendered into it. */
export function assertSignable(record: BulletinRecord, revision: number, scopeName: string): void {
  if (statusOf(record) !== "draft") throw signedRefusal(record, scopeName, "签发");
  const name = bulletinName(record, scopeName);
  if (record.revision === 0 || !record.inputKey) {
    throw new BulletinStateError("E_BULLETIN_NOT_RENDERED", `${name}的送审稿尚未生成,请生成并查看后再签发。`);
  }
  if (record.revision !== revision) {
    throw new BulletinStateError(
      "E_BULLETIN_REVISION",
      `${name}的送审稿已更新为第${record.revision}版(签发的是第${revision}版),请查看最新送审稿后再签发。`,
    );
  }
  if (hasPendingEdits(record)) {
    throw new BulletinStateError(
      "E_BULLETIN_PENDING_EDITS",
      `${name}有尚未生成到送审稿中的修改,请等新的送审稿生成并查看后再签发。`,
    );
  }
}

/** A 更正 corrects the latest edition of the month, which must be issued. */
export function assertCorrectable(latest: BulletinRecord, scopeName: string): void {
  const status = statusOf(latest);
  if (status === "issued") return;
  const name = bulletinName(latest, scopeName);
  throw new BulletinStateError(
    "E_BULLETIN_NOT_ISSUED",
    status === "draft"
      ? `${name}还是送审稿,尚未签发:直接修改送审稿即可,不需要更正。`
      : `${name}正在生成正式稿,印发后才能更正。`,
  );
}

/** Control characters out, spaces trimmed: a name as the masthead metadata and records keep it. */
export function cleanName(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, "")
    .replace(/\s+/g, " ")
    .trim();
}
