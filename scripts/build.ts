/**
 * Bundles each Lambda handler with esbuild into .build/<function>/index.mjs: one file per function,
 * tree-shaken AWS SDK v3 clients bundled in (not the runtime's copy), minified.
 * The bulletin function also gets its fonts copied beside it. The portal's client files (built by
 * scripts/web/assets.ts) go to the small assets function that serves GET /assets/*; the API
 * function, which renders the pages, gets only their manifest (names → hashed files).
 * Prints each bundle's size.
 */
import { copyFile, mkdir, readdir, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { BULLETIN_FONT_FILES } from "../lib/files/fonts.ts";
import { MANIFEST_FILE } from "../lib/web/assets.ts";
import { buildWebAssets } from "./web/assets.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const FUNCTIONS = [
  "validate",
  "registry",
  "bulletin",
  "api",
  "authorizer",
  "failed",
  "assets",
  "remind",
] as const;
const require = createRequire(import.meta.url);

/**
 * iconv-lite bundles every code page it knows; the pipeline decodes only GB18030/GBK and UTF-16.
 * The other tables (Big5, Shift-JIS, EUC-JP, Korean, single-byte pages) become empty stubs: less
 * code for Lambda to compile at every cold start. An unexpected use fails loudly (empty table).
 */
const UNUSED_CODE_PAGES =
  /[\\/]iconv-lite[\\/]encodings[\\/](tables[\\/](big5-added|cp949|cp950|eucjp|shiftjis)\.json|sbcs-data-generated\.js)$/;
const trimIconv: Plugin = {
  name: "trim-iconv-code-pages",
  setup(b) {
    b.onLoad({ filter: UNUSED_CODE_PAGES }, (args) =>
      args.path.endsWith(".json")
        ? { contents: "[]", loader: "json" }
        : { contents: "module.exports = {};", loader: "js" },
    );
  },
};

export async function buildFunctions(out = join(root, ".build")): Promise<Record<string, number>> {
  await rm(out, { recursive: true, force: true });
  const sizes: Record<string, number> = {};
  for (const fn of FUNCTIONS) {
    const dir = join(out, fn);
    await build({
      entryPoints: [join(root, "functions", `${fn}.ts`)],
      outfile: join(dir, "index.mjs"),
      bundle: true,
      platform: "node",
      target: "node22",
      format: "esm",
      // Whitespace and syntax only: identifiers keep their names so Lambda stack traces stay readable
      // without shipping a source map (a map would double the zipped bundle).
      minifyWhitespace: true,
      minifySyntax: true,
      keepNames: true,
      legalComments: "none",
      // CommonJS dependencies (papaparse, iconv-lite, pdfkit) call require(); give ESM one.
      banner: { js: "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);" },
      logLevel: "warning",
      plugins: [trimIconv],
    });
    if (fn === "bulletin") {
      await mkdir(join(dir, "fonts"), { recursive: true });
      // Whole TTF files beside the bundle: the renderer looks in ./fonts when node_modules is absent.
      for (const font of BULLETIN_FONT_FILES) {
        const src = require.resolve(font);
        await copyFile(src, join(dir, "fonts", src.split("/").pop() as string));
      }
    }
    if (fn === "assets") {
      await buildWebAssets(join(dir, "files"));
      // The pages only need the names: ECharts (~180 KB zipped) stays out of the API package.
      await mkdir(join(out, "api", "assets"), { recursive: true });
      await copyFile(join(dir, "files", MANIFEST_FILE), join(out, "api", "assets", MANIFEST_FILE));
    }
    sizes[fn] = (await stat(join(dir, "index.mjs"))).size;
  }
  return sizes;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const sizes = await buildFunctions();
  for (const [fn, bytes] of Object.entries(sizes)) {
    console.log(`${fn.padEnd(12)} ${(bytes / 1024).toFixed(0).padStart(6)} KB`);
  }
  const fonts = await readdir(join(root, ".build", "bulletin", "fonts"));
  console.log(`bulletin fonts: ${fonts.join(", ")}`);
}
