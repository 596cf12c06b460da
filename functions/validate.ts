/**
 * S3 ObjectCreated on incoming/ → validate and aggregate the uploaded return file.
 * Validation and aggregation run in one invocation: one S3 event is one idempotent job, so a
 * retry (Lambda's own, or a duplicate event) simply runs it again and converges.
 */
import type { S3Event } from "aws-lambda";
import { createServices } from "../lib/aws/services.ts";
import { loadConfig } from "../lib/config.ts";
import { decodeEventKey } from "../lib/objects.ts";
import { processUpload } from "../lib/write/pipeline.ts";

/** Exported for the benchmarks, which read its write counters; nothing else should use it. */
export const services = createServices(loadConfig(process.env));

export async function handler(event: S3Event): Promise<void> {
  for (const record of event.Records) {
    if (!record.eventName.startsWith("ObjectCreated")) continue;
    const key = decodeEventKey(record.s3.object.key);
    if (key === undefined) {
      services.log.error("upload ignored: key is not URL-encoded", { key: record.s3.object.key });
      continue;
    }
    const result = await processUpload(
      {
        key,
        size: record.s3.object.size,
        eventTime: record.eventTime,
        eTag: record.s3.object.eTag,
      },
      services.pipeline(),
    );
    services.log.info("upload processed", { key, ...summary(result) });
  }
}

function summary(result: Awaited<ReturnType<typeof processUpload>>): Record<string, unknown> {
  if (result.kind === "refused")
    return { kind: result.kind, uploadId: result.uploadId, reason: result.reason };
  if (result.kind !== "processed") return { kind: result.kind };
  return {
    kind: result.kind,
    uploadId: result.uploadId,
    status: result.status,
    summary: result.report.summary,
    applied: result.applied,
  };
}
