/**
 * The bulletin function as deployed is one ES module with its fonts and the PDF/A colour profile
 * beside it, and no node_modules: pdfmake and pdfkit find their files through `__dirname`, which
 * an ES module lacks unless the bundle defines it. A bundle made the way scripts/build.ts makes
 * the function's renders the issued (archival) bulletin in a folder with nothing else in it.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { bundle } from "../../scripts/build.ts";
import { pdfFonts, pdfStructure, qpdfCheck } from "../bulletin/pdf-tools.ts";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");

describe("the bundled bulletin renderer", () => {
  it("renders an issued PDF/A bulletin from its own folder, fonts and colour profile beside it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dangjian-bundle-"));
    const entry = join(dir, "entry.ts");
    await writeFile(
      entry,
      [
        `import { writeFileSync } from "node:fs";`,
        `import { composeBulletin } from ${JSON.stringify(join(ROOT, "lib/bulletin/compose.ts"))};`,
        `import { parseWording } from ${JSON.stringify(join(ROOT, "lib/bulletin/wording.ts"))};`,
        `import { renderBulletinPdf } from ${JSON.stringify(join(ROOT, "lib/files/render.ts"))};`,
        `import { buildFixture } from ${JSON.stringify(join(ROOT, "tests/bulletin/fixture.ts"))};`,
        `import wording from ${JSON.stringify(join(ROOT, "templates/bulletin.json"))} with { type: "json" };`,
        "const edition = { kind: 'issued', issueNumber: 4, issueDate: '2026-11-06', signer: '李明', signedAt: '2026-11-06T01:00:00Z' };",
        "const { pdf } = await renderBulletinPdf(composeBulletin(buildFixture(), parseWording(wording), edition));",
        "writeFileSync(process.argv[2], pdf);",
      ].join("\n"),
    );
    const out = join(dir, "function");
    await bundle(entry, join(out, "index.mjs"), "bulletin");
    expect((await readdir(out)).sort()).toEqual(["data", "fonts", "index.mjs"]);
    const file = join(dir, "issued.pdf");
    await run(process.execPath, [join(out, "index.mjs"), file], {
      cwd: out,
      env: { PATH: process.env.PATH ?? "" },
    });
    const pdf = await readFile(file);
    expect(await qpdfCheck(pdf)).toContain("No syntax or stream encoding errors found");
    const s = await pdfStructure(pdf);
    expect(s.xmp.get("pdfaid:part")).toBe("2");
    expect(s.xmp.get("dj:issue")).toBe("2026年第4期");
    expect((await pdfFonts(pdf)).fonts.every((f) => f.embedded)).toBe(true);
  }, 180_000);
});
