/**
 * Builds the portal's client files with esbuild: lib/web/client/{portal,charts}.ts and
 * portal.css → OUT/{name}-{hash}.{js,css} plus manifest.json (logical name → file). Content
 * hashes make every name immutable, so the server lets browsers cache them for a year.
 * Output is a build product (.build/…), never committed.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { MANIFEST_FILE } from "../../lib/web/assets.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const WEB_ASSETS_DIR = join(root, ".build", "web-assets");
const CLIENT = join(root, "lib", "web", "client");

const ENTRIES = {
  "portal.js": join(CLIENT, "portal.ts"),
  "charts.js": join(CLIENT, "charts.ts"),
  "portal.css": join(CLIENT, "portal.css"),
} as const;

export async function buildWebAssets(out = WEB_ASSETS_DIR): Promise<Record<string, string>> {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const result = await build({
    // The metafile names entry points relative to the working directory; pin it to the project
    // root, or a server started from another folder (the runner tests use a temporary one) finds
    // no output for its entries whenever the two folders differ in depth.
    absWorkingDir: root,
    entryPoints: Object.values(ENTRIES),
    outdir: out,
    entryNames: "[name]-[hash]",
    bundle: true,
    minify: true,
    format: "iife",
    target: ["chrome100", "firefox100", "safari15"],
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
  });
  const manifest: Record<string, string> = {};
  for (const [file, meta] of Object.entries(result.metafile.outputs)) {
    const entry = meta.entryPoint ? join(root, meta.entryPoint) : undefined;
    const name = Object.entries(ENTRIES).find(([, src]) => src === entry)?.[0];
    if (name) manifest[name] = basename(file);
  }
  for (const name of Object.keys(ENTRIES)) {
    if (!manifest[name]) throw new Error(`esbuild produced no output for ${name}`);
  }
  await writeFile(join(out, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const manifest = await buildWebAssets();
  for (const [name, file] of Object.entries(manifest)) console.log(`${name.padEnd(12)} ${file}`);
}
