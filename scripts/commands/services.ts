import { createServices, type Services } from "../../lib/aws/services.ts";
import { loadConfig } from "../../lib/config.ts";
import { ConfigError } from "../../lib/errors.ts";
import { environment } from "../local/session.ts";
import { UsageError } from "../support/usage-error.ts";

/** Services for CLI commands that talk to DynamoDB/S3 directly (AWS, or a running `npm start`). */
export function servicesFromEnvironment(): Services {
  try {
    return createServices(loadConfig(environment()));
  } catch (err) {
    if (err instanceof ConfigError) {
      throw new UsageError(
        `${err.message}\n请先在另一个终端运行 npm start(本地),或设置 TABLE_NAME、BUCKET_NAME 等环境变量(AWS)。`,
      );
    }
    throw err;
  }
}
