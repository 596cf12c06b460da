/**
 * The monthly 简报 end to end: gather the figures a bulletin needs from rollups and returns,
 * compose (pure), render the PDF, store it under bulletins/, record it, notify — as a 送审稿 the
 * editors revise, then (签发) as the issued bulletin with its 期号, which leadership is told of.
 *
 * Order of effects, so that a retry at any point converges: objects are written before the record
 * that names them, the record before anyone is notified, and every record write is conditional on
 * the state that was read (lib/aws/bulletin-store.ts). The issued PDF is composed from the input the
 * signed revision was composed from, so it says what the 签发人 read, only with its 期号 and date.
 */

import { createHash } from "node:crypto";
import { zeroValues } from "../domain/catalogue.ts";
import {
  addMonths,
  beijingDate,
  deadlineOf,
  type Month,
  monthLabel,
  monthOf,
  monthsBetween,
  parseMonth,
  yearOf,
} from "../domain/periods.ts";
import type { Registry } from "../domain/registry.ts";
import { BulletinMissing, BulletinRequestError, BulletinStateError } from "../errors.ts";
import { bulletinInputKey, bulletinKey, issuedBulletinKey } from "../objects.ts";
import type {
  BulletinEdits,
  BulletinRecord,
  BulletinStore,
  Notifier,
  ObjectStore,
  ReminderStore,
  ReviewStore,
  Stores,
} from "../ports.ts";
import { confirmationOf } from "../read/confirmed.ts";
import { returnsOfUnits, unitsInOrder } from "../read/lists.ts";
import { figureSource, type ReadDeps, reportingStatus } from "../read/queries.ts";
import { remindersOf } from "../read/reminders.ts";
import { mapLimit } from "../support/concurrency.ts";
import { type PeriodFigures, unitFigures } from "../write/aggregate.ts";
import { printedCases } from "./cases.ts";
import { contextOf, typesetNames } from "./context.ts";
import type {
  BulletinInput,
  ChildFigures,
  Highlight,
  NamedUnit,
  RemindedUnit,
  ReviewState,
  UnitFigures,
} from "./input.ts";
import type { BulletinModel } from "./model.ts";
import {
  assertCorrectable,
  assertDraft,
  assertSignable,
  bulletinName,
  cleanName,
  type Edition,
  editionOf,
  issueLabel,
  LIMITS,
  statusOf,
} from "./signoff.ts";
import type { BulletinWording } from "./wording.ts";

/**
 * What the bulletin reads of the office's workflow: the 片区's locks (逐级审核, when APPROVAL_LEVELS
 * > 0) for "数据为初步统计", and the month's 催报 for the 迟报 units reported after a reminder.
 */
export interface WorkflowReads {
  readonly reviews?: Pick<ReviewStore, "locksOf"> | undefined;
  readonly reminders?: Pick<ReminderStore, "remindersUnder"> | undefined;
}

export interface BulletinDeps {
  readonly stores: Pick<Stores, "returns" | "rollups" | "bulletins"> &
    Partial<Pick<Stores, "reviews" | "reminders">>;
  /** 逐级审核 levels (APPROVAL_LEVELS); with 0 (or unset) the bulletin says nothing of confirmation. */
  readonly approvalLevels?: number;
  readonly objects: ObjectStore;
  readonly registry: Registry;
  readonly deadlineDay: number;
  readonly wording: BulletinWording;
  readonly compose: (input: BulletinInput, wording: BulletinWording, edition?: Edition) => BulletinModel;
  readonly render: (model: BulletinModel) => Promise<{ pdf: Buffer; pages: number }>;
  /** Told when an issued bulletin is out (SNS: the leadership topic). */
  readonly notifier?: Notifier | undefined;
  /** Told when a 送审稿 waits for review (SNS: the editors' topic, not the leadership's). */
  readonly editors?: Notifier | undefined;
  /** How long the link in the notification stays valid (7 days). */
  readonly linkSeconds?: number;
}

function orNull(f: PeriodFigures): PeriodFigures | null {
  return f.returns > 0 ? f : null;
}

