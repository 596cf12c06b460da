/** S3 ObjectCreated on registry/units.csv → check and load the unit registry. */
import type { S3Event } from "aws-lambda";
import { createServices } from "../lib/aws/services.ts";
import { loadConfig } from "../lib/config.ts";
import { importRegistry } from "../lib/ingest/registry-import.ts";
import { decodeEventKey, REGISTRY_KEY, registryReportKey } from "../lib/objects.ts";

const services = createServices(loadConfig(process.env));

export async function handler(event: S3Event): Promise<void> {
  for (const record of event.Records) {
    if (!record.eventName.startsWith("ObjectCreated")) continue;
    const key = decodeEventKey(record.s3.object.key);
    // S3 filters match a prefix and a suffix only: registry/units-old.csv must not replace the registry.
    if (key !== REGISTRY_KEY) {
      services.log.info("registry import ignored", { key: record.s3.object.key });
      continue;
    }
    const result = await importRegistry(await services.objects.getBytes(key), services.stores.registry);
    services.invalidateRegistry();
    const reportKey = registryReportKey(record.eventTime);
    await services.objects.put(reportKey, JSON.stringify(result), "application/json; charset=utf-8");
    services.log.info("registry import", { key, reportKey, ...result });
  }
}
