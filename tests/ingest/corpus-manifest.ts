/**
 * The corpus manifest (tests/fixtures/returns/manifest.json), checked with zod on load, and the
 * one way the corpus tests run a file: ingest (+ applyHistory when the manifest asks) + buildReport.
 */
import { createReadStream, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { INDICATOR_KEYS, type IndicatorKey, type Values } from "../../lib/domain/catalogue.ts";
import type { Registry } from "../../lib/domain/registry.ts";
import { applyHistory, countOutcomes, type IngestResult, ingest } from "../../lib/ingest/ingest.ts";
import { FILE_ERRORS, ROW_ERRORS, WARNINGS } from "../../lib/ingest/issues.ts";
import { parseRegistryFile } from "../../lib/ingest/registry-file.ts";
import { buildReport, type ValidationReport } from "../../lib/ingest/report.ts";
import type { CheckedRow } from "../../lib/ingest/returns.ts";
import type { PriorReturn } from "../../lib/ingest/row-rules.ts";
import { ROW_RULES } from "../../lib/ingest/row-rules.ts";
import { parseAsOf } from "../../scripts/commands/validate.ts";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures");
export const CORPUS = join(FIXTURES, "returns");
export const UNITS_CSV = join(FIXTURES, "units.csv");

const CODES = [...FILE_ERRORS, ...ROW_ERRORS, ...WARNINGS, ...ROW_RULES.map((r) => r.code)] as const;
const code = z.enum(CODES);
const outcome = z.enum(["accepted", "needs_explanation", "rejected"]);
const values = z.record(z.string(), z.number());

const entry = z.strictObject({
  file: z.string(),
  title: z.string(),
  covers: z.array(code),
  options: z
    .strictObject({
      asOf: z.string().optional(),
      uploaderScope: z.string().optional(),
      limits: z
        .strictObject({ maxBytes: z.number(), maxRows: z.number(), earlyStopRows: z.number().optional() })
        .optional(),
      firstMonth: z.string().optional(),
      uploadPeriod: z.string().optional(),
      history: z.record(z.string(), z.array(z.strictObject({ period: z.string(), values }))).optional(),
      historyMode: z.enum(["ingest", "applyHistory"]).optional(),
    })
    .optional(),
  cli: z.strictObject({ exit: z.union([z.literal(0), z.literal(1)]) }).optional(),
  chunkInvariant: z.literal(false).optional(),
  expect: z.strictObject({
    status: z.enum(["accepted", "partial", "rejected"]),
    encoding: z.enum(["utf-8", "utf-8-bom", "gb18030", "utf-16le", "ascii"]).nullable(),
    summary: z.strictObject({
      rows: z.number(),
      accepted: z.number(),
      needs_explanation: z.number(),
      rejected: z.number(),
    }),
    issues: z.array(z.tuple([z.number(), code])),
    rows: z.array(
      z.strictObject({ row: z.number(), unit: z.string(), period: z.string().nullable(), outcome }),
    ),
    values: z.record(z.string(), values).optional(),
    text: z.record(z.string(), z.record(z.string(), z.string())).optional(),
    messages: z.array(z.tuple([z.number(), code, z.string()])).optional(),
  }),
});

export type CorpusEntry = z.infer<typeof entry>;

const manifestSchema = z.strictObject({ registry: z.string(), asOf: z.string(), files: z.array(entry) });

export function loadManifest(): z.infer<typeof manifestSchema> {
  return manifestSchema.parse(JSON.parse(readFileSync(join(CORPUS, "manifest.json"), "utf8")));
}

export function loadRegistry(): Registry {
  const result = parseRegistryFile(readFileSync(UNITS_CSV));
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join("\n"));
  return result.registry;
}

function priorReturns(
  entry: CorpusEntry,
): ((unit: string) => readonly PriorReturn[] | undefined) | undefined {
  const history = entry.options?.history;
  if (!history) return undefined;
  return (unit) =>
    history[unit]?.map((h) => ({
      period: h.period,
      values: Object.fromEntries(INDICATOR_KEYS.map((k) => [k, h.values[k] ?? 0])) as Values,
    }));
}

export interface CorpusRun {
  readonly result: IngestResult;
  readonly rows: readonly CheckedRow[];
  readonly report: ValidationReport;
}

/**
 * Runs one corpus file. `source` defaults to a file stream (64 KiB chunks, as the CLI reads);
 * `historyMode` overrides the manifest's choice between the ingest option and applyHistory().
 */
export async function runEntry(
  entry: CorpusEntry,
  registry: Registry,
  asOf: string,
  source: AsyncIterable<Uint8Array> = createReadStream(join(CORPUS, entry.file)),
  historyMode = entry.options?.historyMode ?? "ingest",
): Promise<CorpusRun> {
  const history = priorReturns(entry);
  const result = await ingest(source, {
    registry,
    now: parseAsOf(entry.options?.asOf ?? asOf),
    uploaderScope: entry.options?.uploaderScope,
    limits: entry.options?.limits,
    firstMonth: entry.options?.firstMonth,
    uploadPeriod: entry.options?.uploadPeriod,
    history: historyMode === "ingest" ? history : undefined,
    // The corpus checks rejected rows' values and text too.
    keepRows: "all",
  });
  const rows = history && historyMode === "applyHistory" ? applyHistory(result.rows, history) : result.rows;
  const counts = rows === result.rows ? result.counts : countOutcomes(rows);
  return { result, rows, report: buildReport(result, rows, counts) };
}

/** Deterministic chunk sizes 1..maxChunk from a seed (a tiny LCG: reproducible failures). */
export async function* inChunks(
  bytes: Uint8Array,
  seed: number,
  maxChunk: number,
): AsyncGenerator<Uint8Array> {
  let state = seed >>> 0 || 1;
  for (let i = 0; i < bytes.length; ) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const size = 1 + (state % maxChunk);
    yield bytes.slice(i, i + size);
    i += size;
  }
}

export function pickValues(values: Values, keys: readonly string[]): Partial<Record<IndicatorKey, number>> {
  return Object.fromEntries(keys.map((k) => [k, values[k as IndicatorKey]]));
}

export const ALL_CODES: readonly string[] = CODES;
