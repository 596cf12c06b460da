/**
 * The single-table layout. serverless.yml declares the same keys and indexes; the local runner
 * creates the table from tableDefinition().
 *
 *   UNIT      pk REG              sk UNIT#{code}       (and sk VERSION: the registry's stamp)
 *   RETURN    pk RET#{unit}       sk {YYYY-MM}         gsi1 PER#{parent}#{YYYY-MM} / {unit}
 *   ROLLUP    pk ROLL#{scope}     sk {YYYY-MM}#{shard}
 *   UPLOAD    pk UPL#{uploadId}   sk UPLOAD            gsi2 UPLOADS#{scope} / {receivedAt}#{id}
 *                                                      gsi1 UPLFAILED / {updatedAt}#{id} while failed
 *   BULLETIN  pk BUL#{scope}      sk {YYYY-MM}
 *   ISSUE SEQ pk BULSEQ#{scope}   sk {YYYY}
 *   REVIEW    pk REV#{parent}#{YYYY-MM}  sk {unit}   a 片区's decision on a unit's return
 *   LOCK      pk LOCK#{scope}     sk {YYYY-MM}         市级确认 of a 片区's month
 *   REMIND    pk REMIND#{parent}#{YYYY-MM} sk {unit}  催报 of a unit (count, last time, last day)
 *             pk REMIND#{parent}#{YYYY-MM} sk DAY#{YYYY-MM-DD}  a 片区's reminder sent that day
 *   API KEY   pk KEY#{sha256}     sk KEY               (and pk KEYID#{keyId} sk KEY: the hash by id,
 *                                                      gsi2 KEYS / {createdAt}#{keyId} for the list)
 *   SESSION   pk SESSION#{sha256} sk SESSION          ttl (epoch seconds)
 *   LOGIN     pk LOGINFAIL#{sha256 of client} sk LOGINFAIL   ttl
 *
 * gsi1 holds each return under its unit's direct parent (the first of the scopes recorded with it)
 * and month: a scope's returns for a month are its leaf-parents' partitions, walked down the
 * registry, so a list reads only the scope's own returns, and the month's writes spread over
 * every parent instead of one PER#{month} partition.
 */
import type { CreateTableCommandInput, UpdateTimeToLiveCommandInput } from "@aws-sdk/client-dynamodb";
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
} from "@aws-sdk/lib-dynamodb";
import type { Month } from "../domain/periods.ts";

export const keys = {
  registry: () => ({ pk: "REG" }),
  unit: (code: string) => ({ pk: "REG", sk: `UNIT#${code}` }),
  registryVersion: () => ({ pk: "REG", sk: "VERSION" }),
  returnItem: (unit: string, period: Month) => ({ pk: `RET#${unit}`, sk: period }),
  returnsOfUnit: (unit: string) => `RET#${unit}`,
  returnsOfParent: (parent: string, period: Month) => `PER#${parent}#${period}`,
  rollupPk: (scope: string) => `ROLL#${scope}`,
  rollup: (scope: string, month: Month, shard: number) => ({
    pk: `ROLL#${scope}`,
    sk: `${month}#${String(shard).padStart(2, "0")}`,
  }),
  upload: (uploadId: string) => ({ pk: `UPL#${uploadId}`, sk: "UPLOAD" }),
  uploadsOfScope: (scope: string) => `UPLOADS#${scope}`,
  failedUploads: () => "UPLFAILED",
  bulletin: (scope: string, period: Month) => ({ pk: `BUL#${scope}`, sk: period }),
  bulletinsOfScope: (scope: string) => `BUL#${scope}`,
  issueSequence: (scope: string, year: number) => ({ pk: `BULSEQ#${scope}`, sk: String(year) }),
  review: (parent: string, month: Month, unit: string) => ({ pk: `REV#${parent}#${month}`, sk: unit }),
  reviewsUnder: (parent: string, month: Month) => `REV#${parent}#${month}`,
  lock: (scope: string, month: Month) => ({ pk: `LOCK#${scope}`, sk: month }),
  locksOf: (scope: string) => `LOCK#${scope}`,
  reminder: (parent: string, month: Month, unit: string) => ({ pk: `REMIND#${parent}#${month}`, sk: unit }),
  reminderDay: (parent: string, month: Month, day: string) => ({
    pk: `REMIND#${parent}#${month}`,
    sk: `DAY#${day}`,
  }),
  remindersUnder: (parent: string, month: Month) => `REMIND#${parent}#${month}`,
  apiKey: (hash: string) => ({ pk: `KEY#${hash}`, sk: "KEY" }),
  apiKeyId: (keyId: string) => ({ pk: `KEYID#${keyId}`, sk: "KEY" }),
  /** gsi2 partition listing every key's by-id item (KeyStore.listKeys). */
  keyList: () => "KEYS",
  session: (tokenHash: string) => ({ pk: `SESSION#${tokenHash}`, sk: "SESSION" }),
  loginFailures: (clientHash: string) => ({ pk: `LOGINFAIL#${clientHash}`, sk: "LOGINFAIL" }),
} as const;

