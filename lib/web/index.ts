/**
 * One HTTP entry for the API function: the JSON API under /v1, the portal under /, /web and
 * /assets. The portal is wired from the same services and calls the same API handler in-process.
 */
import type { ApiHandler } from "../api/handler.ts";
import type { ApiRequest, ApiResponse } from "../api/http.ts";
import { loadAssets } from "../files/web-assets.ts";
import type { KeyStore, SessionStore } from "../ports.ts";
import { createPortalHandler, isPortalRequest } from "./app.ts";
import type { AssetCatalog } from "./assets.ts";
import { DEFAULT_RELAY_BYTES, type WebDeps } from "./context.ts";

export { isPortalRequest };

export interface PortalOptions {
  readonly api: ApiHandler;
  readonly stores: { readonly keys: KeyStore; readonly sessions: SessionStore };
  /** The directory the built assets are in (manifest.json beside them). */
  readonly assetsDir: string;
  /** False where another function serves /assets/* (deployed): only the manifest is read. */
  readonly serveAssets?: boolean;
  readonly secureCookies: boolean;
  readonly maxUploadBytes: number;
  /** Signs a throwaway form to learn the bucket's origin (for the CSP's connect-src). */
  readonly presignPost: (
    key: string,
    seconds: number,
    limits: { contentType: string; maxBytes: number },
  ) => Promise<{ url: string }>;
  readonly now?: () => Date;
  readonly logError?: (entry: Record<string, unknown>) => void;
}

/** Assets are read on the first portal request, so a missing build breaks only the portal. */
function lazyAssets(dir: string, files: boolean): AssetCatalog {
  let catalog: AssetCatalog | undefined;
  const get = () => {
    catalog ??= loadAssets(dir, { files });
    return catalog;
  };
  return {
    url: (name) => get().url(name),
    serve: (file, request) => get().serve(file, request),
    sizes: () => get().sizes(),
  };
}

export function portalDeps(options: PortalOptions): WebDeps {
  let origin: Promise<string | undefined> | undefined;
  return {
    api: options.api,
    keys: options.stores.keys,
    sessions: options.stores.sessions,
    assets: lazyAssets(options.assetsDir, options.serveAssets ?? true),
    settings: {
      secureCookies: options.secureCookies,
      maxRelayBytes: DEFAULT_RELAY_BYTES,
      maxUploadBytes: options.maxUploadBytes,
    },
    uploadOrigin() {
      origin ??= options
        .presignPost("incoming/origin-probe", 60, { contentType: "text/csv", maxBytes: 1 })
        .then((form) => new URL(form.url).origin)
        .catch(() => undefined);
      return origin;
    },
    now: options.now ?? (() => new Date()),
    ...(options.logError ? { logError: options.logError } : {}),
  };
}

/** The services a deployed HTTP function builds its portal from (functions/api.ts, functions/check.ts). */
export interface DeployedPortalServices {
  readonly stores: PortalOptions["stores"];
  readonly config: { readonly MAX_UPLOAD_BYTES: number };
  readonly objects: { readonly presignPost: PortalOptions["presignPost"] };
}

/**
 * The portal as deployed: the asset manifest beside the bundle (`assetsDir`), the files served by
 * the assets function, Secure cookies (API Gateway serves only HTTPS).
 */
export function deployedPortalDeps(
  api: ApiHandler,
  services: DeployedPortalServices,
  assetsDir: string,
): WebDeps {
  return portalDeps({
    api,
    stores: services.stores,
    assetsDir,
    serveAssets: false,
    secureCookies: true,
    maxUploadBytes: services.config.MAX_UPLOAD_BYTES,
    presignPost: (key, seconds, limits) => services.objects.presignPost(key, seconds, limits),
  });
}

export function createHttpHandler(
  api: ApiHandler,
  deps: WebDeps,
): (request: ApiRequest) => Promise<ApiResponse> {
  const portal = createPortalHandler(deps);
  return (request) => (isPortalRequest(request.rawPath) ? portal(request) : api(request));
}
