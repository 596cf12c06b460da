/**
 * The CLI as JavaScript, built at install time (npm's `prepare`): `npx dangjian` then starts
 * without compiling TypeScript (tsx costs 2–4 s per start). Dependencies stay in node_modules;
 * each command is its own chunk, loaded only when it runs. bin/dangjian.js falls back to tsx when
 * the bundle is missing or older than the sources (a development checkout).
 */
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const CLI_OUT = join(root, ".build", "cli");

export async function buildCli(): Promise<void> {
  const { build } = await import("esbuild");
  await rm(CLI_OUT, { recursive: true, force: true });
  await build({
    entryPoints: [join(root, "scripts", "cli.ts")],
    outdir: CLI_OUT,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    // JSON the code imports (the bulletin wording) goes in; files read by path stay in the tree.
    loader: { ".json": "json" },
    logLevel: "warning",
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await buildCli();
  } catch (err) {
    // An install without devDependencies has no esbuild: the CLI then runs through tsx.
    process.stderr.write(
      `dangjian: 未生成命令行预编译文件(将直接运行源码):${err instanceof Error ? err.message : String(err)}\n`,
    );
  }
}