/**
 * Everything composeBulletin needs for a scope's month, read through the ports: the scope's own
 * rollups of the last 12 months and of last year's January–month, each child 片区's rollups, and
 * the year's returns of the scope's own units only (ranking, 报送情况, 典型案例).
 */
export async function gatherBulletinInput(
  deps: ReadDeps,
  scopeCode: string,
  month: Month,
  issueNumber: number,
  issueDate: string,
  workflow: WorkflowReads = {},
): Promise<BulletinInput> {
  const { registry } = deps;
  const scope = registry.get(scopeCode);
  if (!scope) throw new Error(`unknown scope ${scopeCode}`);
  const jan = `${yearOf(month)}-01`;
  const lastYear = (m: Month): Month => addMonths(m, -12);
  const trendFrom = addMonths(month, -11);
  const childScopes = registry.children(scopeCode).filter((c) => !registry.isLeaf(c.code));
  const [figuresOf, childSources, yearReturns] = await Promise.all([
    figureSource(deps, scopeCode, [
      { from: trendFrom, to: month },
      { from: lastYear(jan), to: lastYear(month) },
    ]),
    mapLimit(childScopes, 4, (child) => figureSource(deps, child.code, [{ from: jan, to: month }])),
    returnsOfUnits(deps, unitsInOrder(registry, scopeCode), { from: jan, to: month }),
  ]);
  const trend = registry.isLeaf(scopeCode)
    ? []
    : monthsBetween(trendFrom, month).map((m) => {
        const f = figuresOf(m, m);
        return { month: m, values: f.values, reported: f.reportedUnits };
      });

  const children: ChildFigures[] = childScopes.map((child, i) => {
    const of = childSources[i] as (lo: Month, hi: Month) => PeriodFigures;
    return {
      code: child.code,
      name: child.name,
      expected: registry.leavesUnder(child.code).length,
      month: of(month, month),
      ytd: of(jan, month),
    };
  });
  const parentName = (code: string): string => registry.get(registry.get(code)?.parentCode ?? "")?.name ?? "";
  const units: UnitFigures[] = registry.leavesUnder(scopeCode).map((u) => {
    const own = yearReturns.get(u.code) ?? [];
    return {
      code: u.code,
      name: u.name,
      parentName: parentName(u.code),
      month: own.find((r) => r.period === month)?.values ?? null,
      ytd: unitFigures(own, jan, month),
    };
  });
  // In unit-code order, as the index gives them.
  const monthReturns = unitsInOrder(registry, scopeCode).flatMap((u) =>
    (yearReturns.get(u.code) ?? []).filter((r) => r.period === month),
  );
  const status = reportingStatus(registry, scopeCode, month, month, monthReturns, deps.deadlineDay);
  const late = status.late.map((u) => ({ code: u.code, name: u.name }));
  const [review, remindedLate] = await Promise.all([
    workflow.reviews ? reviewState(registry, workflow.reviews, scopeCode, month) : undefined,
    workflow.reminders ? remindedOf(registry, workflow.reminders, late, month) : undefined,
  ]);
  const highlights: Highlight[] = monthReturns
    .filter((r) => r.text.highlight.trim() !== "")
    .map((r) => ({
      code: r.unit,
      name: registry.get(r.unit)?.name ?? r.unit,
      parentName: parentName(r.unit),
      text: r.text.highlight,
      values: r.values,
    }));
  return {
    scope: { code: scope.code, name: scope.name },
    month,
    issueNumber,
    issueDate,
    figures: {
      month: figuresOf(month, month),
      previousMonth: orNull(figuresOf(addMonths(month, -1), addMonths(month, -1))),
      sameMonthLastYear: orNull(figuresOf(lastYear(month), lastYear(month))),
      ytd: figuresOf(jan, month),
      ytdLastYear: orNull(figuresOf(lastYear(jan), lastYear(month))),
    },
    trend: trend.length ? trend : [{ month, values: zeroValues(), reported: 0 }],
    children,
    units,
    completeness: {
      expected: status.expected,
      reported: status.reported,
      onTime: status.onTime,
      missing: status.missing.map((u) => ({ code: u.code, name: u.name })),
      late,
      ...(remindedLate ? { remindedLate } : {}),
      deadline: beijingDate(deadlineOf(month, deps.deadlineDay)),
    },
    highlights,
    ...(review ? { review } : {}),
  };
}

