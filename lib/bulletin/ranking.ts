/**
 * 比学赶超: 片区 and units ranked by activities per member (rule in activity.ts, printed under the
 * tables), a bar chart by 片区 and the scope's 12-month activity trend.
 */
import { monthNumber, yearOf } from "../domain/periods.ts";
import { activityTotal, compareCodes, type Ranked, rankByActivity } from "./activity.ts";
import type { ComposeContext } from "./context.ts";
import { formatPercent, percentOf } from "./format.ts";
import type { ChildFigures, UnitFigures } from "./input.ts";
import type { Block, Chart, Table } from "./model.ts";
import { labelOf } from "./phrases.ts";
import { fill } from "./template.ts";

/** Activities per member are around 0.1–0.5 a month, so they print per 100 members, one decimal. */
const SCALED_DECIMALS = 1;

function scaled(perMember: number, ctx: ComposeContext): string {
  return (perMember * ctx.wording.ranking.perMembers).toFixed(SCALED_DECIMALS);
}

/** Running numbers for 表n / 图n across the whole bulletin. */
export interface Numbering {
  table: number;
  figure: number;
}

function count(n: number): string {
  return String(n);
}

function childTable(ranked: readonly Ranked<ChildFigures>[], ctx: ComposeContext, n: number): Table {
  const r = ctx.wording.ranking;
  return {
    kind: "table",
    caption: fill(r.childCaption, { n }),
    columns: r.childColumns,
    widths: [0.8, 1.9, 0.8, 0.8, 1.2, 1, 1.3, 1.5],
    numeric: [false, false, true, true, true, true, true, true],
    rows: ranked.map(({ item, rank, total, members, perMember }) => {
      const rate = percentOf(item.month.reportedUnits, item.expected);
      return [
        count(rank),
        item.name,
        count(item.expected),
        count(item.month.reportedUnits),
        rate === null ? "—" : formatPercent(rate),
        count(members),
        count(total),
        scaled(perMember, ctx),
      ];
    }),
  };
}

function unitTable(ranked: readonly Ranked<UnitFigures>[], ctx: ComposeContext, n: number): Table {
  const r = ctx.wording.ranking;
  return {
    kind: "table",
    caption: fill(r.unitCaption, { n, top: ranked.length }),
    columns: r.unitColumns,
    widths: [0.8, 3.4, 1.6, 0.9, 1.2, 1.4],
    numeric: [false, false, false, true, true, true],
    rows: ranked.map(({ item, rank, total, members, perMember }) => [
      count(rank),
      item.name,
      item.parentName,
      count(members),
      count(total),
      scaled(perMember, ctx),
    ]),
  };
}

function childBars(ranked: readonly Ranked<ChildFigures>[], ctx: ComposeContext, n: number): Chart {
  // Bars keep the 片区' own order (by code) so the chart reads the same every month.
  const byCode = [...ranked].sort((a, b) => compareCodes(a.item.code, b.item.code));
  return {
    kind: "chart",
    type: "bar",
    caption: fill(ctx.wording.ranking.barCaption, { n }),
    categories: byCode.map((c) => c.item.name),
    series: {
      name: ctx.wording.ranking.barSeries,
      values: byCode.map((c) => Number(scaled(c.perMember, ctx))),
    },
    decimals: SCALED_DECIMALS,
  };
}

function trendLine(ctx: ComposeContext, n: number): Chart {
  const r = ctx.wording.ranking;
  return {
    kind: "chart",
    type: "line",
    caption: fill(r.trendCaption, { n }),
    categories: ctx.input.trend.map((t) =>
      fill(r.trendMonth, { n: monthNumber(t.month), year: yearOf(t.month) }),
    ),
    series: {
      name: r.trendSeries,
      // A month nobody reported is a gap, not a fall to zero.
      values: ctx.input.trend.map((t) => (t.reported > 0 ? activityTotal(t.values, ctx.activity) : null)),
    },
    decimals: 0,
  };
}

function names(ranked: readonly Ranked<{ name: string }>[], ctx: ComposeContext, top: number): string {
  return ranked
    .slice(0, top)
    .map((r) => r.item.name)
    .join(ctx.wording.sentences.listSeparator);
}

export function rankingSection(ctx: ComposeContext, numbering: Numbering): Block[] {
  const { input, wording } = ctx;
  const r = wording.ranking;
  const children = rankByActivity(input.children, (c) => c.month.values, ctx.activity);
  const units = rankByActivity(input.units, (u) => u.month, ctx.activity).slice(0, r.unitTop);

  const blocks: Block[] = [];
  let text = r.intro;
  if (children.length && units.length) {
    text += fill(r.summary, { topChildren: names(children, ctx, 3), topUnits: names(units, ctx, 3) });
  } else if (units.length) {
    text += fill(r.summaryUnits, { topUnits: names(units, ctx, 3) });
  }
  blocks.push({ kind: "paragraph", text });
  if (children.length) {
    blocks.push(childTable(children, ctx, ++numbering.table));
    blocks.push(childBars(children, ctx, ++numbering.figure));
  }
  if (units.length) blocks.push(unitTable(units, ctx, ++numbering.table));
  const indicatorNames = ctx.activity.map((i) => labelOf(i, wording)).join(wording.sentences.listSeparator);
  let rule = fill(r.rule, { indicators: indicatorNames, count: ctx.activity.length, scale: r.perMembers });
  if (wording.methodNotes) rule += r.ruleTies;
  blocks.push({ kind: "note", text: rule });
  if (input.trend.length) blocks.push(trendLine(ctx, ++numbering.figure));
  return blocks;
}

/** The unit's rank by per-member activity this month (for choosing 典型案例). */
export function unitRanks(ctx: ComposeContext): ReadonlyMap<string, Ranked<UnitFigures>> {
  const ranked = rankByActivity(ctx.input.units, (u) => u.month, ctx.activity);
  return new Map(ranked.map((r) => [r.item.code, r]));
}
