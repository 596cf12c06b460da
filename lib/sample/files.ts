/**
 * Uploads → the bytes Excel or WPS would have saved: the template header by 中文名, CRLF, UTF-8 with
 * BOM for most, GB18030 for the units on old WPS set-ups, and the small quirks of hand-typed figures.
 */
import iconv from "iconv-lite";
import { CATALOGUE, type IndicatorDef } from "../domain/catalogue.ts";
import { type Month, monthLabel } from "../domain/periods.ts";
import { formatCsv } from "../ingest/csv.ts";
import { TEXT_FIELDS, templateHeader } from "../ingest/header.ts";
import type { FileStyle, Upload, UploadRow } from "./uploads.ts";

export interface SampleFile {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** ISO instant. */
  readonly submittedAt: string;
  /** The uploader: the unit code, or the 片区 code for batch files. */
  readonly scope: string;
  readonly period: Month;
}

const FULL_WIDTH_OFFSET = 0xfee0;

function toFullWidth(text: string): string {
  return text.replace(/[0-9.,-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + FULL_WIDTH_OFFSET));
}

function grouped(value: number, decimals: number): string {
  const [whole, fraction] = value.toFixed(decimals).split(".");
  const withCommas = (whole as string).replace(/\B(?=(\d{3})+$)/g, ",");
  return fraction ? `${withCommas}.${fraction}` : withCommas;
}

function figureCell(value: number, def: IndicatorDef, style: FileStyle, typo: string | undefined): string {
  if (typo !== undefined) return typo;
  if (value === 0 && style.blankZeros && !def.required) return "";
  const text = style.thousands && value >= 1000 ? grouped(value, def.decimals) : String(value);
  return style.fullWidth ? toFullWidth(text) : text;
}

function recordOf(row: UploadRow, style: FileStyle): string[] {
  const { ret } = row;
  const text: Record<string, string> = {
    explanation: row.explanation,
    highlight: ret.highlight,
    reporter: ret.unit.reporter,
    phone: ret.unit.phone,
  };
  return [
    ret.unit.code,
    ...(style.unitNames ? [ret.unit.name] : []),
    style.chinesePeriod ? monthLabel(ret.period) : ret.period,
    ...CATALOGUE.map((def) => figureCell(ret.values[def.key], def, style, row.typo?.[def.key])),
    ...TEXT_FIELDS.map((f) => text[f.key] ?? ""),
  ];
}

export function renderText(upload: Upload): string {
  const header = templateHeader();
  if (upload.style.unitNames) header.splice(1, 0, "单位名称");
  const csv = formatCsv([header, ...upload.rows.map((r) => recordOf(r, upload.style))], { bom: false });
  // In-cell line breaks are bare LF (Alt+Enter in Excel), so only the record ends change.
  return upload.style.eol === "\n" ? csv.replaceAll("\r\n", "\n") : csv;
}

function encode(text: string, encoding: FileStyle["encoding"]): Uint8Array {
  if (encoding === "gb18030") return Uint8Array.from(iconv.encode(text, "gb18030"));
  return new TextEncoder().encode(encoding === "utf-8-bom" ? `\ufeff${text}` : text);
}

/** "2026-11-03T091512": Beijing wall time, sortable, no ':' (file systems and S3 keys). */
export function beijingStamp(instant: Date): string {
  const local = new Date(instant.getTime() + 8 * 3600 * 1000).toISOString();
  return `${local.slice(0, 10)}T${local.slice(11, 13)}${local.slice(14, 16)}${local.slice(17, 19)}`;
}

/** Renders every upload; file names sort in arrival order. */
export function renderFiles(uploads: readonly Upload[]): SampleFile[] {
  const sorted = [...uploads].sort(
    (a, b) =>
      a.submittedAt.getTime() - b.submittedAt.getTime() ||
      (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0),
  );
  const used = new Set<string>();
  return sorted.map((upload) => {
    const stem = `${beijingStamp(upload.submittedAt)}_${upload.scope}`;
    let name = `${stem}.csv`;
    for (let n = 2; used.has(name); n++) name = `${stem}_${n}.csv`;
    used.add(name);
    return {
      name,
      bytes: encode(renderText(upload), upload.style.encoding),
      submittedAt: upload.submittedAt.toISOString(),
      scope: upload.scope,
      period: upload.period,
    };
  });
}