/** Which of the scope's 片区 are 市级确认 for the month (read/confirmed.ts), named for the bulletin. */
async function reviewState(
  registry: Registry,
  reviews: Pick<ReviewStore, "locksOf">,
  scope: string,
  month: Month,
): Promise<ReviewState> {
  const { confirmed, unconfirmed } = await confirmationOf({ registry }, reviews, scope, {
    from: month,
    to: month,
  });
  const pending = unconfirmed.map(({ scope: code }) => ({ code, name: registry.get(code)?.name ?? code }));
  return { areas: confirmed.length + pending.length, confirmed: confirmed.length, pending };
}

/**
 * The 迟报 units that had been reminded: a 催报 goes only to units without an accepted return, so a
 * late unit with reminders on record reported after one.
 */
async function remindedOf(
  registry: Registry,
  reminders: Pick<ReminderStore, "remindersUnder">,
  late: readonly NamedUnit[],
  month: Month,
): Promise<RemindedUnit[]> {
  if (!late.length) return [];
  const units = late.map((u) => ({ code: u.code, parentCode: registry.get(u.code)?.parentCode ?? null }));
  const counts = await remindersOf(reminders, units, [month], 8);
  return late.flatMap((u) => {
    const n = counts.get(u.code)?.count;
    return n ? [{ ...u, reminders: n }] : [];
  });
}

export interface PublishedBulletin {
  readonly record: BulletinRecord;
  /** The PDF rendered by this call (absent when nothing needed rendering). */
  readonly pdf?: Buffer | undefined;
  readonly link?: string | undefined;
  /** What this call did. */
  readonly action: "drafted" | "redrafted" | "issued" | "unchanged";
}

/** Renders racing for one draft: a lost conditional write is retried this often. */
const RENDER_ATTEMPTS = 3;

function scopeNameOf(registry: Registry, scope: string): string {
  return registry.get(scope)?.name ?? scope;
}

function readsOf(deps: BulletinDeps): ReadDeps {
  return {
    returns: deps.stores.returns,
    rollups: deps.stores.rollups,
    registry: deps.registry,
    deadlineDay: deps.deadlineDay,
  };
}

function workflowOf(deps: BulletinDeps): WorkflowReads {
  return {
    reviews: (deps.approvalLevels ?? 0) > 0 ? deps.stores.reviews : undefined,
    reminders: deps.stores.reminders,
  };
}

function digest(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex").slice(0, 12);
}

/** The download name: "清源市机关党建工作简报2026年第3期.pdf", "…2026年10月送审稿(第2版).pdf". */
export function bulletinFileName(record: BulletinRecord, scopeName: string): string {
  const title = `${scopeName}机关党建工作简报`;
  if (statusOf(record) === "issued") return `${title}${issueLabel(record.period, record.issueNumber)}.pdf`;
  const correction = editionOf(record) ? `更正` : "";
  return `${title}${monthLabel(record.period)}${correction}送审稿(第${record.revision}版).pdf`;
}

/** The input a revision was composed from, read back (it is this code's own JSON). */
async function storedInput(objects: ObjectStore, key: string): Promise<BulletinInput> {
  const parsed: unknown = JSON.parse(new TextDecoder().decode(await objects.getBytes(key)));
  const input = parsed as BulletinInput;
  if (!input || typeof input !== "object" || typeof input.month !== "string" || !input.scope?.code) {
    throw new Error(`stored bulletin input ${key} is not a bulletin input`);
  }
  return input;
}

/**
 * Renders a 送审稿 (the first, or again with its stored edits and the latest figures): a new
 * revision. Refused (409) once signed. The editors are told when `notifyEditors` is set.
 */
