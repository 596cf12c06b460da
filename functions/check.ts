/**
 * HTTP API → the routes that need the spreadsheet library: POST /v1/validate (试审核, reads
 * workbooks), GET /v1/template (writes the prefilled Excel return) and the portal's
 * GET /web/template.xlsx, which relays it. The same API handler, checks and portal as
 * functions/api.ts, with only these routes (and the unit lookups every portal page makes for its
 * viewer), so SheetJS ships here and not in the API function; serverless.yml routes them here.
 */
import { fileURLToPath } from "node:url";
import { apiSettings } from "../lib/api/context.ts";
import { createApiHandler } from "../lib/api/handler.ts";
import { templateRoute } from "../lib/api/routes/template.ts";
import { unitRoutes } from "../lib/api/routes/units.ts";
import { validateRoute } from "../lib/api/routes/validate.ts";
import { createServices } from "../lib/aws/services.ts";
import { loadConfig } from "../lib/config.ts";
import { createHttpHandler, deployedPortalDeps } from "../lib/web/index.ts";

const services = createServices(loadConfig(process.env));

const api = createApiHandler(
  {
    stores: services.stores,
    objects: services.objects,
    registry: services.registry,
    settings: apiSettings(services.config),
    now: () => new Date(),
    logError: (entry) => services.log.error("api error", entry),
  },
  [validateRoute, templateRoute, ...unitRoutes],
);

export const handler = createHttpHandler(
  api,
  // The asset manifest only (for the error pages' links): the assets function serves the files.
  deployedPortalDeps(api, services, fileURLToPath(new URL("./assets/", import.meta.url))),
);
