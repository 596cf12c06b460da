/**
 * HTTP API → the ops and upload API (routes in lib/api/routes/). Configuration, AWS clients and the
 * read cache are created once per cold start; each request is routed by lib/api/handler.ts.
 */
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { apiSettings, type BulletinRenderer } from "../lib/api/context.ts";
import { createApiHandler } from "../lib/api/handler.ts";
import { createServices } from "../lib/aws/services.ts";
import { loadConfig } from "../lib/config.ts";

const services = createServices(loadConfig(process.env));
const bulletinFunction = services.config.BULLETIN_FUNCTION;
const lambda = new LambdaClient({ region: services.config.AWS_REGION });

/** Re-rendering takes seconds: invoke the bulletin function asynchronously and answer 202 at once. */
const renderBulletin: BulletinRenderer | undefined = bulletinFunction
  ? async ({ scope, period }) => {
      await lambda.send(
        new InvokeCommand({
          FunctionName: bulletinFunction,
          InvocationType: "Event",
          Payload: Buffer.from(JSON.stringify({ scope, period })),
        }),
      );
    }
  : undefined;

export const handler = createApiHandler({
  store: services.store,
  objects: services.objects,
  registry: services.registry,
  settings: apiSettings(services.config),
  renderBulletin,
  now: () => new Date(),
});