export async function renderDraft(
  deps: BulletinDeps,
  scope: string,
  month: Month,
  now: Date,
  options: { edition?: number; notifyEditors?: boolean } = {},
): Promise<PublishedBulletin> {
  const edition = options.edition ?? 0;
  const scopeName = scopeNameOf(deps.registry, scope);
  for (let attempt = 1; ; attempt++) {
    const current = await deps.stores.bulletins.getBulletin(scope, month, edition);
    if (current) assertDraft(current, scopeName, "重新生成");
    else if (edition > 0)
      throw new BulletinMissing(`${scopeName}${monthLabel(month)}简报没有第${edition}次更正。`);
    const input = await gatherBulletinInput(
      readsOf(deps),
      scope,
      month,
      0,
      beijingDate(now),
      workflowOf(deps),
    );
    const started = performance.now();
    const model = deps.compose(input, deps.wording, {
      kind: "draft",
      edits: current?.edits,
      correction: current?.correction,
    });
    const { pdf, pages } = await deps.render(model);
    const renderMs = Math.round(performance.now() - started);
    const cases = printedCases(contextOf(typesetNames(input), deps.wording), current?.edits?.cases);
    const revision = (current?.revision ?? 0) + 1;
    const json = JSON.stringify(input);
    const key = bulletinKey(scope, month, revision, edition, digest(pdf));
    const inputKey = bulletinInputKey(scope, month, revision, edition, digest(json));
    await deps.objects.put(inputKey, json, "application/json");
    await deps.objects.put(key, pdf, "application/pdf");
    const at = now.toISOString();
    const written = current
      ? await deps.stores.bulletins.saveDraftRender(current, {
          key,
          inputKey,
          pages,
          bytes: pdf.byteLength,
          renderMs,
          editVersion: current.editVersion ?? 0,
          printedCases: cases,
          at,
        })
      : await deps.stores.bulletins.createDraft({
          scope,
          period: month,
          issueNumber: 0,
          revision: 1,
          key,
          pages,
          bytes: pdf.byteLength,
          renderMs,
          createdAt: at,
          updatedAt: at,
          status: "draft",
          edition: 0,
          editVersion: 0,
          renderedEditVersion: 0,
          inputKey,
          printedCases: cases,
        });
    if (written.conflict) {
      // Signed meanwhile: refused. Edited or re-rendered meanwhile: render again with what is stored.
      if (written.current) assertDraft(written.current, scopeName, "重新生成");
      if (attempt < RENDER_ATTEMPTS) continue;
      throw new BulletinStateError(
        "E_BULLETIN_REVISION",
        `${scopeName}${monthLabel(month)}简报正被同时修改或生成,请稍后再试。`,
      );
    }
    const link = options.notifyEditors ? await notifyEditors(deps, written.record, scopeName) : undefined;
    return { record: written.record, pdf, link, action: current ? "redrafted" : "drafted" };
  }
}

async function notifyEditors(
  deps: BulletinDeps,
  record: BulletinRecord,
  scopeName: string,
): Promise<string | undefined> {
  if (!deps.editors) return undefined;
  const link = await deps.objects.presignGet(
    record.key,
    deps.linkSeconds ?? 7 * 24 * 3600,
    bulletinFileName(record, scopeName),
  );
  const what = bulletinName(record, scopeName);
  const scopeArg = `--scope ${record.scope} --period ${record.period}${editionOf(record) ? ` --edition ${editionOf(record)}` : ""}`;
  await deps.editors.notify(
    `${what}送审稿待审(第${record.revision}版)`,
    [
      `${what}送审稿(第${record.revision}版,共${record.pages}页)已生成,请审阅。`,
      `下载链接(7天内有效):\n${link}`,
      `修改编者按、典型案例或按语:npx dangjian bulletin edit ${scopeArg} …(或 POST /v1/bulletins/${record.period}/edit)`,
      `签发:npx dangjian bulletin sign ${scopeArg} --revision ${record.revision} --signer 签发人姓名(或 POST /v1/bulletins/${record.period}/sign)`,
      "签发前本稿没有期号;签发时编定期号,报头日期为签发日期。",
      "",
    ].join("\n"),
  );
  return link;
}

/** What an edit request may change; null resets a field to the generated text or choice. */
export interface EditRequest {
  readonly editorNote?: string | null;
  readonly cases?: readonly string[] | null;
  readonly comment?: string | null;
  readonly editedBy: string;
  /** Refuse the edit unless the draft is still at this edit version (optimistic concurrency). */
  readonly expectedEditVersion?: number;
}

