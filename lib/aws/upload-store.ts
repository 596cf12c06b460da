/**
 * UPLOAD items: one per upload, listed per uploader scope (gsi2), newest first; failed ones are
 * also in a sparse list of their own (gsi1 UPLFAILED) so ops find them across every scope.
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { UploadRecord, UploadStore } from "../ports.ts";
import { GSI_BY_PERIOD, GSI_UPLOADS, type Item, keys, type TableRef } from "./table.ts";

export class DynamoUploadStore implements UploadStore {
  constructor(private readonly table: TableRef) {}

  async putUpload(record: UploadRecord): Promise<void> {
    await this.table.ddb.send(new PutCommand({ TableName: this.table.name, Item: toItem(record) }));
  }

  async claimUpload(record: UploadRecord): Promise<boolean> {
    try {
      await this.table.ddb.send(
        new PutCommand({
          TableName: this.table.name,
          Item: toItem(record),
          // Why: a presigned URL can be used again until it expires; only the first object counts.
          ConditionExpression: "attribute_exists(pk) AND (attribute_not_exists(eTag) OR eTag = :etag)",
          ExpressionAttributeValues: { ":etag": record.eTag ?? "" },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async getUpload(uploadId: string): Promise<UploadRecord | undefined> {
    const out = await this.table.ddb.send(
      new GetCommand({ TableName: this.table.name, Key: keys.upload(uploadId), ConsistentRead: true }),
    );
    return out.Item ? toUploadRecord(out.Item) : undefined;
  }

  async listUploads(scope: string | undefined, limit: number): Promise<UploadRecord[]> {
    if (!scope) return [];
    const out = await this.table.ddb.send(
      new QueryCommand({
        TableName: this.table.name,
        IndexName: GSI_UPLOADS,
        KeyConditionExpression: "gsi2pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.uploadsOfScope(scope) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(toUploadRecord);
  }

  async listFailed(limit: number): Promise<UploadRecord[]> {
    const out = await this.table.ddb.send(
      new QueryCommand({
        TableName: this.table.name,
        IndexName: GSI_BY_PERIOD,
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.failedUploads() },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(toUploadRecord);
  }
}

function toItem(record: UploadRecord): Item {
  return {
    ...keys.upload(record.uploadId),
    type: "UPLOAD",
    gsi2pk: keys.uploadsOfScope(record.scope),
    gsi2sk: `${record.receivedAt}#${record.uploadId}`,
    // A put replaces the whole item: a redriven upload drops out of the failed list by itself.
    ...(record.status === "failed"
      ? { gsi1pk: keys.failedUploads(), gsi1sk: `${record.updatedAt}#${record.uploadId}` }
      : {}),
    ...record,
  };
}

function toUploadRecord(i: Item): UploadRecord {
  const { pk: _pk, sk: _sk, gsi1pk: _f, gsi1sk: _fs, gsi2pk: _g, gsi2sk: _s, type: _t, ...rest } = i;
  return rest as unknown as UploadRecord;
}
