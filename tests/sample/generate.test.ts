import { beforeAll, describe, expect, it } from "vitest";
import type { INDICATORS, Values } from "../../lib/domain/catalogue.ts";
import { isOnTime, type Month, monthNumber } from "../../lib/domain/periods.ts";
import type { Registry } from "../../lib/domain/registry.ts";
import { decodeBytes } from "../../lib/ingest/decode.ts";
import { applyHistory, hasFileError, type IngestResult, ingest } from "../../lib/ingest/ingest.ts";
import { parseRegistryFile } from "../../lib/ingest/registry-file.ts";
import type { CheckedRow } from "../../lib/ingest/returns.ts";
import type { PriorReturn } from "../../lib/ingest/row-rules.ts";
import { generateSample, type SampleDataSet, type SampleFile } from "../../lib/sample/index.ts";

const NOW = new Date("2026-11-27T10:00:00+08:00");
const OPTIONS = { units: 63, months: 12, seed: 1, endMonth: "2026-10", now: NOW } as const;

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

function registryOf(sample: SampleDataSet): Registry {
  const result = parseRegistryFile(new TextEncoder().encode(sample.unitsCsv));
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join("\n"));
  return result.registry;
}

interface Ingested {
  readonly file: SampleFile;
  readonly result: IngestResult;
  /** Rows after the history rules, as the pipeline sees them. */
  readonly rows: readonly CheckedRow[];
}

interface Final {
  readonly row: CheckedRow;
  readonly file: SampleFile;
}

/** Ingests every file in file-name order; accepted rows become the history of later ones. */
async function ingestAll(sample: SampleDataSet, registry: Registry): Promise<Ingested[]> {
  const stored = new Map<string, Map<Month, Values>>();
  const out: Ingested[] = [];
  for (const file of sample.files) {
    const result = await ingest(once(file.bytes), {
      registry,
      now: new Date(file.submittedAt),
      uploaderScope: file.scope,
      keepRows: "all",
    });
    const rows = applyHistory(result.rows, (unit): PriorReturn[] | undefined => {
      const months = stored.get(unit);
      return months ? [...months].map(([period, values]) => ({ period, values })) : undefined;
    });
    for (const row of rows) {
      if (row.outcome !== "accepted" || !row.period) continue;
      const months = stored.get(row.unit) ?? new Map<Month, Values>();
      months.set(row.period, row.values);
      stored.set(row.unit, months);
    }
    out.push({ file, result, rows });
  }
  return out;
}

/** The accepted version of each unit-month (the last accepted upload wins). */
function finals(ingested: readonly Ingested[]): Map<string, Final> {
  const out = new Map<string, Final>();
  for (const { file, rows } of ingested) {
    for (const row of rows)
      if (row.outcome === "accepted") out.set(`${row.unit}|${row.period}`, { row, file });
  }
  return out;
}

function rootTotal(rows: readonly Final[], month: number, key: (typeof INDICATORS)[number]["key"]): number {
  return rows
    .filter((f) => f.row.period && monthNumber(f.row.period) === month)
    .reduce((s, f) => s + f.row.values[key], 0);
}

