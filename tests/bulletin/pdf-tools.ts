/**
 * Reading a bulletin PDF back with tools that are not ours: pdfjs (text, outline, XMP, viewer
 * preferences), qpdf (`--check`, and `--json` for the catalogue's raw entries) and poppler's
 * pdffonts. A missing qpdf or pdffonts fails the test (.ci/run installs them), never skips it.
 */
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const run = promisify(execFile);

/** All text, whitespace removed, page by page. */
export async function pdfPages(pdf: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false })
    .promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(
      content.items
        .map((item) => ("str" in item ? item.str : ""))
        .join("")
        .replace(/\s+/g, ""),
    );
  }
  await doc.destroy();
  return pages;
}

export interface PdfStructure {
  readonly info: Record<string, unknown>;
  /** XMP properties as pdfjs parses them ("dc:title", "pdfaid:part", "dj:issue" …). */
  readonly xmp: ReadonlyMap<string, unknown>;
  readonly outline: readonly string[];
  readonly viewer: Record<string, unknown> | null;
}

export async function pdfStructure(pdf: Uint8Array): Promise<PdfStructure> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false })
    .promise;
  const meta = await doc.getMetadata();
  const outline = ((await doc.getOutline()) ?? []).map((o) => o.title);
  const viewer = (await doc.getViewerPreferences()) as Record<string, unknown> | null;
  const xmp = new Map<string, unknown>(meta.metadata ? [...meta.metadata] : []);
  await doc.destroy();
  return { info: meta.info as Record<string, unknown>, xmp, outline, viewer };
}

async function tempFile(pdf: Uint8Array): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), "dangjian-pdf-")), "bulletin.pdf");
  await writeFile(file, pdf);
  return file;
}

/** `qpdf --check` (exit 0 and its report) — throws when qpdf is missing or finds errors. */
export async function qpdfCheck(pdf: Uint8Array): Promise<string> {
  const { stdout } = await run("qpdf", ["--check", await tempFile(pdf)]);
  return stdout;
}

type Json = Record<string, unknown>;

/** The document catalogue and a resolver for references, from `qpdf --json`. */
export async function qpdfCatalog(pdf: Uint8Array): Promise<{ root: Json; get(ref: unknown): Json }> {
  const { stdout } = await run("qpdf", ["--json", "--json-key=qpdf", await tempFile(pdf)], {
    maxBuffer: 1 << 26,
  });
  const objects = (
    JSON.parse(stdout) as { qpdf: [unknown, Record<string, { value?: Json; stream?: { dict: Json } }>] }
  ).qpdf[1];
  const get = (ref: unknown): Json => {
    const o = objects[`obj:${String(ref)}`];
    return (o?.value ?? o?.stream?.dict ?? {}) as Json;
  };
  const trailer = objects.trailer?.value as Json;
  return { root: get(trailer["/Root"]), get };
}

export interface PdfFont {
  readonly name: string;
  readonly type: string;
  readonly embedded: boolean;
}

/** pdffonts' table, parsed by the column widths its dashed line gives. */
export async function pdfFonts(pdf: Uint8Array): Promise<{ fonts: PdfFont[]; output: string }> {
  const { stdout } = await run("pdffonts", [await tempFile(pdf)]);
  const lines = stdout.split("\n");
  const dashes = lines[1] ?? "";
  const columns: [number, number][] = [];
  for (const m of dashes.matchAll(/-+/g)) columns.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
  const cell = (line: string, i: number) => line.slice(columns[i]?.[0], (columns[i]?.[1] ?? 0) + 1).trim();
  const fonts = lines
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => ({ name: cell(l, 0), type: cell(l, 1), embedded: cell(l, 3) === "yes" }));
  return { fonts, output: stdout };
}
