/**
 * 催报 as data: which month is chased on a given day, who is still missing, and the message a
 * 片区 receives. From REMIND_FROM_DAY of the month until the deadline (the 5th), and every day
 * after it, each 片区 gets one reminder listing its units without an accepted return.
 */
import { addMonths, beijingDate, deadlineOf, type Month, monthLabel, monthOf } from "../domain/periods.ts";
import type { Contact } from "../domain/registry.ts";

export interface ReminderDay {
  /** The month whose returns are chased (the one before today's, Beijing time). */
  readonly month: Month;
  /** Beijing date, "2026-11-03": one reminder per 片区 and day. */
  readonly day: string;
  readonly due: boolean;
  /** Whole days past the deadline (0 until it has passed). */
  readonly daysLate: number;
  readonly deadline: string;
}

const DAY_MS = 24 * 3600 * 1000;

/** Whether today is a reminder day, and for which month. */
export function reminderDay(now: Date, deadlineDay: number, fromDay: number): ReminderDay {
  const month = addMonths(monthOf(now), -1);
  const day = beijingDate(now);
  const deadline = deadlineOf(month, deadlineDay);
  const daysLate = Math.max(0, Math.ceil((now.getTime() - deadline.getTime()) / DAY_MS));
  return { month, day, due: Number(day.slice(8, 10)) >= fromDay, daysLate, deadline: beijingDate(deadline) };
}

/** Whole Beijing days a unit is late for a month at `now` (0 before the deadline). */
export function daysLate(month: Month, now: Date, deadlineDay: number): number {
  const deadline = deadlineOf(month, deadlineDay);
  return Math.max(0, Math.ceil((now.getTime() - deadline.getTime()) / DAY_MS));
}

export interface MissingUnit {
  readonly code: string;
  readonly name: string;
  /** Who filed the unit's last return, and their phone (from that return). */
  readonly lastReporter?: string | undefined;
  readonly lastPhone?: string | undefined;
  /** The registry's 联系人/手机/邮箱, when units.csv has them. */
  readonly contact?: Contact | undefined;
  /** Reminders already sent for this month. */
  readonly reminded: number;
}

/** The reminder one 片区 receives: subject (≤ 100 characters for SNS e-mail) and body. */
export function reminderMessage(
  scope: { readonly code: string; readonly name: string },
  day: ReminderDay,
  units: readonly MissingUnit[],
): { subject: string; body: string } {
  const when =
    day.daysLate > 0 ? `报送截止日(${day.deadline})已过${day.daysLate}天` : `报送截止日为${day.deadline}`;
  const lines = units.map((u, i) => {
    const who = [u.contact?.name ?? u.lastReporter, u.contact?.mobile ?? u.lastPhone]
      .filter(Boolean)
      .join(" ");
    const times = u.reminded > 0 ? `,已催报${u.reminded}次` : "";
    return `${i + 1}. ${u.name}(${u.code})${who ? `,联系人:${who}` : ""}${times}`;
  });
  return {
    subject: `催报:${scope.name}${monthLabel(day.month)}月报尚有${units.length}个单位未报送`,
    body: [
      `${scope.name}:`,
      `${monthLabel(day.month)}党建工作月报,${when}。以下${units.length}个单位尚未报送(或报送未通过审核),请督促尽快报送:`,
      "",
      ...lines,
      "",
      "(本通知由党建数据直报系统每日自动发送,报送后即不再提醒。)",
    ].join("\n"),
  };
}
