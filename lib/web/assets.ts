/**
 * The portal's static files (client script, styles), built by esbuild with content hashes in
 * their names (scripts/web/assets.ts): a name never changes meaning, so browsers may keep each
 * file for a year. Loaded once per container, gzipped once.
 */
import { gzipSync } from "node:zlib";
import type { ApiRequest, ApiResponse } from "../api/http.ts";

/** Logical names the views ask for. */
export type AssetName = "portal.js" | "charts.js" | "portal.css";

export const MANIFEST_FILE = "manifest.json";

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

interface Asset {
  readonly type: string;
  readonly bytes: Buffer;
  readonly gzip: Buffer;
}

export interface AssetCatalog {
  /** The URL of a logical asset, e.g. /assets/portal-3F2A9C1D.js. */
  url(name: AssetName): string;
  /** The response for GET /assets/{file}, or undefined when there is no such file. */
  serve(file: string, request: ApiRequest): ApiResponse | undefined;
  /** Logical name → { file, bytes, gzip bytes } (the bench reports page weights from it). */
  sizes(): Record<string, { file: string; bytes: number; gzip: number }>;
}

/**
 * The catalog over a manifest and the files' bytes (read by lib/files/web-assets.ts). Without the
 * bytes only url() works: the API function renders pages with the hashed names while the assets
 * function serves the files themselves.
 */
export function assetCatalog(
  manifest: Readonly<Record<string, string>>,
  contents: ReadonlyMap<string, Uint8Array>,
): AssetCatalog {
  const files = new Map<string, Asset>();
  for (const [file, content] of contents) {
    const bytes = Buffer.from(content);
    const ext = file.slice(file.lastIndexOf("."));
    files.set(file, {
      type: TYPES[ext] ?? "application/octet-stream",
      bytes,
      gzip: gzipSync(bytes, { level: 9 }),
    });
  }
  return {
    url(name) {
      const file = manifest[name];
      if (!file) throw new Error(`portal asset not built: ${name}`);
      return `/assets/${file}`;
    },
    serve(file, request) {
      const asset = files.get(file);
      if (!asset) return undefined;
      const gzip = /\bgzip\b/.test(request.headers["accept-encoding"] ?? "");
      return {
        statusCode: 200,
        headers: {
          "content-type": asset.type,
          "cache-control": "public, max-age=31536000, immutable",
          "x-content-type-options": "nosniff",
          vary: "accept-encoding",
          ...(gzip ? { "content-encoding": "gzip" } : {}),
        },
        body: (gzip ? asset.gzip : asset.bytes).toString("base64"),
        isBase64Encoded: true,
      };
    },
    sizes() {
      const out: Record<string, { file: string; bytes: number; gzip: number }> = {};
      for (const [name, file] of Object.entries(manifest)) {
        const asset = files.get(file);
        if (asset) out[name] = { file, bytes: asset.bytes.length, gzip: asset.gzip.length };
      }
      return out;
    },
  };
}
