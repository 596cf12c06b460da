/**
 * The whole pipeline on real emulators: DynamoDB Local + s3rver, the bucket and table, and the
 * real Lambda handlers driven by the S3 events s3rver emits — reshaped exactly as S3 sends them
 * (URL-encoded keys) and invoked the way Lambda invokes asynchronously (retries, then a DLQ).
 */
import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { S3Event, SQSEvent } from "aws-lambda";
import { createServices, type Services } from "../../lib/aws/services.ts";
import { type Config, loadConfig } from "../../lib/config.ts";
import { decodeEventKey, parseUploadKey, triggerOf } from "../../lib/objects.ts";
import { issueUpload } from "../../lib/write/uploads.ts";
import {
  createBucket,
  createTable,
  type RunningDynamo,
  type RunningS3,
  type S3EventRecord,
  startDynamo,
  startS3,
} from "./emulators.ts";

export interface LocalStackOptions {
  /** Parallel handler invocations (Lambda would run many; two cores here). */
  readonly concurrency?: number;
  /** Extra environment for the handlers (DEADLINE_DAY, ROLLUP_SHARDS, …). */
  readonly env?: Record<string, string>;
  readonly log?: (line: string) => void;
  /** Called after each event was handled (ok) or dead-lettered (not ok): progress displays. */
  readonly onHandled?: (key: string, ok: boolean) => void;
}

export interface DeadLetter {
  readonly key: string;
  readonly error: string;
}

export interface LocalStack {
  readonly config: Config;
  readonly services: Services;
  readonly dynamoEndpoint: string;
  readonly s3Endpoint: string;
  readonly s3Directory: string;
  /**
   * PUTs an object through the S3 API; its event reaches the handlers like in AWS. An incoming/
   * key is first recorded as an upload, as an ops import on the servers would be (issueUpload);
   * `raw: true` puts an object nobody asked for.
   */
  put(
    key: string,
    body: Uint8Array | string,
    options?: { submittedAt?: string; raw?: boolean },
  ): Promise<void>;
  /** Records an upload for an incoming/ key (again, e.g. after resetTable) without putting anything. */
  issue(key: string): Promise<void>;
  /** Resolves when every queued event has been handled (or dead-lettered). */
  drain(): Promise<void>;
  /** Sends an event to the handlers directly (replay tests deliver the same event again). */
  deliver(record: S3EventRecord): void;
  /** Every event record delivered so far, as S3 sent it. */
  readonly delivered: readonly S3EventRecord[];
  readonly deadLetters: readonly DeadLetter[];
  /** While held, S3 events are kept (see `held`) instead of delivered: tests deliver them by hand. */
  holdEvents(hold: boolean): void;
  readonly held: readonly S3EventRecord[];
  setConcurrency(n: number): void;
  /** Drops and recreates the table (tests that replay the same events onto a clean table). */
  resetTable(): Promise<void>;
  stop(): Promise<void>;
}

type Handler = (event: S3Event) => Promise<void>;

/** Lambda's asynchronous invocation retries a failed event twice before the DLQ. */
const ASYNC_RETRIES = 2;

/** The SQS message Lambda's on-failure destination sends for an event that failed every retry. */
function deadLetterEvent(record: S3EventRecord, err: unknown): SQSEvent {
  const body = {
    version: "1.0",
    timestamp: new Date().toISOString(),
    requestContext: { condition: "RetriesExhausted", approximateInvokeCount: ASYNC_RETRIES + 1 },
    requestPayload: { Records: [record] },
    responseContext: { statusCode: 200, functionError: "Unhandled" },
    responsePayload: {
      errorType: err instanceof Error ? err.name : "Error",
      errorMessage: err instanceof Error ? err.message : String(err),
    },
  };
  return {
    Records: [{ messageId: `local-${Date.now()}`, body: JSON.stringify(body) }],
  } as unknown as SQSEvent;
}

