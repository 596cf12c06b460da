/**
 * `npm run bulletin:preview` (or `npx tsx scripts/bulletin-preview.ts [input.json] [out-dir]`):
 * renders the test fixture — or a BulletinInput JSON file — to out/bulletin-preview/bulletin.pdf
 * and PNG pages (pdftoppm -r 60) for a human look, and prints render time, size, page count and
 * pdffonts' embedding check. pdftoppm/pdffonts come from poppler-utils (apt-get install poppler-utils).
 *
 * `npm run bulletin:preview -- --sample [out-dir]` renders the built-in sample's latest month
 * instead (清源市, 2026-10): it starts the local emulators, loads the sample through S3 as `npm start`
 * does, gathers the bulletin input the way the bulletin function does, stops the emulators, and
 * writes that input to sample-input.json beside the PDF (re-render it without the emulators by
 * passing the file as input.json). Takes about half a minute.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  type BulletinInput,
  composeBulletin,
  loadWording,
  renderBulletinPdf,
} from "../lib/bulletin/index.ts";
import { buildFixture } from "../tests/bulletin/fixture.ts";

function tool(name: string, args: string[]): string | null {
  try {
    return execFileSync(name, args, { encoding: "utf8" });
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    process.stderr.write(
      missing ? `未找到 ${name}:请安装 poppler-utils\n` : `${name} 失败:${String(error)}\n`,
    );
    return null;
  }
}

/** The built-in sample's month the preview shows, and a fixed "now" so every run is the same. */
const SAMPLE_MONTH = "2026-10";
const SAMPLE_NOW = new Date("2026-11-10T02:00:00Z");

/** The built-in sample loaded through the local stack; the bulletin input of its latest month. */
async function sampleInput(): Promise<BulletinInput> {
  const [{ startLocalStack }, { generateSample }, { importRegistry }, { gatherBulletinInput }] =
    await Promise.all([
      import("./local/stack.ts"),
      import("../lib/sample/index.ts"),
      import("../lib/ingest/registry-import.ts"),
      import("../lib/bulletin/service.ts"),
    ]);
  const stack = await startLocalStack({ concurrency: 2 });
  try {
    const sample = generateSample({ endMonth: SAMPLE_MONTH, now: SAMPLE_NOW });
    const reg = await importRegistry(
      new TextEncoder().encode(sample.unitsCsv),
      stack.services.stores.registry,
    );
    if (!reg.ok) throw new Error("the sample's units.csv was rejected");
    stack.services.invalidateRegistry();
    for (const f of sample.files) {
      const key = `incoming/${f.scope}/${f.period}/s${f.name.replace(/[^A-Za-z0-9]/g, "").slice(-40)}.csv`;
      await stack.put(key, f.bytes, { submittedAt: f.submittedAt });
    }
    await stack.drain();
    const deps = {
      returns: stack.services.stores.returns,
      rollups: stack.services.stores.rollups,
      registry: await stack.services.registry(),
      deadlineDay: stack.config.DEADLINE_DAY,
    };
    return await gatherBulletinInput(deps, reg.root, SAMPLE_MONTH, 10, "2026-11-06");
  } finally {
    await stack.stop();
  }
}

export async function preview(inputPath: string | undefined, outDir: string): Promise<number> {
  const fromSample = inputPath === "--sample";
  const input: BulletinInput = fromSample
    ? await sampleInput()
    : inputPath
      ? JSON.parse(readFileSync(inputPath, "utf8"))
      : buildFixture();
  const wording = await loadWording();

  const started = performance.now();
  const model = composeBulletin(input, wording);
  const composed = performance.now();
  const cpuBefore = process.cpuUsage();
  const { pdf, pages } = await renderBulletinPdf(model);
  const rendered = performance.now();
  // CPU time as well as wall time: on a busy machine the wall clock mostly measures the neighbours.
  const cpu = process.cpuUsage(cpuBefore);

  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (f.endsWith(".png")) rmSync(join(outDir, f));
  const pdfPath = join(outDir, "bulletin.pdf");
  writeFileSync(pdfPath, pdf);
  writeFileSync(join(outDir, "model.json"), `${JSON.stringify(model, null, 2)}\n`);
  if (fromSample) writeFileSync(join(outDir, "sample-input.json"), `${JSON.stringify(input)}\n`);

  const out = process.stdout;
  out.write(`${model.meta.title} → ${pdfPath}\n`);
  out.write(`compose ${(composed - started).toFixed(0)} ms, render ${(rendered - composed).toFixed(0)} ms `);
  out.write(`(CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms), `);
  out.write(`${(pdf.length / 1024).toFixed(0)} KB, ${pages} pages\n`);

  if (tool("pdftoppm", ["-r", "60", "-png", pdfPath, join(outDir, "page")]) !== null) {
    out.write(`PNG: ${readdirSync(outDir).filter((f) => f.endsWith(".png")).length} pages in ${outDir}\n`);
  }
  const fonts = tool("pdffonts", [pdfPath]);
  if (fonts === null) return 1;
  out.write(fonts);
  // pdffonts: name type encoding emb sub uni object-id; "emb" must be yes for every font.
  const rows = fonts.split("\n").slice(2).filter(Boolean);
  const notEmbedded = rows.filter((r) => r.trim().split(/\s+/).at(-5) !== "yes");
  out.write(
    notEmbedded.length ? `未嵌入的字体:${notEmbedded.length}\n` : `全部 ${rows.length} 种字体均已嵌入\n`,
  );
  return notEmbedded.length ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const fallback = process.argv[2] === "--sample" ? "out/bulletin-preview-sample" : "out/bulletin-preview";
  const outDir = resolve(process.argv[3] ?? fallback);
  process.exitCode = await preview(process.argv[2], outDir);
}
