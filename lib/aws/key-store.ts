/**
 * API keys: only the SHA-256 of each key is stored (pk KEY#{hash}). The authorizer's bundle
 * imports this file alone, so it must not reach the catalogue or the ingest code.
 */
import { GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { ApiKeyRecord, KeyStore } from "../ports.ts";
import { GSI_UPLOADS, type Item, keys, queryAll, str, type TableRef } from "./table.ts";

/**
 * The by-id items are also listed in gsi2 under one partition (KEYS / createdAt#keyId), so the
 * key list is a query, not a scan of the whole table. Keys are few: one partition is plenty.
 */
const listed = (record: ApiKeyRecord) => ({
  gsi2pk: keys.keyList(),
  gsi2sk: `${record.createdAt}#${record.keyId}`,
});

export class DynamoKeyStore implements KeyStore {
  constructor(private readonly table: TableRef) {}

  async getKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const out = await this.table.ddb.send(
      new GetCommand({ TableName: this.table.name, Key: keys.apiKey(hash) }),
    );
    return out.Item ? toKeyRecord(out.Item) : undefined;
  }

  async getKeyById(keyId: string): Promise<ApiKeyRecord | undefined> {
    const out = await this.table.ddb.send(
      new GetCommand({ TableName: this.table.name, Key: keys.apiKeyId(keyId) }),
    );
    return out.Item ? toKeyRecord(out.Item) : undefined;
  }

  async putKey(record: ApiKeyRecord): Promise<void> {
    // Two items, written together: by hash (the authorizer's lookup) and by id (revoke, the pipeline).
    await this.table.ddb.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table.name,
              Item: { ...keys.apiKey(record.hash), type: "APIKEY", ...record },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          {
            Put: {
              TableName: this.table.name,
              Item: { ...keys.apiKeyId(record.keyId), ...listed(record), type: "APIKEYID", ...record },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
        ],
      }),
    );
  }

  async listKeys(): Promise<ApiKeyRecord[]> {
    const items = await queryAll(this.table, {
      IndexName: GSI_UPLOADS,
      KeyConditionExpression: "gsi2pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.keyList() },
    });
    return items.map(toKeyRecord).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async revokeKey(keyId: string, at: string): Promise<boolean> {
    const found = await this.getKeyById(keyId);
    if (!found) return false;
    const revoked = { ...found, revokedAt: found.revokedAt ?? at };
    await this.table.ddb.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table.name,
              Item: { ...keys.apiKey(found.hash), type: "APIKEY", ...revoked },
            },
          },
          {
            Put: {
              TableName: this.table.name,
              Item: { ...keys.apiKeyId(keyId), ...listed(revoked), type: "APIKEYID", ...revoked },
            },
          },
        ],
      }),
    );
    return true;
  }
}

function toKeyRecord(i: Item): ApiKeyRecord {
  return {
    keyId: str(i.keyId),
    hash: str(i.hash),
    role: i.role === "ops" ? "ops" : "unit",
    unit: typeof i.unit === "string" && i.unit ? i.unit : null,
    label: typeof i.label === "string" ? i.label : undefined,
    createdAt: str(i.createdAt),
    revokedAt: typeof i.revokedAt === "string" ? i.revokedAt : undefined,
  };
}
