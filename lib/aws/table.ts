/**
 * The single-table layout. serverless.yml declares the same keys and indexes; the local runner
 * creates the table from tableDefinition().
 *
 *   UNIT      pk REG              sk UNIT#{code}       (and sk VERSION: the registry's stamp)
 *   RETURN    pk RET#{unit}       sk {YYYY-MM}         gsi1 PER#{YYYY-MM} / {unit}
 *   ROLLUP    pk ROLL#{scope}     sk {YYYY-MM}#{shard}
 *   UPLOAD    pk UPL#{uploadId}   sk UPLOAD            gsi2 UPLOADS#{scope} / {receivedAt}#{id}
 *   BULLETIN  pk BUL#{scope}      sk {YYYY-MM}
 *   ISSUE SEQ pk BULSEQ#{scope}   sk {YYYY}
 *   API KEY   pk KEY#{sha256}     sk KEY
 */
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import type { Month } from "../periods.ts";

export const keys = {
  registry: () => ({ pk: "REG" }),
  unit: (code: string) => ({ pk: "REG", sk: `UNIT#${code}` }),
  registryVersion: () => ({ pk: "REG", sk: "VERSION" }),
  returnItem: (unit: string, period: Month) => ({ pk: `RET#${unit}`, sk: period }),
  returnsOfUnit: (unit: string) => `RET#${unit}`,
  returnsOfPeriod: (period: Month) => `PER#${period}`,
  rollupPk: (scope: string) => `ROLL#${scope}`,
  rollup: (scope: string, month: Month, shard: number) => ({
    pk: `ROLL#${scope}`,
    sk: `${month}#${String(shard).padStart(2, "0")}`,
  }),
  upload: (uploadId: string) => ({ pk: `UPL#${uploadId}`, sk: "UPLOAD" }),
  uploadsOfScope: (scope: string) => `UPLOADS#${scope}`,
  bulletin: (scope: string, period: Month) => ({ pk: `BUL#${scope}`, sk: period }),
  bulletinsOfScope: (scope: string) => `BUL#${scope}`,
  issueSequence: (scope: string, year: number) => ({ pk: `BULSEQ#${scope}`, sk: String(year) }),
  apiKey: (hash: string) => ({ pk: `KEY#${hash}`, sk: "KEY" }),
} as const;

export const GSI_BY_PERIOD = "gsi1";
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
        IndexName: GSI_BY_PERIOD,
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
