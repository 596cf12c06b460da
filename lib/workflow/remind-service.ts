/**
 * The daily 催报 run: for each 片区 (a node whose children report), the units still without an
 * accepted return for last month get one reminder a day, sent to the 片区 (SNS) and recorded per
 * unit; a second run the same day sends nothing again.
 */
import type { Registry, Unit } from "../domain/registry.ts";
import type { Notifier, ReminderStore, ReturnReads } from "../ports.ts";
import { mapLimit } from "../support/concurrency.ts";
import { type MissingUnit, reminderDay, reminderMessage } from "./reminders.ts";

export interface RemindDeps {
  readonly registry: Registry;
  readonly returns: Pick<ReturnReads, "childReturns" | "lastContact">;
  readonly reminders: ReminderStore;
  readonly notifier?: Notifier | undefined;
  readonly deadlineDay: number;
  /** Reminders start on this day of the month (REMIND_FROM_DAY). */
  readonly fromDay: number;
  /** Where the reminder went (recorded with it): "sns", or "log" when no topic is configured. */
  readonly channel: string;
}

export interface RemindOutcome {
  readonly month: string;
  readonly day: string;
  readonly due: boolean;
  readonly sent: readonly { readonly scope: string; readonly units: readonly string[] }[];
  /** 片区 whose reminder for the day had been sent already. */
  readonly alreadySent: readonly string[];
}

/** The 片区: nodes with reporting units directly under them. */
function areasOf(registry: Registry): Unit[] {
  const out = new Map<string, Unit>();
  for (const leaf of registry.leavesUnder(registry.root.code)) {
    const parent = leaf.parentCode ? registry.get(leaf.parentCode) : undefined;
    if (parent) out.set(parent.code, parent);
  }
  return [...out.values()];
}

export async function sendReminders(deps: RemindDeps, now: Date): Promise<RemindOutcome> {
  const day = reminderDay(now, deps.deadlineDay, deps.fromDay);
  if (!day.due) return { month: day.month, day: day.day, due: false, sent: [], alreadySent: [] };
  const sent: { scope: string; units: string[] }[] = [];
  const alreadySent: string[] = [];
  for (const area of areasOf(deps.registry)) {
    const leaves = deps.registry.children(area.code).filter((u) => deps.registry.isLeaf(u.code));
    // One query for the 片区's month, then one item per missing unit for its last contact.
    const [returns, reminded] = await Promise.all([
      deps.returns.childReturns(area.code, day.month),
      deps.reminders.remindersUnder(area.code, day.month),
    ]);
    const reported = new Set(returns.map((r) => r.unit));
    const times = new Map(reminded.map((r) => [r.unit, r.count]));
    const missing: MissingUnit[] = await mapLimit(
      leaves.filter((u) => !reported.has(u.code)),
      8,
      async (unit) => {
        const last = await deps.returns.lastContact(unit.code, day.month);
        return {
          code: unit.code,
          name: unit.name,
          lastReporter: last?.reporter || undefined,
          lastPhone: last?.phone || undefined,
          contact: unit.contact,
          reminded: times.get(unit.code) ?? 0,
        };
      },
    );
    if (!missing.length) continue;
    const at = now.toISOString();
    if (!(await deps.reminders.claimDay(area.code, day.month, day.day, at))) {
      alreadySent.push(area.code);
      continue;
    }
    const message = reminderMessage(area, day, missing);
    try {
      await deps.notifier?.notify(message.subject, message.body);
    } catch (err) {
      await deps.reminders.releaseDay(area.code, day.month, day.day);
      throw err;
    }
    await mapLimit(missing, 8, (u) =>
      deps.reminders.recordReminder(area.code, u.code, day.month, day.day, at, deps.channel),
    );
    sent.push({ scope: area.code, units: missing.map((u) => u.code) });
  }
  return { month: day.month, day: day.day, due: true, sent, alreadySent };
}
