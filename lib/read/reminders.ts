/**
 * 催报 on the record, read back: each listed unit's reminders over some months, summed, with the
 * last one. One query per 片区 and month (reminders are kept under the 片区); the completeness
 * answer and the bulletin's 经催报后报送 both read them so.
 */
import type { Month } from "../domain/periods.ts";
import type { Unit } from "../domain/registry.ts";
import type { ReminderStore } from "../ports.ts";
import { mapLimit } from "../support/concurrency.ts";

export interface Reminded {
  readonly count: number;
  readonly lastAt: string;
}

export async function remindersOf(
  reminders: Pick<ReminderStore, "remindersUnder">,
  units: readonly Pick<Unit, "code" | "parentCode">[],
  months: readonly Month[],
  concurrency = 16,
): Promise<Map<string, Reminded>> {
  const wanted = new Set(units.map((u) => u.code));
  const parents = [...new Set(units.map((u) => u.parentCode).filter((p): p is string => p !== null))];
  const pairs = parents.flatMap((p) => months.map((m) => [p, m] as const));
  const found = await mapLimit(pairs, concurrency, ([p, m]) => reminders.remindersUnder(p, m));
  const out = new Map<string, Reminded>();
  for (const r of found.flat()) {
    if (!wanted.has(r.unit)) continue;
    const seen = out.get(r.unit);
    out.set(r.unit, {
      count: (seen?.count ?? 0) + r.count,
      lastAt: seen && seen.lastAt > r.lastAt ? seen.lastAt : r.lastAt,
    });
  }
  return out;
}
