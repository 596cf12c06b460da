/** Answers several pages need from the API, fetched the same way everywhere. */
import type { z } from "zod";
import type { unitSchema } from "../../api/schemas.ts";
import { addMonths, type Month } from "../../domain/periods.ts";
import type { PageContext } from "../context.ts";

export type UnitEntry = z.output<typeof unitSchema>;

export async function subtreeUnits(ctx: PageContext): Promise<UnitEntry[]> {
  return (await ctx.api<{ units: UnitEntry[] }>("GET", "/v1/units")).units;
}

export async function unitNames(ctx: PageContext): Promise<Map<string, string>> {
  return new Map((await subtreeUnits(ctx)).map((u) => [u.code, u.name]));
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A month from a query parameter, or the fallback when it is absent or malformed. */
export function monthParam(value: string | undefined, fallback: Month): Month {
  return value && MONTH.test(value) ? value : fallback;
}

/** The latest `count` months ending with `last`, newest first (pickers). */
export function recentMonths(last: Month, count: number): Month[] {
  return Array.from({ length: count }, (_, i) => addMonths(last, -i));
}
