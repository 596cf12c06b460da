#!/usr/bin/env node
// The CLI starts from the JavaScript bundle built at install time (scripts/build-cli.ts, npm's
// `prepare`) when it is newer than every source file; otherwise — a development checkout with
// edits — it runs the TypeScript sources through tsx. Lambda bundles are built separately.
// The SDK warns that Node 20 support ends in 2027 (Lambda runs nodejs22.x); the name of the switch
// changed between SDK releases, so set both.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING ??= "1";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const root = fileURLToPath(new URL("..", import.meta.url));
const bundle = join(root, ".build", "cli", "cli.js");

/** The newest modification time of the sources the bundle is made from. */
function newestSource() {
  let newest = 0;
  for (const dir of ["lib", "scripts", "functions", "templates"]) {
    for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile())
        newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
    }
  }
  return newest;
}

function bundleIsFresh() {
  try {
    return statSync(bundle).mtimeMs >= newestSource();
  } catch {
    return false;
  }
}

let main;
if (process.env.DANGJIAN_FROM_SOURCE !== "1" && bundleIsFresh()) {
  ({ main } = await import(pathToFileURL(bundle).href));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../scripts/cli.ts"));
}
process.exitCode = await main(process.argv);
