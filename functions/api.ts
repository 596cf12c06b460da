/**
 * HTTP API → the ops and upload API (routes in lib/api/routes/). Configuration, AWS clients and the
 * read cache are created once per cold start; each request is routed by lib/api/handler.ts.
 */
import { apiSettings, type BulletinRenderer } from "../lib/api/context.ts";
import { createApiHandler } from "../lib/api/handler.ts";
import { createServices } from "../lib/aws/services.ts";
import { loadConfig } from "../lib/config.ts";

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

export const handler = createApiHandler({
  stores: services.stores,
  objects: services.objects,
  registry: services.registry,
  settings: apiSettings(services.config),
  renderBulletin,
  now: () => new Date(),
  logError: (entry) => services.log.error("api error", entry),
});
