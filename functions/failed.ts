/**
 * SQS (the dead-letter queue of the S3-triggered functions) → mark the uploads of events that
 * failed every retry as `failed`. The queue also raises the ops alarm (serverless.yml).
 */
import type { SQSEvent } from "aws-lambda";
import { createDynamoClient } from "../lib/aws/clients.ts";
import { DynamoUploadStore } from "../lib/aws/upload-store.ts";
import { loadConfig } from "../lib/config.ts";
import { createLogger } from "../lib/support/log.ts";
import { markFailed, parseInvocationRecord } from "../lib/write/failures.ts";

const config = loadConfig(process.env);
const log = createLogger(config.LOG_LEVEL);
const uploads = new DynamoUploadStore({ ddb: createDynamoClient(config), name: config.TABLE_NAME });

export async function handler(event: SQSEvent): Promise<void> {
  for (const message of event.Records) {
    const record = parseInvocationRecord(message.body);
    if (!record) {
      log.error("dead letter is not an invocation record", { messageId: message.messageId });
      continue;
    }
    const marked = await markFailed(uploads, record, new Date());
    log.info("dead letter", { messageId: message.messageId, marked });
  }
}
