/**
 * The workbook corpus manifest (tests/fixtures/workbooks/manifest.json, written by
 * tests/fixtures/make-workbooks.ts), checked with zod on load.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { FILE_ERRORS, ROW_ERRORS, WARNINGS } from "../../lib/ingest/issues.ts";
import { ROW_RULES } from "../../lib/ingest/row-rules.ts";
import { FIXTURES } from "./corpus-manifest.ts";

export const WORKBOOKS = join(FIXTURES, "workbooks");

const code = z.enum([...FILE_ERRORS, ...ROW_ERRORS, ...WARNINGS, ...ROW_RULES.map((r) => r.code)]);
const outcome = z.enum(["accepted", "needs_explanation", "rejected"]);

const entry = z.strictObject({
  file: z.string(),
  title: z.string(),
  writer: z.enum(["sheetjs", "libreoffice", "hand"]),
  format: z.enum(["csv", "xlsx", "xls"]),
  twin: z.string().optional(),
  cli: z.union([z.literal(0), z.literal(1)]).optional(),
  options: z
    .strictObject({
      asOf: z.string().optional(),
      limits: z
        .strictObject({
          maxBytes: z.number(),
          maxRows: z.number(),
          maxUnpackedBytes: z.number().optional(),
          maxCells: z.number().optional(),
        })
        .optional(),
    })
    .optional(),
  expect: z
    .strictObject({
      status: z.enum(["accepted", "partial", "rejected"]),
      fileIssues: z.array(z.tuple([z.number(), code])),
      rows: z.array(
        z.strictObject({
          row: z.number(),
          unit: z.string(),
          period: z.string().nullable(),
          outcome,
          issues: z.array(code),
        }),
      ),
      values: z.record(z.string(), z.record(z.string(), z.number())).optional(),
      messages: z.array(z.tuple([z.number(), code, z.string()])).optional(),
    })
    .optional(),
});

export type WorkbookEntry = z.infer<typeof entry>;

const manifestSchema = z.strictObject({
  registry: z.string(),
  asOf: z.string(),
  noTwin: z.record(z.string(), z.string()),
  files: z.array(entry),
});

export function loadWorkbookManifest(): z.infer<typeof manifestSchema> {
  return manifestSchema.parse(JSON.parse(readFileSync(join(WORKBOOKS, "manifest.json"), "utf8")));
}
