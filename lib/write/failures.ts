/**
 * Events Lambda gave up on (every retry failed) arrive at the dead-letter queue as invocation
 * records of the on-failure destination. For each upload in them the record gets the terminal
 * status `failed` with a Chinese message, so nothing stays `received` without a trace, and
 * `dangjian redrive` can find and process them again.
 */
import * as z from "zod/mini";
import { decodeEventKey, parseUploadKey } from "../objects.ts";
import { FINISHED_STATUSES, type UploadRecord, type UploadStore } from "../ports.ts";
import { FAILED_MESSAGE } from "./uploads.ts";

/** What the on-failure destination sends (the fields we read), as Lambda documents it. */
export interface InvocationRecord {
  readonly timestamp?: string;
  readonly requestContext?: { readonly condition?: string; readonly approximateInvokeCount?: number };
  readonly requestPayload?: {
    readonly Records?: readonly {
      readonly eventTime?: string;
      readonly s3?: {
        readonly object?: { readonly key?: string; readonly size?: number; readonly eTag?: string };
      };
    }[];
  };
  readonly responsePayload?: { readonly errorType?: string; readonly errorMessage?: string } | null;
}

export interface FailedUpload {
  readonly uploadId: string;
  readonly key: string;
  readonly eventTime: string | undefined;
  readonly size: number | undefined;
  readonly eTag: string | undefined;
}

const invocationSchema = z.object({
  timestamp: z.optional(z.string()),
  requestPayload: z.optional(
    z.object({
      Records: z.optional(
        z.array(
          z.object({
            eventTime: z.optional(z.string()),
            s3: z.optional(
              z.object({
                object: z.optional(
                  z.object({
                    key: z.optional(z.string()),
                    size: z.optional(z.number()),
                    eTag: z.optional(z.string()),
                  }),
                ),
              }),
            ),
          }),
        ),
      ),
    }),
  ),
  responsePayload: z.optional(
    z.nullable(z.object({ errorType: z.optional(z.string()), errorMessage: z.optional(z.string()) })),
  ),
});

/** A dead-letter message body as an invocation record, or undefined when it is not one. */
export function parseInvocationRecord(body: string): InvocationRecord | undefined {
  try {
    const parsed = invocationSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The uploads an invocation record is about (other keys, e.g. the registry, are not uploads). */
export function failedUploads(record: InvocationRecord): FailedUpload[] {
  const out: FailedUpload[] = [];
  for (const r of record.requestPayload?.Records ?? []) {
    const key = decodeEventKey(r.s3?.object?.key ?? "");
    const parsed = key ? parseUploadKey(key) : undefined;
    if (!key || !parsed) continue;
    out.push({
      uploadId: parsed.uploadId,
      key,
      eventTime: r.eventTime,
      size: r.s3?.object?.size,
      eTag: r.s3?.object?.eTag,
    });
  }
  return out;
}

/**
 * Marks each upload of a dead event failed. An upload that finished meanwhile (a later retry got
 * through) or whose record belongs to another key is left as it is. Returns the ids marked.
 */
export async function markFailed(
  uploads: Pick<UploadStore, "getUpload" | "putUpload">,
  record: InvocationRecord,
  now: Date,
): Promise<string[]> {
  const marked: string[] = [];
  const cause = record.responsePayload?.errorType ?? "Error";
  for (const f of failedUploads(record)) {
    const previous = await uploads.getUpload(f.uploadId);
    if (!previous || previous.key !== f.key || FINISHED_STATUSES.has(previous.status)) continue;
    const failed: UploadRecord = {
      ...previous,
      status: "failed",
      updatedAt: now.toISOString(),
      error: `${FAILED_MESSAGE}(${cause})`,
      objectTime: previous.objectTime ?? f.eventTime,
      bytes: previous.bytes ?? f.size,
      eTag: previous.eTag ?? f.eTag,
    };
    await uploads.putUpload(failed);
    marked.push(f.uploadId);
  }
  return marked;
}
