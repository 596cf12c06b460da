import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Registry } from "../../lib/domain/registry.ts";
import { buildRegistry, formatRegistry, parseRegistryFile } from "../../lib/ingest/registry-file.ts";
import { FIXTURES, loadRegistry } from "./corpus-manifest.ts";

function problemsOf(file: string): readonly { row: number; message: string }[] {
  const result = parseRegistryFile(readFileSync(join(FIXTURES, "registry", file)));
  expect(result.ok, `${file} must be refused`).toBe(false);
  return result.ok ? [] : result.problems;
}

describe("parseRegistryFile on broken registries", () => {
  it("refuses two roots, naming both codes and their rows", () => {
    const [p, ...rest] = problemsOf("two-roots.csv");
    expect(rest).toEqual([]);
    expect(p?.message).toContain("只能有一个根单位");
    expect(p?.message).toContain("001(第2行)");
    expect(p?.message).toContain("002(第5行)");
  });

  it("refuses a cycle of 片区 and says which codes go round", () => {
    const problems = problemsOf("cycle.csv");
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/^单位上下级关系出现循环:/);
    for (const code of ["001001", "001002", "001003"]) expect(problems[0]?.message).toContain(code);
  });

  it("refuses a parent code that is not in the registry, on the unit's own row", () => {
    expect(problemsOf("unknown-parent.csv")).toEqual([
      {
        row: 5,
        code: "001004001",
        message: "第5行:单位“001004001”的上级单位代码“001004”不在名册中。",
      },
    ]);
  });

  it("refuses a duplicate code, pointing at the first row that used it", () => {
    expect(problemsOf("duplicate-code.csv")).toEqual([
      { row: 6, code: "001001001", message: "第6行:单位代码“001001001”与第4行重复。" },
    ]);
  });

  it("refuses a file without the header row and names the columns it needs", () => {
    const problems = problemsOf("missing-header.csv");
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain("单位名册缺少列:单位代码、单位名称、上级单位代码");
  });

  it("refuses an empty file, a registry without units, a self-parent and a unit without a name", () => {
    const empty = parseRegistryFile(new Uint8Array(0));
    expect(empty.ok ? [] : empty.problems.map((p) => p.message)).toEqual(["单位名册为空,缺少表头。"]);
    const headerOnly = buildRegistry([["单位代码", "单位名称", "上级单位代码"]]);
    expect(headerOnly.ok ? [] : headerOnly.problems.map((p) => p.message)).toEqual([
      "单位名册没有任何单位。",
    ]);
    const self = buildRegistry([
      ["单位代码", "单位名称", "上级单位代码"],
      ["001", "市直机关工委", ""],
      ["001001", "第一片区", "001001"],
      ["001002", "", "001"],
    ]);
    expect(self.ok ? [] : self.problems.map((p) => p.message)).toEqual([
      "第3行:单位“001001”的上级单位代码不能是它自己。",
      "第4行:单位“001002”缺少单位名称。",
    ]);
  });

  it("refuses a PNG saved as units.csv with the decoder's Chinese explanation", () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const result = parseRegistryFile(png);
    expect(result.ok ? "" : result.problems[0]?.message).toContain("PNG图片");
  });
});