/** The input the draft's current revision was composed from (its 亮点工作 are what editors choose from). */
export async function draftInput(
  objects: ObjectStore,
  record: BulletinRecord,
): Promise<BulletinInput | undefined> {
  return record.inputKey ? storedInput(objects, record.inputKey) : undefined;
}

/**
 * Stores an editor's changes with the draft (merged with earlier edits, conditional on the edit
 * version read, so two editors never overwrite each other unseen). The caller renders again.
 */
export async function editBulletin(
  bulletins: BulletinStore,
  registry: Registry,
  scope: string,
  month: Month,
  edition: number,
  request: EditRequest,
  now: Date,
  /** Unit codes an editor may choose (the month's 亮点工作); unchecked when undefined. */
  allowedCases?: ReadonlySet<string>,
): Promise<BulletinRecord> {
  const scopeName = scopeNameOf(registry, scope);
  const current = await bulletins.getBulletin(scope, month, edition);
  if (!current) throw new BulletinMissing(`${scopeName}${monthLabel(month)}简报尚未生成送审稿。`);
  assertDraft(current, scopeName, "修改");
  if (request.cases && allowedCases) {
    const unknown = request.cases.filter((c) => !allowedCases.has(c));
    if (unknown.length) {
      throw new BulletinStateError(
        "E_BULLETIN_CASES",
        `这些单位本月没有可选的亮点工作:${unknown.join("、")}(可选的典型案例见 GET /v1/bulletins/${month}/cases 或 dangjian bulletin cases)。`,
      );
    }
  }
  const previous = current.edits ?? {};
  const pick = <K extends "editorNote" | "comment">(key: K): string | undefined => {
    const v = request[key];
    return v === undefined ? previous[key] : v === null ? undefined : v;
  };
  const edits: BulletinEdits = {
    editorNote: pick("editorNote"),
    cases:
      request.cases === undefined
        ? previous.cases
        : request.cases === null
          ? undefined
          : [...new Set(request.cases)],
    comment: pick("comment"),
    editedBy: cleanName(request.editedBy).slice(0, LIMITS.editor),
    editedAt: now.toISOString(),
  };
  const written = await bulletins.saveEdits(
    scope,
    month,
    edition,
    edits,
    request.expectedEditVersion ?? current.editVersion ?? 0,
  );
  if (!written.conflict) return written.record;
  if (written.current) assertDraft(written.current, scopeName, "修改");
  throw new BulletinStateError(
    "E_BULLETIN_REVISION",
    `${scopeName}${monthLabel(month)}简报的送审稿刚被他人修改(现为第${written.current?.editVersion ?? 0}次修改),请刷新后再改。`,
  );
}

export interface SignRequest {
  readonly edition?: number;
  /** The draft revision the 签发人 read. */
  readonly revision: number;
  readonly signer: string;
  /** Key id or "cli:<user>". */
  readonly signedBy: string;
}

/**
 * 签发: the draft at the revision read becomes signed with the scope-year's next 期号 and the
 * 签发 date (Beijing) — one conditional transaction; a replay or a concurrent second 签发 is
 * refused (409) and uses no number. The caller then has the issued PDF made (issueBulletin).
 */
export async function signBulletin(
  bulletins: BulletinStore,
  registry: Registry,
  scope: string,
  month: Month,
  request: SignRequest,
  now: Date,
): Promise<BulletinRecord> {
  const edition = request.edition ?? 0;
  const scopeName = scopeNameOf(registry, scope);
  const signer = cleanName(request.signer);
  if (!signer || [...signer].length > LIMITS.signer) {
    throw new BulletinRequestError(`签发人姓名应为1至${LIMITS.signer}个字。`);
  }
  const current = await bulletins.getBulletin(scope, month, edition);
  if (!current) throw new BulletinMissing(`${scopeName}${monthLabel(month)}简报尚未生成送审稿。`);
  assertSignable(current, request.revision, scopeName);
  const written = await bulletins.signBulletin(scope, month, edition, {
    signer,
    signedBy: request.signedBy,
    signedAt: now.toISOString(),
    issueDate: beijingDate(now),
    revision: request.revision,
  });
  if (!written.conflict) return written.record;
  if (written.current) assertSignable(written.current, request.revision, scopeName);
  throw new BulletinStateError(
    "E_BULLETIN_REVISION",
    `${scopeName}${monthLabel(month)}简报签发未成功,请刷新后重试。`,
  );
}

