/** UPLOAD items: one per upload, listed per uploader scope (gsi2), newest first. */
import { GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { UploadRecord, UploadStore } from "../ports.ts";
import { GSI_UPLOADS, type Item, keys, type TableRef } from "./table.ts";

export class DynamoUploadStore implements UploadStore {
  constructor(private readonly table: TableRef) {}

  async putUpload(record: UploadRecord): Promise<void> {
    await this.table.ddb.send(
      new PutCommand({
        TableName: this.table.name,
        Item: {
          ...keys.upload(record.uploadId),
          type: "UPLOAD",
          gsi2pk: keys.uploadsOfScope(record.scope),
          gsi2sk: `${record.receivedAt}#${record.uploadId}`,
          ...record,
        },
      }),
    );
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
}

function toUploadRecord(i: Item): UploadRecord {
  const { pk: _pk, sk: _sk, gsi2pk: _g, gsi2sk: _s, type: _t, ...rest } = i;
  return rest as unknown as UploadRecord;
}
