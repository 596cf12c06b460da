/** S3 ObjectCreated on registry/units.csv → check and load the unit registry. */
import type { S3Event } from "aws-lambda";
import { createServices } from "../lib/aws/services.ts";
import { loadConfig } from "../lib/config.ts";
import { importRegistry } from "../lib/registry-import.ts";

const services = createServices(loadConfig(process.env));

export async function handler(event: S3Event): Promise<void> {
  for (const record of event.Records) {
    if (!record.eventName.startsWith("ObjectCreated")) continue;
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, " "));
    const result = await importRegistry(await services.objects.getBytes(key), services.store);
    services.invalidateRegistry();
    const reportKey = `reports/registry/${record.eventTime.replace(/[:.]/g, "-")}.json`;
    await services.objects.put(reportKey, JSON.stringify(result), "application/json; charset=utf-8");
    if (services.config.LOG_LEVEL !== "silent") {
      console.log(JSON.stringify({ msg: "registry import", key, reportKey, ...result }));
    }
  }
}
