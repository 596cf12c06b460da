/**
 * The monthly 简报 end to end: gather the figures a bulletin needs from rollups and returns,
 * compose (pure), render the PDF, store it under bulletins/, record it with its 期号, notify.
 */

import { zeroValues } from "../domain/catalogue.ts";
import {
  addMonths,
  beijingDate,
  deadlineOf,
  type Month,
  monthOf,
  monthsBetween,
  parseMonth,
  yearOf,
} from "../domain/periods.ts";
import type { Registry } from "../domain/registry.ts";
import { DangjianError } from "../errors.ts";
import { bulletinKey } from "../objects.ts";
import type { BulletinRecord, Notifier, ObjectStore, Stores } from "../ports.ts";
import { returnsOfUnits, unitsInOrder } from "../read/lists.ts";
import { figureSource, type ReadDeps, reportingStatus } from "../read/queries.ts";
import { mapLimit } from "../support/concurrency.ts";
import { type PeriodFigures, unitFigures } from "../write/aggregate.ts";
import type { BulletinInput, ChildFigures, Highlight, UnitFigures } from "./input.ts";
import type { BulletinModel } from "./model.ts";
import type { BulletinWording } from "./wording.ts";

export interface BulletinDeps {
  readonly stores: Pick<Stores, "returns" | "rollups" | "bulletins">;
  readonly objects: ObjectStore;
  readonly registry: Registry;
  readonly deadlineDay: number;
  readonly wording: BulletinWording;
  readonly compose: (input: BulletinInput, wording: BulletinWording) => BulletinModel;
  readonly render: (model: BulletinModel) => Promise<{ pdf: Buffer; pages: number }>;
  readonly notifier?: Notifier | undefined;
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
      late: status.late.map((u) => ({ code: u.code, name: u.name })),
      deadline: beijingDate(deadlineOf(month, deps.deadlineDay)),
    },
    highlights,
  };
}

export interface PublishedBulletin {
  readonly record: BulletinRecord;
  readonly pdf: Buffer;
  readonly link?: string | undefined;
}

/** Renders (or re-renders) a scope's bulletin for a month; a re-render keeps its 期号. */
export async function publishBulletin(
  deps: BulletinDeps,
  scopeCode: string,
  month: Month,
  now: Date,
): Promise<PublishedBulletin> {
  const previous = await deps.stores.bulletins.getBulletin(scopeCode, month);
  const issueNumber = previous?.issueNumber ?? (await deps.stores.bulletins.issueNumberFor(scopeCode, month));
  const reads: ReadDeps = {
    returns: deps.stores.returns,
    rollups: deps.stores.rollups,
    registry: deps.registry,
    deadlineDay: deps.deadlineDay,
  };
  const input = await gatherBulletinInput(reads, scopeCode, month, issueNumber, beijingDate(now));
  const started = performance.now();
  const model = deps.compose(input, deps.wording);
  const { pdf, pages } = await deps.render(model);
  const renderMs = Math.round(performance.now() - started);
  const revision = (previous?.revision ?? 0) + 1;
  const key = bulletinKey(scopeCode, month, revision);
  await deps.objects.put(key, pdf, "application/pdf");
  const record: BulletinRecord = {
    scope: scopeCode,
    period: month,
    issueNumber,
    revision,
    key,
    pages,
    bytes: pdf.byteLength,
    renderMs,
    createdAt: previous?.createdAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await deps.stores.bulletins.putBulletin(record);
  let link: string | undefined;
  if (deps.notifier) {
    const scopeName = deps.registry.get(scopeCode)?.name ?? scopeCode;
    const fileName = `${scopeName}机关党建工作简报${yearOf(month)}年第${issueNumber}期.pdf`;
    link = await deps.objects.presignGet(key, deps.linkSeconds ?? 7 * 24 * 3600, fileName);
    await deps.notifier.notify(
      `${scopeName}机关党建工作简报(${yearOf(month)}年第${issueNumber}期)已生成`,
      `${scopeName}${Number(month.slice(5))}月份机关党建工作简报已生成(共${pages}页)。\n下载链接(7天内有效):\n${link}\n`,
    );
  }
  return { record, pdf, link };
}

/** A scheduled event (has `time`) or a manual render request (scope, period). */
export interface BulletinRequest {
  readonly time?: string;
  readonly scope?: string;
  readonly period?: string;
}

/** Unknown scope or a period that is not a month in a render request. */
export class BulletinRequestError extends DangjianError {
  constructor(message: string) {
    super("E_BULLETIN_REQUEST", message);
  }
}

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
