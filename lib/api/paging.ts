/** Paging parameters of the list routes: a bounded `limit` and the opaque `cursor` of the previous page. */
import { z } from "zod";
import { type Cursor, decodeCursor, encodeCursor } from "../read/lists.ts";
import { BadRequest } from "./errors.ts";

export const pageLimit = (fallback: number, max: number) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(max)
    .default(fallback)
    .meta({ description: `每页最多条数(1–${max},默认 ${fallback})` });

export const cursorParam = z
  .string()
  .trim()
  .min(1)
  .max(512)
  .optional()
  .meta({ description: "翻页:上一页返回的 next_cursor;不填为第一页" });

export function readCursor(text: string | undefined): Cursor | undefined {
  if (text === undefined) return undefined;
  const cursor = decodeCursor(text);
  if (!cursor) {
    throw new BadRequest("cursor 无效:请使用上一页返回的 next_cursor。", [
      { field: "cursor", message: "无法识别" },
    ]);
  }
  return cursor;
}

export function writeCursor(cursor: Cursor | null): string | null {
  return cursor ? encodeCursor(cursor) : null;
}

/** The next page's cursor as a response header (CSV pages have no body field for it). */
export function cursorHeader(cursor: string | null): Record<string, string> {
  return cursor ? { "x-next-cursor": cursor } : {};
}