describe("generateSample", () => {
  let sample: SampleDataSet;
  let registry: Registry;
  let ingested: Ingested[];
  let accepted: Final[];

  beforeAll(async () => {
    sample = generateSample(OPTIONS);
    registry = registryOf(sample);
    ingested = await ingestAll(sample, registry);
    accepted = [...finals(ingested).values()];
  }, 120_000);

  it("gives byte-identical output for the same options and different output for another seed", () => {
    const again = generateSample(OPTIONS);
    expect(again.unitsCsv).toBe(sample.unitsCsv);
    expect(again.summary).toEqual(sample.summary);
    expect(again.files.map((f) => [f.name, f.submittedAt, f.scope, f.period])).toEqual(
      sample.files.map((f) => [f.name, f.submittedAt, f.scope, f.period]),
    );
    again.files.forEach((f, i) => {
      expect(Buffer.from(f.bytes).equals(Buffer.from(sample.files[i]?.bytes ?? new Uint8Array()))).toBe(true);
    });
    const other = generateSample({ ...OPTIONS, seed: 2 });
    expect(other.files.map((f) => f.name)).not.toEqual(sample.files.map((f) => f.name));
  });

  it("builds a valid registry: one root, six 片区, 63 leaves, UTF-8 with BOM", () => {
    expect(sample.unitsCsv.startsWith("\ufeff单位代码,单位名称,上级单位代码\r\n")).toBe(true);
    expect(registry.root.code).toBe("001");
    const areas = registry.children("001");
    expect(areas.map((a) => a.code)).toEqual(["001001", "001002", "001003", "001004", "001005", "001006"]);
    expect(registry.leafCount).toBe(63);
    for (const area of areas) expect(registry.leavesUnder(area.code).length).toBeGreaterThanOrEqual(8);
    expect(registry.get("001002002")?.name).toBe("市公安局机关党委");
    expect(sample.summary).toMatchObject({ units: 63, areas: 6 });
  });

  it("scales to other registry sizes with unique names spread over the six 片区", () => {
    const big = generateSample({ ...OPTIONS, units: 500, months: 2 });
    const reg = registryOf(big);
    expect(reg.leafCount).toBe(500);
    const names = [...reg.units].map((u) => u.name);
    expect(new Set(names).size).toBe(names.length);
    for (const area of reg.children("001")) expect(reg.leavesUnder(area.code).length).toBeGreaterThan(50);
    expect(() => generateSample({ ...OPTIONS, units: 5 })).toThrow(RangeError);
  });

  it("passes every file through ingest without a file-level error", () => {
    expect(ingested).toHaveLength(sample.files.length);
    for (const { file, result } of ingested) {
      expect(hasFileError(result.fileIssues), file.name).toBe(false);
      expect(result.fileIssues, file.name).toEqual([]);
    }
    const rows = ingested.reduce((s, i) => s + i.rows.length, 0);
    expect(rows).toBe(sample.summary.rows);
  });

  it("flags only the designed rows: every 说明 explains a warning, every other row is clean", () => {
    const unexpected: string[] = [];
    for (const { file, rows } of ingested) {
      for (const row of rows) {
        const codes = row.issues.map((i) => i.code).join(",");
        if (row.text.explanation) {
          if (row.outcome !== "accepted" || row.issues.length === 0)
            unexpected.push(`${file.name}: ${codes}`);
        } else if (row.issues.length > 0) {
          const designed =
            (row.outcome === "needs_explanation" && row.issues.every((i) => i.severity === "warning")) ||
            (row.outcome === "rejected" && codes === "E_NEGATIVE");
          if (!designed) unexpected.push(`${file.name} ${row.unit}: ${row.outcome} ${codes}`);
        }
      }
    }
    expect(unexpected).toEqual([]);
    const warned = ingested
      .flatMap((i) => i.rows)
      .filter((r) => r.issues.some((x) => x.severity === "warning"));
    expect(warned.length).toBe(sample.summary.warningRows);
    expect(warned.length).toBeGreaterThanOrEqual(5);
    expect(warned.length).toBeLessThanOrEqual(10);
  });

  it("includes the designed warnings, each with a plausible 说明", () => {
    const explained = ingested.flatMap((i) => i.rows).filter((r) => r.text.explanation);
    const withCode = (code: string) => explained.filter((r) => r.issues.some((i) => i.code === code));
    const study = withCode("W_OUTLIER").find((r) => r.issues.some((i) => i.column === "集中学习研讨"));
    expect(study?.period).toBe("2026-07");
    expect(study?.text.explanation).toMatch(/七一前后集中开展.*专题研讨/);
    expect(withCode("W_SOLVED_GT_COLLECTED")[0]?.text.explanation).toMatch(/含上月结转问题/);
    expect(withCode("W_HOURS_PER_PERSON")[0]?.text.explanation).toMatch(/值守/);
    expect(withCode("W_STOCK_DROP")[0]?.text.explanation).toMatch(/机构改革/);
    const charity = withCode("W_OUTLIER").find((r) => r.issues.some((i) => i.column === "捐款金额"));
    expect(charity?.text.explanation).toMatch(/99公益日/);
  });

  it("holds one row for explanation and accepts its re-upload with 说明 a day later", () => {
    const held = ingested.filter((i) => i.rows.some((r) => r.outcome === "needs_explanation"));
    expect(held).toHaveLength(1);
    const first = held[0] as Ingested;
    const row = first.rows[0] as CheckedRow;
    expect(row.issues.map((i) => i.code)).toContain("W_OUTLIER");
    const later = ingested.filter(
      (i) =>
        i.file.name > first.file.name && i.rows.some((r) => r.unit === row.unit && r.period === row.period),
    );
    expect(later).toHaveLength(1);
    const fix = later[0] as Ingested;
    expect(fix.rows[0]?.outcome).toBe("accepted");
    expect(fix.rows[0]?.text.explanation).not.toBe("");
    expect(fix.rows[0]?.values).toEqual(row.values);
    const hours = (Date.parse(fix.file.submittedAt) - Date.parse(first.file.submittedAt)) / 3_600_000;
    expect(hours).toBeGreaterThan(20);
    expect(hours).toBeLessThan(28);
  });

  it("rejects one file for a negative figure and accepts its corrected re-upload", () => {
    const rejected = ingested.filter((i) => i.result.counts.rejected > 0);
    expect(rejected).toHaveLength(1);
    const bad = rejected[0] as Ingested;
    expect(bad.result.counts).toMatchObject({ rows: 1, rejected: 1 });
    expect(bad.rows[0]?.issues.map((i) => i.code)).toEqual(["E_NEGATIVE"]);
    const row = bad.rows[0] as CheckedRow;
    const fix = ingested.find(
      (i) =>
        i.file.name > bad.file.name && i.rows.some((r) => r.unit === row.unit && r.period === row.period),
    );
    expect(fix?.rows[0]?.outcome).toBe("accepted");
    expect(fix?.file.scope).toBe(bad.file.scope);
  });

  it("keeps stocks stable from month to month except where a 说明 explains a change", () => {
    const byUnit = new Map<string, CheckedRow[]>();
    for (const { row } of accepted) byUnit.set(row.unit, [...(byUnit.get(row.unit) ?? []), row]);
    let changes = 0;
    for (const rows of byUnit.values()) {
      rows.sort((a, b) => ((a.period ?? "") < (b.period ?? "") ? -1 : 1));
      for (let i = 1; i < rows.length; i++) {
        const [a, b] = [rows[i - 1] as CheckedRow, rows[i] as CheckedRow];
        if (b.text.explanation) continue;
        const dm = Math.abs(b.values.members_total - a.values.members_total);
        expect(dm).toBeLessThanOrEqual(Math.max(4, a.values.members_total * 0.05));
        expect(Math.abs(b.values.branches_total - a.values.branches_total)).toBeLessThanOrEqual(1);
        if (dm > 0) changes++;
      }
    }
    expect(changes).toBeGreaterThan(10);
    const police = accepted.find((f) => f.row.unit === "001002002")?.row.values.members_total ?? 0;
    expect(police).toBeGreaterThan(300);
  });

  it("has late units and units missing in the latest month, as the summary says", () => {
    const { months } = sample.summary;
    const latest = months[months.length - 1] as Month;
    const late = accepted.filter(
      (f) => f.row.period && !isOnTime(f.row.period, new Date(f.file.submittedAt)),
    );
    expect(late.length).toBe(sample.summary.lateReturns);
    expect(late.length).toBeGreaterThan(10);
    expect(late.length).toBeLessThan(accepted.length * 0.1);
    const lateUnits = new Map<string, number>();
    for (const f of late) lateUnits.set(f.row.unit, (lateUnits.get(f.row.unit) ?? 0) + 1);
    expect([...lateUnits.values()].filter((n) => n >= 6).length).toBeGreaterThanOrEqual(2);
    expect(63 * months.length - accepted.length).toBe(sample.summary.missingReturns);
    const reportedLatest = new Set(accepted.filter((f) => f.row.period === latest).map((f) => f.row.unit));
    expect(63 - reportedLatest.size).toBeGreaterThanOrEqual(2);
    expect(63 - reportedLatest.size).toBeLessThanOrEqual(3);
    expect(sample.summary.missingReturns).toBeGreaterThan(63 - reportedLatest.size);
  });

  it("saves some files as GB18030, always the same three units", () => {
    const gb = ingested.filter((i) => i.result.encoding === "gb18030");
    expect(gb.length).toBe(sample.summary.gb18030Files);
    const scopes = new Set(gb.map((i) => i.file.scope));
    expect(scopes.size).toBe(3);
    for (const i of ingested) if (scopes.has(i.file.scope)) expect(i.result.encoding).toBe("gb18030");
    expect(ingested.filter((i) => i.result.encoding === "utf-8-bom").length).toBeGreaterThan(
      ingested.length * 0.8,
    );
  });

  it("sends batch files for two 片区 and keeps the typing quirks", () => {
    const batches = sample.files.filter((f) => f.scope.length === 6);
    expect(new Set(batches.map((f) => f.scope))).toEqual(new Set(["001002", "001006"]));
    expect(batches.length).toBe(24);
    const texts = sample.files.map((f) => decodeBytes(f.bytes).text);
    expect(texts.some((t) => /[０-９]/.test(t))).toBe(true);
    expect(texts.some((t) => /"\d{1,3}(,\d{3})+(\.\d+)?"/.test(t))).toBe(true);
    expect(texts.some((t) => /,\d{4}年\d{1,2}月,/.test(t))).toBe(true);
    expect(texts.every((t) => t.startsWith(`单位代码,`))).toBe(true);
  });

  it("never dates an upload in the future and names files in arrival order", () => {
    const limit = NOW.getTime() - 60_000;
    for (const f of sample.files) {
      expect(Date.parse(f.submittedAt)).toBeLessThanOrEqual(limit);
      expect(f.name).not.toContain(":");
    }
    const names = sample.files.map((f) => f.name);
    expect([...names].sort()).toEqual(names);
    const times = sample.files.map((f) => Date.parse(f.submittedAt));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1] as number);
  });

  it("tells 亮点工作 stories for about a third of the returns, in the seed articles' manner", () => {
    const stories = accepted.map((f) => f.row.text.highlight).filter((t) => t !== "");
    expect(stories.length).toBe(sample.summary.highlights);
    const share = stories.length / accepted.length;
    expect(share).toBeGreaterThanOrEqual(0.25);
    expect(share).toBeLessThanOrEqual(0.35);
    for (const s of stories) {
      expect(s.length).toBeGreaterThanOrEqual(80);
      expect(s.length).toBeLessThanOrEqual(300);
    }
    expect(stories.some((s) => s.includes(",") && s.includes('"') && s.includes("\n"))).toBe(true);
    expect(stories.some((s) => /”.{2,6}说/.test(s))).toBe(true);
  });

  it("has seasonal flows and money to the fen at the root", () => {
    const monthly = (key: Parameters<typeof rootTotal>[2]) =>
      Array.from({ length: 12 }, (_, i) => rootTotal(accepted, i + 1, key));
    const tradition = monthly("tradition_edu");
    expect(tradition[6]).toBe(Math.max(...tradition));
    const donations = monthly("donations_yuan");
    expect(donations[8]).toBe(Math.max(...donations));
    const volunteers = monthly("volunteer_person_times");
    expect(volunteers[1]).toBe(Math.min(...volunteers));
    const year = donations.reduce((s, d) => s + d, 0);
    expect(year).toBeGreaterThan(300_000);
    expect(year).toBeLessThan(3_000_000);
    expect(Math.round(year * 100) % 100).not.toBe(0);
    const members = rootTotal(accepted, 10, "members_total");
    const reported = rootTotal(accepted, 10, "members_reported");
    expect(reported / members).toBeGreaterThan(0.85);
    expect(reported / members).toBeLessThan(0.98);
    const solved = rootTotal(accepted, 10, "problems_solved") / rootTotal(accepted, 10, "problems_collected");
    expect(solved).toBeGreaterThan(0.8);
    expect(solved).toBeLessThanOrEqual(1);
    const hours =
      rootTotal(accepted, 10, "volunteer_hours") / rootTotal(accepted, 10, "volunteer_person_times");
    expect(hours).toBeGreaterThan(2);
    expect(hours).toBeLessThan(4);
  });
});
