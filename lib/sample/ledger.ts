/**
 * The sample's returns, unit by unit and month by month: figures that follow the unit's own
 * history, the designed rows of the scenarios, the 亮点工作 stories, and the gaps of missing months.
 */
import type { Values } from "../domain/catalogue.ts";
import { addMonths, type Month } from "../domain/periods.ts";
import type { IssueCode } from "../ingest/issues.ts";
import type { PriorReturn } from "../ingest/row-rules.ts";
import { generateFigures } from "./figures.ts";
import { rngFor } from "./random.ts";
import type { Roles, Scenario, ScenarioKind } from "./roles.ts";
import { applyScenario, leaveProblemsOpen } from "./scenarios.ts";
import { predictIssues, settle } from "./steady.ts";
import { QUOTED_STORY, writeStory } from "./stories.ts";
import type { SampleUnit } from "./units.ts";

/** One unit's return for one month, as finally accepted. */
export interface SampleReturn {
  readonly unit: SampleUnit;
  readonly period: Month;
  readonly values: Values;
  readonly explanation: string;
  readonly highlight: string;
  readonly scenario: ScenarioKind | undefined;
  /** First-upload cells of a rejected file (negative_typo). */
  readonly typo: Partial<Record<string, string>> | undefined;
  /** What the validator will say, given the unit's stored returns before this month. */
  readonly warnings: readonly IssueCode[];
}

const key = (unit: string, period: Month): string => `${unit}|${period}`;

export function buildLedger(
  units: readonly SampleUnit[],
  months: readonly Month[],
  roles: Roles,
  seed: number,
): SampleReturn[] {
  const designed = new Map<string, Scenario>(roles.scenarios.map((s) => [key(s.unit, s.period), s]));
  const openBefore = new Set(
    roles.scenarios.filter((s) => s.kind === "carried_over").map((s) => key(s.unit, addMonths(s.period, -1))),
  );
  const latest = months[months.length - 1];
  const out: SampleReturn[] = [];
  for (const unit of units) {
    let previous: Values | null = null;
    const history: PriorReturn[] = [];
    const missing = roles.missing.get(unit.code);
    for (const period of months) {
      const here = key(unit.code, period);
      const settled = settle(generateFigures({ seed, unit, period, previous, history }), history, period);
      let values = settled.values;
      const adjusted = openBefore.has(here);
      if (adjusted) values = leaveProblemsOpen(values, rngFor(seed, "open", unit.code, period));
      const scenario = designed.get(here);
      const design = scenario
        ? applyScenario(scenario.kind, { seed, unit, period, values, previous, history })
        : undefined;
      if (design) values = design.values;
      previous = values;
      if (missing?.has(period)) continue;
      const storyteller = roles.storyteller === unit.code && period === latest;
      out.push({
        unit,
        period,
        values,
        explanation: design?.explanation ?? "",
        highlight: writeStory(seed, unit, period, values, storyteller ? QUOTED_STORY : undefined),
        scenario: scenario?.kind,
        typo: design?.typo,
        warnings: (design || adjusted
          ? predictIssues(values, history, period, unit.code)
          : settled.issues
        ).map((i) => i.code),
      });
      history.push({ period, values });
    }
  }
  return out;
}