/** Items with this attribute (epoch seconds) are deleted by DynamoDB after that time. */
export const TTL_ATTRIBUTE = "ttl";

export function timeToLiveDefinition(tableName: string): UpdateTimeToLiveCommandInput {
  return { TableName: tableName, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } };
}

/** Returns by the unit's direct parent and month (and, sparse, failed uploads: UPLFAILED). */
export const GSI_BY_PARENT = "gsi1";
/** The same index under its name from when returns were keyed by month alone (upload-store.ts uses it). */
export const GSI_BY_PERIOD = GSI_BY_PARENT;
export const GSI_UPLOADS = "gsi2";

export function tableDefinition(tableName: string): CreateTableCommandInput {
  const s = "S" as const;
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: s },
      { AttributeName: "sk", AttributeType: s },
      { AttributeName: "gsi1pk", AttributeType: s },
      { AttributeName: "gsi1sk", AttributeType: s },
      { AttributeName: "gsi2pk", AttributeType: s },
      { AttributeName: "gsi2sk", AttributeType: s },
    ],
    KeySchema: [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: GSI_BY_PARENT,
        KeySchema: [
          { AttributeName: "gsi1pk", KeyType: "HASH" },
          { AttributeName: "gsi1sk", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
      {
        IndexName: GSI_UPLOADS,
        KeySchema: [
          { AttributeName: "gsi2pk", KeyType: "HASH" },
          { AttributeName: "gsi2sk", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
    ],
  };
}

type Item = Record<string, unknown>;

export type { Item };

/** The table as every store sees it: the document client and the table's name. */
export interface TableRef {
  readonly ddb: DynamoDBDocumentClient;
  readonly name: string;
}

/** Every page of a query (callers bound what they ask for with key conditions). */
export async function queryAll(
  table: TableRef,
  input: Omit<QueryCommandInput, "TableName">,
): Promise<Item[]> {
  const items: Item[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await table.ddb.send(
      new QueryCommand({ ...input, TableName: table.name, ExclusiveStartKey }),
    );
    items.push(...((out.Items ?? []) as Item[]));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** Every item of one type: a full scan, for the rare whole-table jobs (reconcile, rollup scopes). */
export async function scanType(
  table: TableRef,
  type: string,
  projection?: string,
  names: Readonly<Record<string, string>> = {},
): Promise<Item[]> {
  const items: Item[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await table.ddb.send(
      new ScanCommand({
        TableName: table.name,
        FilterExpression: "#type = :type",
        ExpressionAttributeNames: { "#type": "type", ...(projection ? { "#pk": "pk", ...names } : {}) },
        ExpressionAttributeValues: { ":type": type },
        ...(projection ? { ProjectionExpression: projection } : {}),
        ExclusiveStartKey,
      }),
    );
    items.push(...((page.Items ?? []) as Item[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

type WriteRequest = NonNullable<BatchWriteCommandInput["RequestItems"]>[string][number];

/** Batch writes in groups of 25, retrying what DynamoDB leaves unprocessed (with backoff). */
export async function batchWriteAll(table: TableRef, requests: readonly WriteRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let batch: WriteRequest[] = requests.slice(i, i + 25);
    for (let attempt = 0; batch.length; attempt++) {
      const out = await table.ddb.send(new BatchWriteCommand({ RequestItems: { [table.name]: batch } }));
      batch = out.UnprocessedItems?.[table.name] ?? [];
      if (batch.length) await sleep(Math.min(1000, 50 * 2 ** attempt));
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Item attributes as plain values, for the mappers (DynamoDB items are untyped). */
export function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

export function num(v: unknown): number {
  return typeof v === "number" ? v : 0;
}

export function optionalStr(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}
