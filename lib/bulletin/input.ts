/**
 * Everything the monthly 简报 is composed from, gathered by the bulletin function from the rollups
 * and returns. Composition is pure: the same input always gives the same bulletin.
 */

import type { Values } from "../domain/catalogue.ts";
import type { Month } from "../domain/periods.ts";
import type { PeriodFigures } from "../write/aggregate.ts";

export interface NamedUnit {
  readonly code: string;
  readonly name: string;
}

export interface ChildFigures extends NamedUnit {
  /** Reporting units (leaves) under this child. */
  readonly expected: number;
  readonly month: PeriodFigures;
  readonly ytd: PeriodFigures;
}

export interface UnitFigures extends NamedUnit {
  /** The 片区/系统 the unit belongs to (its parent), for "XX片区XX机关党支部". */
  readonly parentName: string;
  /** The unit's own return for the month (null when it did not report). */
  readonly month: Values | null;
  /** Year to date, from the unit's returns. */
  readonly ytd: PeriodFigures;
}

export interface Highlight extends NamedUnit {
  readonly parentName: string;
  /** The unit's 亮点工作 text, verbatim as submitted (may contain quotes, newlines, formula-like text). */
  readonly text: string;
  readonly values: Values;
}

export interface RemindedUnit extends NamedUnit {
  /** 催报次数 for the month. */
  readonly reminders: number;
}

/** 逐级审核 of the month in scope: which 片区 are 市级确认 (their months locked) and which not yet. */
export interface ReviewState {
  /** 片区 whose units the scope's figures are made of. */
  readonly areas: number;
  readonly confirmed: number;
  /** 片区 not yet confirmed for the month, in code order. */
  readonly pending: readonly NamedUnit[];
}

export interface Completeness {
  /** Reporting units in scope. */
  readonly expected: number;
  readonly reported: number;
  readonly onTime: number;
  /** 未报: expected units with no accepted return for the month. */
  readonly missing: readonly NamedUnit[];
  /** 迟报: reported after the deadline. */
  readonly late: readonly NamedUnit[];
  /**
   * 迟报 units that had been sent a 催报 before they reported, with how many (unit-code order).
   * Absent where reminders are not read (before 催报 existed, previews).
   */
  readonly remindedLate?: readonly RemindedUnit[];
  /** The deadline as a Beijing date, "2026-11-05". */
  readonly deadline: string;
}

export interface BulletinInput {
  readonly scope: NamedUnit;
  readonly month: Month;
  /** 期号 within the year for this scope (stored so a re-render keeps it). */
  readonly issueNumber: number;
  /** Issue date printed on the masthead, a Beijing date "2026-11-06". */
  readonly issueDate: string;
  readonly figures: {
    readonly month: PeriodFigures;
    readonly previousMonth: PeriodFigures | null;
    readonly sameMonthLastYear: PeriodFigures | null;
    /** January through the bulletin month. */
    readonly ytd: PeriodFigures;
    readonly ytdLastYear: PeriodFigures | null;
  };
  /** The scope's last 12 months (oldest first), for the trend chart. */
  readonly trend: readonly { readonly month: Month; readonly values: Values; readonly reported: number }[];
  /** Direct children (片区/系统) of the scope; empty for a 片区 scope whose children are units. */
  readonly children: readonly ChildFigures[];
  /** Every reporting unit in scope. */
  readonly units: readonly UnitFigures[];
  readonly completeness: Completeness;
  /** Candidate 亮点工作 stories from the month's accepted returns. */
  readonly highlights: readonly Highlight[];
  /**
   * The month's 逐级审核: absent when the deployment has none (APPROVAL_LEVELS=0), and the
   * bulletin then says nothing about confirmation, as before 逐级审核 existed.
   */
  readonly review?: ReviewState;
}
