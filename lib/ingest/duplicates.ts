/**
 * Two rows of one file for the same unit and month. Identical copies (same figures, blanks and text):
 * the first is kept and the later ones are E_DUPLICATE_ROW. Copies that differ: nobody can say which
 * is right, so every copy is E_DUPLICATE_ROW, the first one too, after the fact.
 *
 * Memory is bounded by units × months, not rows: per month one array each of first row, outcome and
 * a 64-bit fingerprint of the content (two independent 32-bit hashes; a collision, about 1 in 2^64,
 * would only make two different copies count as identical, as every copy did before this rule).
 */
import { figuresToArray, INDICATOR_KEYS } from "../domain/catalogue.ts";
import type { Month } from "../domain/periods.ts";
import type { Registry } from "../domain/registry.ts";
import type { Outcome, ReturnRow } from "./returns.ts";

export interface Duplicate {
  /** The first copy's row. */
  readonly first: number;
  /** Same content as the first copy. */
  readonly same: boolean;
  /** This copy is the first to differ: the first copy must now be rejected too (it had `outcome`). */
  readonly revoke?: { readonly row: number; readonly outcome: Outcome };
}

const OUTCOMES: readonly Outcome[] = ["accepted", "needs_explanation", "rejected"];

const figures = new Float64Array(INDICATOR_KEYS.length);
const words = new Uint32Array(figures.buffer);

function mixText(h1: number, h2: number, text: string): [number, number] {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  }
  // A separator, so ("ab","c") and ("a","bc") differ.
  return [Math.imul(h1 ^ 0x1f, 0x01000193), Math.imul(h2 ^ 0x1f, 0x5bd1e995) ^ (h2 >>> 15)];
}

/** Two 32-bit hashes of what a copy says: figures, which were blank, and the text fields. */
export function fingerprint(row: ReturnRow): [number, number] {
  figuresToArray(row.values, figures, 1);
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as number;
    h1 = Math.imul(h1 ^ w, 0x01000193);
    h2 = Math.imul(h2 ^ w, 0x5bd1e995) ^ (h2 >>> 13);
  }
  for (const key of row.blanks) [h1, h2] = mixText(h1, h2, key);
  [h1, h2] = mixText(h1, h2, "|");
  const t = row.text;
  [h1, h2] = mixText(h1, h2, t.explanation);
  [h1, h2] = mixText(h1, h2, t.highlight);
  [h1, h2] = mixText(h1, h2, t.reporter);
  [h1, h2] = mixText(h1, h2, t.phone);
  return [h1 >>> 0, h2 >>> 0];
}

interface MonthSlots {
  readonly rows: Uint32Array;
  readonly h1: Uint32Array;
  readonly h2: Uint32Array;
  readonly outcome: Uint8Array;
  /** Leaves whose copies conflict (every copy rejected). */
  readonly conflicted: Set<number>;
}

/** Remembers the first copy of each (unit, month) in a file. */
export class SeenReturns {
  readonly #byMonth = new Map<Month, MonthSlots>();
  constructor(private readonly registry: Registry) {}

  #slots(period: Month): MonthSlots {
    let slots = this.#byMonth.get(period);
    if (!slots) {
      const n = this.registry.leafCount;
      slots = {
        rows: new Uint32Array(n),
        h1: new Uint32Array(n),
        h2: new Uint32Array(n),
        outcome: new Uint8Array(n),
        conflicted: new Set(),
      };
      this.#byMonth.set(period, slots);
    }
    return slots;
  }

  /** Checks `row` against earlier copies; undefined for the first copy (or a unit not in the registry). */
  check(row: ReturnRow, period: Month): Duplicate | undefined {
    const leaf = this.registry.leafIndex(row.unit);
    if (leaf < 0) return undefined;
    const slots = this.#slots(period);
    const [h1, h2] = fingerprint(row);
    const first = slots.rows[leaf] as number;
    if (first === 0) {
      slots.rows[leaf] = row.row;
      slots.h1[leaf] = h1;
      slots.h2[leaf] = h2;
      return undefined;
    }
    if (slots.conflicted.has(leaf)) return { first, same: false };
    if (slots.h1[leaf] === h1 && slots.h2[leaf] === h2) return { first, same: true };
    slots.conflicted.add(leaf);
    return {
      first,
      same: false,
      revoke: { row: first, outcome: OUTCOMES[slots.outcome[leaf] as number] as Outcome },
    };
  }

  /** Records the first copy's outcome once it is known (checks after check() decide it). */
  settle(row: ReturnRow, period: Month, outcome: Outcome): void {
    const leaf = this.registry.leafIndex(row.unit);
    if (leaf < 0) return;
    const slots = this.#slots(period);
    if (slots.rows[leaf] === row.row) slots.outcome[leaf] = OUTCOMES.indexOf(outcome);
  }
}
