/**
 * An in-memory table driven only by the write plans (lib/write/plan.ts): return items by
 * unit|period, rollup counters by scope|month. Each write asserts the condition DynamoDB would
 * check (the revision read), so the pure tests of planning and rollup maths see what the real
 * transactions would do.
 */
import { expect } from "vitest";
import type { Values } from "../../lib/domain/catalogue.ts";
import type { Month } from "../../lib/domain/periods.ts";
import { readRollup } from "../../lib/write/aggregate.ts";
import {
  deltasOf,
  type IncomingReturn,
  mergeWrites,
  planIncoming,
  type StoredReturn,
} from "../../lib/write/plan.ts";

export class Ledger {
  readonly items = new Map<string, StoredReturn>();
  readonly rollups = new Map<string, Record<string, number>>();
  unitItems(unit: string): StoredReturn[] {
    return [...this.items.values()].filter((i) => i.unit === unit);
  }
  apply(writes: ReturnType<typeof planIncoming>["writes"]): void {
    for (const w of writes) {
      const id = `${w.after.unit}|${w.after.period}`;
      const current = this.items.get(id) ?? null;
      // The condition DynamoDB would check.
      expect(current?.rev ?? null).toBe(w.before?.rev ?? null);
      this.items.set(id, w.after);
    }
    for (const d of deltasOf(writes)) {
      const id = `${d.scope}|${d.month}`;
      const c = this.rollups.get(id) ?? {};
      for (const [k, v] of Object.entries(d.counters)) c[k] = Math.round(((c[k] ?? 0) + v) * 100) / 100;
      this.rollups.set(id, c);
    }
  }
  submit(ret: IncomingReturn): string {
    const plan = planIncoming(this.unitItems(ret.unit), ret, 5);
    this.apply(mergeWrites(plan.writes));
    return plan.outcome;
  }
  monthRollups(scope: string): ReturnType<typeof readRollup>[] {
    return [...this.rollups.entries()]
      .filter(([id]) => id.startsWith(`${scope}|`))
      .map(([id, c]) => readRollup(id.split("|")[1] as Month, c));
  }
}

/** An accepted return as the pipeline hands it to planning: no blanks, text or warnings. */
export function incomingReturn(
  unit: string,
  period: Month,
  values: Values,
  submittedAt: string,
  uploadId: string,
  scopes: readonly string[],
): IncomingReturn {
  return {
    unit,
    period,
    scopes,
    values,
    blanks: [],
    text: { explanation: "", highlight: "", reporter: "", phone: "" },
    warnings: [],
    uploadId,
    submittedAt,
  };
}
