/** `npm start -- --data DIR` takes Excel returns beside CSV ones, in file-name order. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readDataDir } from "../../scripts/commands/dev.ts";

describe("the local runner's data directory", () => {
  it("reads .csv, .xlsx, .xlsm and .xls returns, and nothing else", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dangjian-data-"));
    mkdirSync(join(dir, "returns"));
    writeFileSync(join(dir, "units.csv"), "单位代码,单位名称,上级单位代码\n001,工委,\n");
    for (const name of ["03-九月.XLSX", "01-七月.csv", "02-八月.xls", "04-十月.xlsm", "说明.txt", "图.png"]) {
      writeFileSync(join(dir, "returns", name), name);
    }
    const { files } = await readDataDir(dir);
    expect(files.map((f) => f.name)).toEqual(["01-七月.csv", "02-八月.xls", "03-九月.XLSX", "04-十月.xlsm"]);
  });
});