/**
 * The issued bulletin of a signed draft: composed from the signed revision's input with the 期号
 * and 签发 date, archival (PDF/A-2b), stored, recorded as issued — and only then leadership is
 * told. Idempotent: issued already, it only makes sure leadership was told.
 */
export async function issueBulletin(
  deps: BulletinDeps,
  scope: string,
  month: Month,
  now: Date,
  edition = 0,
): Promise<PublishedBulletin> {
  const scopeName = scopeNameOf(deps.registry, scope);
  let record = await deps.stores.bulletins.getBulletin(scope, month, edition);
  if (!record) throw new BulletinMissing(`${scopeName}${monthLabel(month)}简报尚未生成送审稿。`);
  if (statusOf(record) === "draft") {
    throw new BulletinStateError("E_BULLETIN_NOT_ISSUED", `${bulletinName(record, scopeName)}尚未签发。`);
  }
  let pdf: Buffer | undefined;
  let action: PublishedBulletin["action"] = "unchanged";
  const signature = record.signature;
  if (statusOf(record) === "signed" && signature && record.inputKey) {
    const input = await storedInput(deps.objects, record.inputKey);
    const started = performance.now();
    const model = deps.compose(input, deps.wording, {
      kind: "issued",
      issueNumber: record.issueNumber,
      issueDate: signature.issueDate,
      signer: signature.signer,
      signedAt: signature.signedAt,
      edits: record.edits,
      correction: record.correction,
    });
    const rendered = await deps.render(model);
    pdf = rendered.pdf;
    const key = issuedBulletinKey(scope, month, yearOf(month), record.issueNumber);
    // One object per 期号; a retry composes the same input again and writes the same bytes.
    await deps.objects.put(key, pdf, "application/pdf");
    const written = await deps.stores.bulletins.markIssued(
      record,
      {
        key,
        pages: rendered.pages,
        bytes: pdf.byteLength,
        renderMs: Math.round(performance.now() - started),
      },
      now.toISOString(),
    );
    if (written.conflict) {
      if (!written.current || statusOf(written.current) !== "issued")
        throw new Error("issue lost its record");
      record = written.current;
    } else {
      record = written.record;
      action = "issued";
    }
  }
  let link: string | undefined;
  if (statusOf(record) === "issued" && !record.notifiedAt && deps.notifier) {
    link = await notifyLeadership(deps, record, scopeName);
    const noted = await deps.stores.bulletins.markNotified(record, now.toISOString());
    if (!noted.conflict) record = noted.record;
  }
  return { record, pdf, link, action };
}

async function notifyLeadership(
  deps: BulletinDeps,
  record: BulletinRecord,
  scopeName: string,
): Promise<string> {
  const fileName = bulletinFileName(record, scopeName);
  const link = await deps.objects.presignGet(record.key, deps.linkSeconds ?? 7 * 24 * 3600, fileName);
  const issue = issueLabel(record.period, record.issueNumber);
  const correction = record.correction
    ? `本期为${issueLabel(record.period, record.correction.issueNumber)}的更正。\n`
    : "";
  const signed = record.signature ? `(${record.signature.signer}签发)` : "";
  await (deps.notifier as Notifier).notify(
    `${scopeName}机关党建工作简报(${issue})已印发`,
    `${scopeName}${monthLabel(record.period)}机关党建工作简报${issue}已印发${signed},共${record.pages}页。\n` +
      `${correction}下载链接(7天内有效):\n${link}\n`,
  );
  return link;
}

/**
 * A 更正: a new draft edition of the month that states what it corrects (the latest edition, which
 * must be issued). It starts with the corrected edition's edits and is edited and signed like any
 * draft; it gets its own 期号 at 签发. The caller renders it.
 */
