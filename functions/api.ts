/**
 * HTTP API → the ops and upload API (routes in lib/api/routes/) and the portal (lib/web/), which
 * calls the same API handler in-process. Configuration, AWS clients and the read cache are
 * created once per cold start; the portal's asset manifest sits beside the bundle (assets/).
 */
import { fileURLToPath } from "node:url";
import { apiSettings, type BulletinRenderer } from "../lib/api/context.ts";
import { createApiHandler } from "../lib/api/handler.ts";
import { ROUTES_WITHOUT_WORKBOOKS } from "../lib/api/routes/without-workbooks.ts";
import { createServices } from "../lib/aws/services.ts";
import { loadConfig } from "../lib/config.ts";
import { createHttpHandler, deployedPortalDeps } from "../lib/web/index.ts";

const services = createServices(loadConfig(process.env));
const bulletinFunction = services.config.BULLETIN_FUNCTION;
// The Lambda client is loaded on the first re-render request, not at every cold start (~70 ms).
let lambda: Promise<{ send: (name: string, payload: string) => Promise<void> }> | undefined;
function bulletinInvoker(): NonNullable<typeof lambda> {
  lambda ??= import("@aws-sdk/client-lambda").then(({ InvokeCommand, LambdaClient }) => {
    const client = new LambdaClient({ region: services.config.AWS_REGION });
    return {
      async send(name: string, payload: string) {
        await client.send(
          new InvokeCommand({ FunctionName: name, InvocationType: "Event", Payload: Buffer.from(payload) }),
        );
      },
    };
  });
  return lambda;
}

/** Rendering takes seconds: invoke the bulletin function asynchronously and answer 202 at once. */
const renderBulletin: BulletinRenderer | undefined = bulletinFunction
  ? async (request) => {
      await (await bulletinInvoker()).send(bulletinFunction, JSON.stringify(request));
    }
  : undefined;

const api = createApiHandler(
  {
    stores: services.stores,
    objects: services.objects,
    registry: services.registry,
    settings: apiSettings(services.config),
    renderBulletin,
    now: () => new Date(),
    logError: (entry) => services.log.error("api error", entry),
  },
  ROUTES_WITHOUT_WORKBOOKS,
);

export const handler = createHttpHandler(
  api,
  // Only the manifest is beside the bundle: the assets function serves GET /assets/*.
  deployedPortalDeps(api, services, fileURLToPath(new URL("./assets/", import.meta.url))),
);
