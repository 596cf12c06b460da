/** BULLETIN items (one per scope and month) and the per-scope, per-year 期号 counter. */
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Month } from "../domain/periods.ts";
import type { BulletinRecord, BulletinStore } from "../ports.ts";
import { type Item, keys, num, queryAll, str, type TableRef } from "./table.ts";

export class DynamoBulletinStore implements BulletinStore {
  constructor(private readonly table: TableRef) {}

  async getBulletin(scope: string, period: Month): Promise<BulletinRecord | undefined> {
    const out = await this.table.ddb.send(
      new GetCommand({ TableName: this.table.name, Key: keys.bulletin(scope, period), ConsistentRead: true }),
    );
    return out.Item ? toBulletinRecord(out.Item) : undefined;
  }

  async listBulletins(scope: string): Promise<BulletinRecord[]> {
    const items = await queryAll(this.table, {
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.bulletinsOfScope(scope) },
      ScanIndexForward: false,
    });
    return items.map(toBulletinRecord);
  }

  async issueNumberFor(scope: string, period: Month): Promise<number> {
    const existing = await this.getBulletin(scope, period);
    if (existing) return existing.issueNumber;
    // Why a counter and not "count the year's bulletins": numbers must never be reused, even if a
    // bulletin is withdrawn; a rare race between two first renders only skips a number.
    const out = await this.table.ddb.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: keys.issueSequence(scope, Number(period.slice(0, 4))),
        UpdateExpression: "ADD #n :one",
        ExpressionAttributeNames: { "#n": "last" },
        ExpressionAttributeValues: { ":one": 1 },
        ReturnValues: "UPDATED_NEW",
      }),
    );
    return Number(out.Attributes?.last ?? 1);
  }

  async putBulletin(record: BulletinRecord): Promise<void> {
    await this.table.ddb.send(
      new PutCommand({
        TableName: this.table.name,
        Item: { ...keys.bulletin(record.scope, record.period), type: "BULLETIN", ...record },
      }),
    );
  }
}

function toBulletinRecord(i: Item): BulletinRecord {
  return {
    scope: str(i.scope),
    period: str(i.period),
    issueNumber: num(i.issueNumber),
    revision: num(i.revision),
    key: str(i.key),
    pages: num(i.pages),
    bytes: num(i.bytes),
    renderMs: num(i.renderMs),
    createdAt: str(i.createdAt),
    updatedAt: str(i.updatedAt),
  };
}