export async function correctBulletin(
  bulletins: BulletinStore,
  registry: Registry,
  scope: string,
  month: Month,
  request: { reason: string; by: string },
  now: Date,
): Promise<BulletinRecord> {
  const scopeName = scopeNameOf(registry, scope);
  const reason = request.reason.trim();
  if (!reason || [...reason].length > LIMITS.reason) {
    throw new BulletinRequestError(`更正说明应为1至${LIMITS.reason}个字。`);
  }
  const editions = await bulletins.listEditions(scope, month);
  const latest = editions.at(-1);
  if (!latest) throw new BulletinMissing(`${scopeName}${monthLabel(month)}简报尚未生成,没有可更正的内容。`);
  assertCorrectable(latest, scopeName);
  const at = now.toISOString();
  const written = await bulletins.createDraft({
    scope,
    period: month,
    issueNumber: 0,
    revision: 0,
    key: "",
    pages: 0,
    bytes: 0,
    renderMs: 0,
    createdAt: at,
    updatedAt: at,
    status: "draft",
    edition: editionOf(latest) + 1,
    edits: latest.edits ? { ...latest.edits, editedBy: cleanName(request.by), editedAt: at } : undefined,
    editVersion: 0,
    renderedEditVersion: 0,
    correction: {
      edition: editionOf(latest),
      issueNumber: latest.issueNumber,
      issueDate: latest.signature?.issueDate ?? beijingDate(new Date(latest.createdAt)),
      reason,
    },
  });
  if (!written.conflict) return written.record;
  throw new BulletinStateError(
    "E_BULLETIN_NOT_ISSUED",
    `${scopeName}${monthLabel(month)}简报已有一份更正送审稿(第${editionOf(latest) + 1}次更正),请修改并签发它。`,
  );
}

/**
 * What a bulletin run does for one scope and month, by the record's state: on the schedule, only
 * the first 送审稿 (a month already drafted or issued is left alone, so a repeated schedule event
 * changes nothing); on request, a draft is rendered again with its edits, a signed one gets its
 * issued PDF, an issued one is left as it is (it is immutable).
 */
export async function publishBulletin(
  deps: BulletinDeps,
  scope: string,
  month: Month,
  now: Date,
  options: { edition?: number; schedule?: boolean } = {},
): Promise<PublishedBulletin> {
  const edition = options.edition ?? 0;
  const record = await deps.stores.bulletins.getBulletin(scope, month, edition);
  if (!record) return renderDraft(deps, scope, month, now, { edition, notifyEditors: true });
  if (options.schedule) return { record, action: "unchanged" };
  switch (statusOf(record)) {
    case "draft":
      return renderDraft(deps, scope, month, now, { edition, notifyEditors: record.revision === 0 });
    case "signed":
    case "issued":
      return issueBulletin(deps, scope, month, now, edition);
  }
}

/** A scheduled event (has `time`) or a manual render request (scope, period, and which edition). */
export interface BulletinRequest {
  readonly time?: string;
  readonly scope?: string;
  readonly period?: string;
  /** A 更正's edition (default 0, the month's own bulletin). */
  readonly edition?: number;
}

/** The schedule names no scope or month: it drafts last month's bulletins. */
export function isScheduled(request: BulletinRequest): boolean {
  return request.scope === undefined && request.period === undefined;
}

export { BulletinRequestError } from "../errors.ts";

/**
 * Which bulletins a run renders: the requested scope and month, or — on the schedule — the month
 * before the event's and the root plus every configured scope.
 */
export function bulletinTargets(
  request: BulletinRequest,
  now: Date,
  registry: Registry,
  configuredScopes: readonly string[],
): { month: Month; scopes: string[] } {
  const month = request.period
    ? parseMonth(request.period)
    : addMonths(monthOf(request.time ? new Date(request.time) : now), -1);
  if (!month) throw new BulletinRequestError(`简报期间无效:“${request.period}”(应为 YYYY-MM)。`);
  const scopes = request.scope ? [request.scope] : [registry.root.code, ...configuredScopes];
  const unknown = scopes.filter((s) => !registry.has(s));
  if (unknown.length) throw new BulletinRequestError(`单位名册中没有这些简报范围:${unknown.join("、")}。`);
  return { month, scopes: [...new Set(scopes)] };
}
