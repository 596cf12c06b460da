/**
 * 提交说明 without retyping: from the bytes of a stored upload, the header and just the chosen
 * rows (by the row numbers the report gave them), each with its 说明 set, as a new CSV file that
 * goes through the pipeline like any upload. Every other cell is copied unchanged.
 */
import { formatCsv, parseCsvText } from "./csv.ts";
import { decodeBytes } from "./decode.ts";
import { resolveHeader, TEXT_FIELDS } from "./header.ts";

/** How many leading records may be titles above the header (as the ingest stage allows). */
const HEADER_SEARCH_RECORDS = 5;
const EXPLANATION = TEXT_FIELDS.find((f) => f.key === "explanation") as (typeof TEXT_FIELDS)[number];

export interface Explanation {
  readonly row: number;
  readonly explanation: string;
}

export type ResubmitResult =
  | { readonly ok: true; readonly csv: string; readonly rows: number }
  | { readonly ok: false; readonly message: string };

export function explainedRows(bytes: Uint8Array, explanations: readonly Explanation[]): ResubmitResult {
  let text: string;
  try {
    text = decodeBytes(bytes).text;
  } catch {
    return { ok: false, message: "原文件无法读取,请在原表中填写“说明”后重新上传。" };
  }
  const records = parseCsvText(text);
  let headerIndex = -1;
  let column = -1;
  for (let i = 0; i < Math.min(records.length, HEADER_SEARCH_RECORDS) && headerIndex < 0; i++) {
    const header = resolveHeader(records[i] as string[]);
    if (header.ok) {
      headerIndex = i;
      column = header.columns.text.explanation ?? -1;
    }
  }
  if (headerIndex < 0)
    return { ok: false, message: "原文件没有可识别的表头,请在原表中填写“说明”后重新上传。" };
  const header = [...(records[headerIndex] as string[])];
  if (column < 0) {
    column = header.length;
    header.push(EXPLANATION.name);
  }
  const out: string[][] = [header];
  for (const { row, explanation } of explanations) {
    // Report row numbers count records from 1, titles and header included.
    const record = row - 1 > headerIndex ? records[row - 1] : undefined;
    if (!record) return { ok: false, message: `原文件中没有第${row}行。` };
    const cells = [...record];
    while (cells.length <= column) cells.push("");
    cells[column] = explanation;
    out.push(cells);
  }
  return { ok: true, csv: formatCsv(out), rows: explanations.length };
}
