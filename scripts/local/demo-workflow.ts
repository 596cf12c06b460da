/**
 * What `npm start` leaves in 逐级审核 for the latest month, so a newcomer sees every state in the
 * portal: the first 片区 not yet reviewed (已接收), one unit of the second 片区 returned for changes
 * (退回修改) and its other units approved, every other 片区 approved and confirmed (市级确认).
 */
import type { Month } from "../../lib/domain/periods.ts";
import type { Registry } from "../../lib/domain/registry.ts";
import type { Stores } from "../../lib/ports.ts";
import { confirmMonth, decide, scopeReview, type WorkflowDeps } from "../../lib/workflow/service.ts";

export interface DemoWorkflow {
  readonly unreviewed: string | undefined;
  readonly returned: string | undefined;
  readonly confirmed: readonly string[];
}

export async function demoWorkflow(
  stores: Pick<Stores, "returns" | "reviews">,
  registry: Registry,
  month: Month,
  now: Date,
): Promise<DemoWorkflow> {
  const deps: WorkflowDeps = { returns: stores.returns, reviews: stores.reviews, registry };
  const areas = [...new Set(registry.leavesUnder(registry.root.code).map((u) => u.parentCode))]
    .filter((p): p is string => p !== null)
    .sort();
  let returned: string | undefined;
  const confirmed: string[] = [];
  for (const [i, area] of areas.entries()) {
    if (i === 0) continue;
    const review = await scopeReview(deps, area, month);
    for (const u of review.units) {
      if (!u.version) continue;
      const back = i === 1 && returned === undefined;
      await decide(deps, {
        unit: u.unit.code,
        month,
        action: back ? "return" : "approve",
        version: u.version,
        by: "示例片区审核员",
        reason: back ? "志愿服务时长与志愿服务人次不一致,请核实后重新上传。" : undefined,
        at: now,
      });
      if (back) returned = u.unit.code;
    }
    if (i >= 2) {
      await confirmMonth(deps, area, month, "示例市级确认人", now);
      confirmed.push(area);
    }
  }
  return { unreviewed: areas[0], returned, confirmed };
}
