/**
 * Bundles each Lambda handler with esbuild into .build/<function>/index.mjs: one file per function,
 * tree-shaken AWS SDK v3 clients bundled in (not the runtime's copy), minified.
 * The bulletin function also gets its fonts and the PDF/A colour profile copied beside it. The portal's client files (built by
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
  "check",
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

/**
 * pdfkit and pdfmake are CommonJS that read files beside themselves through `__dirname` (pdfmake's
 * virtual file system on every font, pdfkit's sRGB profile for PDF/A): an ES module has no
 * `__dirname`, so the bulletin bundle defines it as its own folder, where its assets are copied.
 */
const BULLETIN_BANNER =
  "import{dirname as __dn}from'path';import{fileURLToPath as __fu}from'url';" +
  "const __filename=__fu(import.meta.url);const __dirname=__dn(__filename);";

/** The sRGB ICC profile pdfkit embeds as the PDF/A output intent (read from `${__dirname}/data`). */
const PDFA_PROFILE = "pdfkit/js/data/sRGB_IEC61966_2_1.icc";

/**
 * zod carries the error messages of some 40 languages; every schema here speaks through its own
 * Chinese messages or zod's default English, so the other locales become stubs (~100 KB zipped off
 * the API function). Selecting a trimmed locale fails loudly.
 */
const ZOD_LOCALES = /[\\/]zod[\\/]v4[\\/]locales[\\/][a-zA-Z-]+\.js$/;
const KEPT_ZOD_LOCALES = new Set(["en.js", "index.js"]);
const trimZod: Plugin = {
  name: "trim-zod-locales",
  setup(b) {
    b.onLoad({ filter: ZOD_LOCALES }, (args) =>
      KEPT_ZOD_LOCALES.has(args.path.split(/[\\/]/).pop() ?? "")
        ? undefined
        : {
            contents: "export default function () { throw new Error('zod locale not bundled'); }",
            loader: "js",
          },
    );
  },
};

/** One function's bundle, as deployed (the bulletin tests bundle their own entry the same way). */
export async function bundle(entry: string, outfile: string, fn: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
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
    banner: {
      js:
        "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);" +
        (fn === "bulletin" ? BULLETIN_BANNER : ""),
    },
    logLevel: "warning",
    plugins: [trimIconv, trimZod],
  });
  if (fn === "bulletin") await copyBulletinAssets(dirname(outfile));
}

/** Whole TTF files beside the bundle (the renderer looks in ./fonts when node_modules is absent), and the ICC profile. */
async function copyBulletinAssets(dir: string): Promise<void> {
  await mkdir(join(dir, "fonts"), { recursive: true });
  for (const font of BULLETIN_FONT_FILES) {
    const src = require.resolve(font);
    await copyFile(src, join(dir, "fonts", src.split("/").pop() as string));
  }
  await mkdir(join(dir, "data"), { recursive: true });
  await copyFile(require.resolve(PDFA_PROFILE), join(dir, "data", PDFA_PROFILE.split("/").pop() as string));
}

export async function buildFunctions(out = join(root, ".build")): Promise<Record<string, number>> {
  await rm(out, { recursive: true, force: true });
  const sizes: Record<string, number> = {};
  for (const fn of FUNCTIONS) {
    const dir = join(out, fn);
    await bundle(join(root, "functions", `${fn}.ts`), join(dir, "index.mjs"), fn);
    if (fn === "assets") {
      await buildWebAssets(join(dir, "files"));
      // The pages only need the names: ECharts (~180 KB zipped) stays out of the API package
      // (and out of the check function's, which serves the Excel template page).
      for (const fn of ["api", "check"]) {
        await mkdir(join(out, fn, "assets"), { recursive: true });
        await copyFile(join(dir, "files", MANIFEST_FILE), join(out, fn, "assets", MANIFEST_FILE));
      }
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
