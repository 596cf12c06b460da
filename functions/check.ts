/**
 * HTTP API → POST /v1/validate (试审核), the one route that reads workbooks: the same API handler and
 * checks as functions/api.ts, with only this route, so SheetJS ships here and not in the API
 * function (serverless.yml routes POST /v1/validate here; everything else goes to the API function).
 */
import { apiSettings } from "../lib/api/context.ts";
import { createApiHandler } from "../lib/api/handler.ts";
import { validateRoute } from "../lib/api/routes/validate.ts";
import { createServices } from "../lib/aws/services.ts";
import { loadConfig } from "../lib/config.ts";

const services = createServices(loadConfig(process.env));

export const handler = createApiHandler(
  {
    stores: services.stores,
    objects: services.objects,
    registry: services.registry,
    settings: apiSettings(services.config),
    now: () => new Date(),
    logError: (entry) => services.log.error("api error", entry),
  },
  [validateRoute],
);