describe("Registry built from tests/fixtures/units.csv", () => {
  const registry: Registry = loadRegistry();

  it("keeps codes as strings with their leading zeros", () => {
    expect(registry.root.code).toBe("001");
    expect(registry.root.name).toBe("市直机关工委");
    expect(registry.get("001002001")?.name).toBe("市财政局机关党支部");
    expect(registry.has("1002001")).toBe(false);
    expect(registry.size).toBe(15);
  });

  it("treats the 11 基层党组织 as leaves and the 片区 and root as rollup scopes", () => {
    expect(registry.leafCount).toBe(11);
    expect(registry.isLeaf("001003001")).toBe(true);
    expect(registry.isLeaf("001003")).toBe(false);
    expect(registry.isLeaf("001")).toBe(false);
    expect(registry.isLeaf("009")).toBe(false);
    expect(registry.leavesUnder("001002").map((u) => u.code)).toEqual([
      "001002001",
      "001002002",
      "001002003",
      "001002004",
    ]);
    expect(registry.leavesUnder("001001003").map((u) => u.code)).toEqual(["001001003"]);
  });

  it("numbers leaves densely and gives -1 for inner nodes and unknown codes", () => {
    const indexes = registry.leavesUnder("001").map((u) => registry.leafIndex(u.code));
    expect(indexes).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(registry.leafIndex("001002")).toBe(-1);
    expect(registry.leafIndex("404")).toBe(-1);
  });

  it("lists a unit's ancestors from its 片区 up to the root", () => {
    expect(registry.ancestors("001003002")).toEqual(["001003", "001"]);
    expect(registry.ancestors("001")).toEqual([]);
    expect(registry.children("001").map((u) => u.code)).toEqual(["001001", "001002", "001003"]);
  });

  it("knows which units lie in a scope's subtree", () => {
    expect(registry.contains("001002", "001002004")).toBe(true);
    expect(registry.contains("001002", "001002")).toBe(true);
    expect(registry.contains("001", "001003003")).toBe(true);
    expect(registry.contains("001002", "001001001")).toBe(false);
    expect(registry.contains("001002001", "001002002")).toBe(false);
  });

  it("suggests the zero-padded code for a code Excel stripped of its leading zeros", () => {
    expect(registry.suggestCode("1001001")).toBe("001001001");
    expect(registry.suggestCode("1003")).toBe("001003");
    expect(registry.suggestCode("9009009")).toBeUndefined();
    expect(registry.suggestCode("市委办公室")).toBeUndefined();
  });

  it("writes itself back as a registry that reads the same", () => {
    const again = parseRegistryFile(new TextEncoder().encode(formatRegistry(registry)));
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect([...again.registry.units]).toEqual(
      [...registry.units].sort((a, b) => a.code.localeCompare(b.code)),
    );
  });
});

describe("parseRegistryFile on a registry saved by WPS", () => {
  it("reads GB18030 with the English header aliases code,name,parent_code", () => {
    const result = parseRegistryFile(readFileSync(join(FIXTURES, "registry", "wps-gb18030-aliases.csv")));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.registry.get("001002")?.name).toBe("市直机关第二片区（经济管理）");
    expect(result.registry.leavesUnder("001").map((u) => u.code)).toEqual(["001002001", "001002002"]);
  });
});

describe("units.csv: optional 联系人、手机、邮箱 for 催报", () => {
  const records = (rows: string[][]) => [
    ["单位代码", "单位名称", "上级单位代码", "联系人", "手机", "邮箱"],
    ...rows,
  ];

  it("keeps each unit's contact and takes mobiles and landlines as people write them", () => {
    const result = buildRegistry(
      records([
        ["001", "市直机关工委", "", "", "", ""],
        ["001001", "第一片区", "001", "", "", ""],
        ["001001001", "市委办公室机关党支部", "001001", "李红梅", "138 0551 1234", "li@example.gov.cn"],
        ["001001002", "市政府办公室机关党支部", "001001", "王建国", "0551-62601234", ""],
      ]),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.registry.get("001001001")?.contact).toEqual({
      name: "李红梅",
      mobile: "138 0551 1234",
      email: "li@example.gov.cn",
    });
    expect(result.registry.get("001001002")?.contact).toEqual({ name: "王建国", mobile: "0551-62601234" });
    expect(result.registry.get("001001")?.contact).toBeUndefined();
  });

  it("refuses a mobile or e-mail that cannot be used, naming the row", () => {
    const result = buildRegistry(
      records([
        ["001", "市直机关工委", "", "", "", ""],
        ["001001", "市委办公室机关党支部", "001", "李红梅", "12345", "not-an-address"],
      ]),
    );
    expect(result.ok).toBe(false);
    const messages = result.ok ? [] : result.problems.map((p) => p.message);
    expect(messages).toEqual([
      expect.stringContaining("第3行:手机“12345”"),
      expect.stringContaining("第3行:邮箱“not-an-address”"),
    ]);
  });
});
