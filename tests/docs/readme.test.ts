import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DERIVED, INDICATORS } from "../../lib/domain/catalogue.ts";
import { severityOf } from "../../lib/ingest/issues.ts";
import { ROW_RULES } from "../../lib/ingest/row-rules.ts";
import { THRESHOLDS } from "../../lib/ingest/thresholds.ts";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("README", () => {
  it("documents every indicator of the catalogue with its measure word", () => {
    for (const ind of INDICATORS) {
      expect(readme, ind.name).toMatch(new RegExp(`\\| ${ind.name} \\| ${ind.unit} \\|`));
    }
  });

  it("documents every derived rate", () => {
    for (const d of DERIVED) expect(readme).toContain(d.name);
  });

  it("documents the Excel path in both languages", () => {
    const [chinese, english] = readme.split("# Party-building returns and bulletins (English)");
    for (const words of [
      "Excel 工作簿",
      "审核意见表",
      "--format xlsx",
      "E_WORKBOOK",
      "E_MERGED_CELLS",
      "W_OTHER_SHEETS",
    ]) {
      expect(chinese, words).toContain(words);
    }
    for (const words of [
      "Excel returns",
      "reports/{uploadId}.xlsx",
      "--format xlsx",
      "E_WORKBOOK",
      "E_MERGED_CELLS",
      "W_OTHER_SHEETS",
    ]) {
      expect(english, words).toContain(words);
    }
  });

  it("lists every row rule with its severity, and every threshold with its value, in the rules table", () => {
    const rows = readme.split("\n").filter((line) => /^\| `[EW]_[A-Z_]+` \|/.test(line));
    const codes = rows.map((line) => line.slice(3, line.indexOf("`", 3)));
    expect(codes).toEqual(ROW_RULES.map((r) => r.code));
    for (const rule of ROW_RULES) {
      const row = rows[codes.indexOf(rule.code)] ?? "";
      expect(row, rule.code).toContain(severityOf(rule.code) === "error" ? "| 错误 |" : "| 提示 |");
    }
    const table = rows.join("\n");
    for (const [name, value] of Object.entries(THRESHOLDS)) {
      expect(table, name).toContain(`\`${name}\` = ${value}`);
    }
  });

  it("shows the two commands a fresh machine needs", () => {
    expect(readme).toContain("npm install && npm start");
    expect(readme).toContain("npm test");
  });
});
