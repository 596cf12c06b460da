import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DERIVED, INDICATORS } from "../../lib/domain/catalogue.ts";

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

  it("shows the two commands a fresh machine needs", () => {
    expect(readme).toContain("npm install && npm start");
    expect(readme).toContain("npm test");
  });
});
