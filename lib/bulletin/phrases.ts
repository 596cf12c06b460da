/**
 * The figure-packed parts of a sentence, built from the catalogue so a new indicator appears in the
 * bulletin with no other change: the 据统计 list ("开展集中学习研讨527次，开展革命传统教育216次、
 * 形势政策教育173次"), the 同比/环比 list grouped by direction ("A、B分别增长12.3%、8.0%，C下降3.1%")
 * and the derived rates. Zero figures are left out; every choice depends on the data only.
 */
import type { DERIVED, DerivedValues, Indicator, Values } from "../domain/catalogue.ts";
import {
  type Change,
  type Direction,
  formatChange,
  formatFigure,
  formatPercent,
  formatRatio,
  pointChange,
  relativeChange,
} from "./format.ts";
import { fill } from "./template.ts";
import type { BulletinWording } from "./wording.ts";

export function phraseOf(ind: Indicator, wording: BulletinWording): string {
  return wording.indicators[ind.key]?.phrase ?? ind.phrase;
}

export function labelOf(ind: Indicator, wording: BulletinWording): string {
  return wording.indicators[ind.key]?.label ?? ind.name;
}

/**
 * A phrase continues the previous 、-list when it begins with the indicator's own name (no verb of
 * its own) and the previous figure is of the same kind (stock vs flow); otherwise it opens a clause.
 */
function continuesList(ind: Indicator, previous: Indicator, wording: BulletinWording): boolean {
  const forced = wording.indicators[ind.key]?.clause;
  if (forced !== undefined) return !forced;
  return phraseOf(ind, wording).startsWith(ind.name) && previous.time === ind.time;
}

/** "开展集中学习研讨527次，…"; null when every figure is zero. */
export function figureList(
  indicators: readonly Indicator[],
  values: Values,
  wording: BulletinWording,
): string | null {
  const s = wording.sentences;
  let out = "";
  let previous: Indicator | undefined;
  for (const ind of indicators) {
    const value = values[ind.key];
    if (!(value > 0)) continue;
    if (previous) out += continuesList(ind, previous, wording) ? s.listSeparator : s.clauseSeparator;
    out += fill(phraseOf(ind, wording), { v: formatFigure(value, ind) });
    previous = ind;
  }
  return out || null;
}

function directionWord(direction: Direction, wording: BulletinWording): string {
  return wording.sentences[direction];
}

/**
 * "集中学习研讨、“三会一课”分别增长12.3%、8.0%，警示教育下降3.1%，专题宣讲持平". Indicators whose
 * earlier figure is 0, absent or below comparisonMinBase are left out; null when nothing is comparable.
 */
export function changeList(
  indicators: readonly Indicator[],
  current: Values,
  previous: Values | null,
  wording: BulletinWording,
): string | null {
  if (!previous) return null;
  const groups: Record<Direction, { label: string; change: Change }[]> = { up: [], down: [], flat: [] };
  for (const ind of indicators) {
    const before = previous[ind.key];
    const change =
      before >= wording.sentences.comparisonMinBase ? relativeChange(current[ind.key], before) : null;
    if (change) groups[change.direction].push({ label: labelOf(ind, wording), change });
  }
  const s = wording.sentences;
  const parts: string[] = [];
  for (const direction of ["up", "down", "flat"] as const) {
    const items = groups[direction];
    if (!items.length) continue;
    const labels = items.map((i) => i.label).join(s.listSeparator);
    const word = directionWord(direction, wording);
    const amounts = items.map((i) => formatChange(i.change)).join(s.listSeparator);
    if (direction === "flat") parts.push(`${labels}${word}`);
    else if (items.length === 1) parts.push(`${labels}${word}${amounts}`);
    else parts.push(`${labels}${s.respectively}${word}${amounts}`);
  }
  return parts.length ? parts.join(s.clauseSeparator) : null;
}

/** The change of a single total, for "同比{change}": "增长8.3%" or "持平". */
export function changeWords(change: Change, wording: BulletinWording): string {
  const word = directionWord(change.direction, wording);
  return change.direction === "flat" ? word : `${word}${formatChange(change)}`;
}

type DerivedDef = (typeof DERIVED)[number];

export function formatDerived(def: DerivedDef, value: number): string {
  return def.kind === "percent" ? formatPercent(value) : formatRatio(value, def.unit);
}

/**
 * "群众反映问题解决率达94.2%，较上月提高1.3个百分点". Rates come from PeriodFigures.derived, i.e. from
 * summed numerators and denominators; a rate whose denominator is 0 is null and left out.
 */
export function derivedList(
  defs: readonly DerivedDef[],
  current: DerivedValues,
  previous: DerivedValues | null,
  wording: BulletinWording,
): string | null {
  const s = wording.sentences;
  const parts: string[] = [];
  for (const def of defs) {
    const value = current[def.key];
    if (value === null) continue;
    const v = formatDerived(def, value);
    const pattern = wording.derived[def.key]?.phrase;
    let part = pattern ? fill(pattern, { v }) : fill(s.derivedFallback, { name: def.name, v });
    const points = def.kind === "percent" ? pointChange(value, previous?.[def.key]) : null;
    if (points) {
      const pointsText =
        points.direction === "up" ? s.pointsUp : points.direction === "down" ? s.pointsDown : s.pointsFlat;
      part += s.clauseSeparator + fill(pointsText, { v: points.amount.toFixed(1) });
    }
    parts.push(part);
  }
  return parts.length ? parts.join(s.rateSeparator) : null;
}
