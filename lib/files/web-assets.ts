/**
 * Reads the portal's built client files from a directory (manifest.json + the hashed files) into
 * an AssetCatalog (lib/web/assets.ts). With `files: false` only the manifest is read.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type AssetCatalog, assetCatalog, MANIFEST_FILE } from "../web/assets.ts";

export function loadAssets(dir: string, options: { files?: boolean } = {}): AssetCatalog {
  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) {
    throw new Error(`portal assets missing: ${manifestPath} (build them with scripts/web/assets.ts)`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, string>;
  const contents = new Map<string, Uint8Array>();
  if (options.files !== false) {
    for (const file of Object.values(manifest)) contents.set(file, readFileSync(join(dir, file)));
  }
  return assetCatalog(manifest, contents);
}
