/**
 * 提交说明 without retyping: the header and just the chosen rows of an upload (by the row numbers
 * the report gave them), each with its 说明 set, as a new CSV file that goes through the pipeline
 * like any upload. Every other cell is copied unchanged.
 *
 * The rows come from what ingest read: when the pipeline checks a file it keeps the header and the
 * rows that wait for a 说明, as records (`WaitingRows`, stored beside the report), whatever the
 * file's format, so a workbook needs no spreadsheet library here. Uploads checked before that was
 * kept are read again from their CSV bytes.
 */
import { z } from "zod";
import { formatCsv, parseCsvText } from "./csv.ts";
import { decodeBytes } from "./decode.ts";
import { HEADER_SEARCH_RECORDS, resolveHeader, TEXT_FIELDS } from "./header.ts";

const EXPLANATION = TEXT_FIELDS.find((f) => f.key === "explanation") as (typeof TEXT_FIELDS)[number];

export interface Explanation {
  readonly row: number;
  readonly explanation: string;
}

/** An upload's header record and the records of its rows that wait for a 说明, by report row number. */
export interface WaitingRows {
  readonly header: readonly string[];
  readonly rows: readonly { readonly row: number; readonly cells: readonly string[] }[];
}

export const waitingRowsSchema = z.object({
  header: z.array(z.string()),
  rows: z.array(z.object({ row: z.number().int(), cells: z.array(z.string()) })),
});

export type ResubmitResult =
  | { readonly ok: true; readonly csv: string; readonly rows: number }
  | { readonly ok: false; readonly message: string };

type Located =
  | { readonly ok: true; readonly rows: WaitingRows }
  | { readonly ok: false; readonly message: string };

/** The header and every record after it, from the bytes of a CSV upload. */
export function waitingRowsOfCsv(bytes: Uint8Array): Located {
  let text: string;
  try {
    text = decodeBytes(bytes).text;
  } catch {
    return { ok: false, message: "原文件无法读取,请在原表中填写“说明”后重新上传。" };
  }
  const records = parseCsvText(text);
  for (let i = 0; i < Math.min(records.length, HEADER_SEARCH_RECORDS); i++) {
    if (resolveHeader(records[i] as string[]).ok) {
      // Report row numbers count records from 1, titles and header included.
      const rows = records.slice(i + 1).map((cells, k) => ({ row: i + k + 2, cells }));
      return { ok: true, rows: { header: records[i] as string[], rows } };
    }
  }
  return { ok: false, message: "原文件没有可识别的表头,请在原表中填写“说明”后重新上传。" };
}

export function explainedRows(source: WaitingRows, explanations: readonly Explanation[]): ResubmitResult {
  const header = [...source.header];
  const resolved = resolveHeader(header);
  if (!resolved.ok) return { ok: false, message: "原文件没有可识别的表头,请在原表中填写“说明”后重新上传。" };
  let column = resolved.columns.text.explanation ?? -1;
  if (column < 0) {
    column = header.length;
    header.push(EXPLANATION.name);
  }
  const byRow = new Map(source.rows.map((r) => [r.row, r.cells]));
  const out: string[][] = [header];
  for (const { row, explanation } of explanations) {
    const record = byRow.get(row);
    if (!record) return { ok: false, message: `原文件中没有第${row}行。` };
    const cells = [...record];
    while (cells.length <= column) cells.push("");
    cells[column] = explanation;
    out.push(cells);
  }
  return { ok: true, csv: formatCsv(out), rows: explanations.length };
}