function s3Encode(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, "/").replace(/%20/g, "+");
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? (() => {});
  const [dynamo, s3] = await Promise.all([startDynamo(), startS3()]);
  const env: Record<string, string> = {
    TABLE_NAME: "dangjian-local",
    BUCKET_NAME: "dangjian-local-data",
    AWS_REGION: "cn-north-1",
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    S3_ENDPOINT: s3.endpoint,
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
    ...options.env,
  };
  // The handlers read their configuration from the environment at cold start, as in Lambda.
  Object.assign(process.env, env);
  const config = loadConfig(process.env);
  await Promise.all([
    createTable(dynamo.endpoint, config.TABLE_NAME),
    createBucket(s3.endpoint, config.BUCKET_NAME),
  ]);
  const services = createServices(config);
  const validate = (await import("../../functions/validate.ts")).handler as Handler;
  const registry = (await import("../../functions/registry.ts")).handler as Handler;
  const handlers = { validate, registry } as const;
  const route = (key: string): Handler | undefined => {
    const trigger = triggerOf(key);
    return trigger ? handlers[trigger] : undefined;
  };

  const failed = (await import("../../functions/failed.ts")).handler as (event: SQSEvent) => Promise<void>;
  const issue = async (key: string): Promise<void> => {
    const parsed = parseUploadKey(key);
    if (!parsed || (await services.stores.uploads.getUpload(parsed.uploadId))) return;
    await issueUpload(services.stores.uploads, { ...parsed, at: new Date() });
  };

  const submittedAt = new Map<string, string>();
  const queue: S3EventRecord[] = [];
  const delivered: S3EventRecord[] = [];
  const deadLetters: DeadLetter[] = [];
  const held: S3EventRecord[] = [];
  let concurrency = options.concurrency ?? 2;
  let running = 0;
  let holding = false;
  let idle: (() => void)[] = [];

  const pump = (): void => {
    while (running < concurrency && queue.length) {
      const record = queue.shift() as S3EventRecord;
      running++;
      void invoke(record).finally(() => {
        running--;
        pump();
      });
    }
    if (running === 0 && queue.length === 0) {
      const waiters = idle;
      idle = [];
      for (const w of waiters) w();
    }
  };

  const invoke = async (record: S3EventRecord): Promise<void> => {
    const key = decodeEventKey(record.s3.object.key) ?? record.s3.object.key;
    const handler = route(key);
    if (!handler) return;
    for (let attempt = 0; ; attempt++) {
      try {
        await handler({ Records: [record] } as unknown as S3Event);
        options.onHandled?.(key, true);
        return;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (attempt >= ASYNC_RETRIES) {
          deadLetters.push({ key, error: message });
          log(`事件处理失败,已转入死信队列:${key}:${message}`);
          // As on AWS: the on-failure destination's record reaches the dead-letter consumer.
          await failed(deadLetterEvent(record, err)).catch((e: unknown) =>
            log(`死信处理失败:${e instanceof Error ? e.message : String(e)}`),
          );
          options.onHandled?.(key, false);
          return;
        }
        await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
      }
    }
  };

  const deliver = (record: S3EventRecord): void => {
    delivered.push(record);
    queue.push(record);
    pump();
  };

  s3.onEvent((event) => {
    for (const raw of event.Records) {
      if (!raw.eventName.startsWith("ObjectCreated")) continue;
      const key = raw.s3.object.key;
      (holding ? (r: S3EventRecord) => held.push(r) : deliver)({
        ...raw,
        // Real S3 events carry the bucket's region and URL-encoded keys.
        eventTime: submittedAt.get(key) ?? raw.eventTime,
        s3: { ...raw.s3, object: { ...raw.s3.object, key: s3Encode(key) } },
      } as S3EventRecord);
    }
  });

  return {
    config,
    services,
    dynamoEndpoint: dynamo.endpoint,
    s3Endpoint: s3.endpoint,
    s3Directory: s3.directory,
    delivered,
    deadLetters,
    async put(key, body, opts) {
      if (opts?.submittedAt) submittedAt.set(key, opts.submittedAt);
      if (!opts?.raw) await issue(key);
      await services.clients.s3.send(
        new PutObjectCommand({ Bucket: config.BUCKET_NAME, Key: key, Body: body, ContentType: "text/csv" }),
      );
    },
    issue,
    drain() {
      if (running === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
    deliver,
    held,
    holdEvents(h) {
      holding = h;
    },
    setConcurrency(n) {
      concurrency = n;
    },
    async resetTable() {
      await services.clients.ddb.send(new DeleteTableCommand({ TableName: config.TABLE_NAME }));
      await createTable(dynamo.endpoint, config.TABLE_NAME);
      services.invalidateRegistry();
    },
    async stop() {
      services.clients.ddb.destroy();
      services.clients.s3.destroy();
      await stopAll(dynamo, s3);
    },
  };
}

async function stopAll(dynamo: RunningDynamo, s3: RunningS3): Promise<void> {
  await Promise.allSettled([dynamo.stop(), s3.stop()]);
}
