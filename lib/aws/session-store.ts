/**
 * Portal sessions and failed-login counters, over the one table (pk SESSION#{sha256 of token},
 * pk LOGINFAIL#{sha256 of client}). Both carry the TTL attribute, so DynamoDB removes them after
 * they end; reads still check expiresAt, because TTL deletion can lag by hours.
 * The authorizer's bundle imports this file: it must stay free of the domain's heavier code.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { LoginFailures, SessionRecord, SessionStore } from "../ports.ts";
import { type Item, keys, num, str, type TableRef, TTL_ATTRIBUTE } from "./table.ts";

export class DynamoSessionStore implements SessionStore {
  constructor(private readonly table: TableRef) {}

  async putSession(record: SessionRecord): Promise<void> {
    await this.table.ddb.send(
      new PutCommand({
        TableName: this.table.name,
        Item: {
          ...keys.session(record.tokenHash),
          type: "SESSION",
          ...record,
          [TTL_ATTRIBUTE]: record.expiresAt,
        },
        // A token is random: a collision would mean the generator is broken, not a retry.
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  }

  async getSession(tokenHash: string): Promise<SessionRecord | undefined> {
    const out = await this.table.ddb.send(
      new GetCommand({ TableName: this.table.name, Key: keys.session(tokenHash), ConsistentRead: true }),
    );
    return out.Item ? toSession(out.Item) : undefined;
  }

  async touchSession(tokenHash: string, lastSeenAt: string, expiresAt: number): Promise<void> {
    try {
      await this.table.ddb.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.session(tokenHash),
          UpdateExpression: "SET lastSeenAt = :seen, expiresAt = :exp, #ttl = :exp",
          // Never bring back a session that 退出 deleted meanwhile.
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeNames: { "#ttl": TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ":seen": lastSeenAt, ":exp": expiresAt },
        }),
      );
    } catch (err) {
      if ((err as { name?: string }).name !== "ConditionalCheckFailedException") throw err;
    }
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.table.ddb.send(
      new DeleteCommand({ TableName: this.table.name, Key: keys.session(tokenHash) }),
    );
  }

  async loginFailures(client: string, now: Date): Promise<LoginFailures | undefined> {
    const out = await this.table.ddb.send(
      new GetCommand({ TableName: this.table.name, Key: keys.loginFailures(client), ConsistentRead: true }),
    );
    if (!out.Item || num(out.Item[TTL_ATTRIBUTE]) * 1000 <= now.getTime()) return undefined;
    return { count: num(out.Item.count), lastAt: str(out.Item.lastAt) };
  }

  async recordLoginFailure(client: string, at: Date, windowSeconds: number): Promise<LoginFailures> {
    const nowSeconds = Math.floor(at.getTime() / 1000);
    const values = {
      ":one": 1,
      ":at": at.toISOString(),
      ":exp": nowSeconds + windowSeconds,
      ":type": "LOGINFAIL",
    };
    const names = { "#count": "count", "#ttl": TTL_ATTRIBUTE, "#type": "type" };
    try {
      const out = await this.table.ddb.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.loginFailures(client),
          // ADD is atomic: concurrent failures from one client are all counted.
          UpdateExpression: "ADD #count :one SET lastAt = :at, #ttl = :exp, #type = :type",
          // An expired counter that TTL has not removed yet starts again from one.
          ConditionExpression: "attribute_not_exists(pk) OR #ttl > :now",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...values, ":now": nowSeconds },
          ReturnValues: "ALL_NEW",
        }),
      );
      return { count: num(out.Attributes?.count), lastAt: str(out.Attributes?.lastAt) };
    } catch (err) {
      if ((err as { name?: string }).name !== "ConditionalCheckFailedException") throw err;
      await this.table.ddb.send(
        new PutCommand({
          TableName: this.table.name,
          Item: {
            ...keys.loginFailures(client),
            type: "LOGINFAIL",
            count: 1,
            lastAt: values[":at"],
            [TTL_ATTRIBUTE]: values[":exp"],
          },
        }),
      );
      return { count: 1, lastAt: values[":at"] };
    }
  }

  async clearLoginFailures(client: string): Promise<void> {
    await this.table.ddb.send(
      new DeleteCommand({ TableName: this.table.name, Key: keys.loginFailures(client) }),
    );
  }
}

function toSession(i: Item): SessionRecord {
  return {
    tokenHash: str(i.tokenHash),
    keyId: str(i.keyId),
    keyHash: str(i.keyHash),
    role: i.role === "ops" ? "ops" : "unit",
    unit: typeof i.unit === "string" && i.unit ? i.unit : null,
    createdAt: str(i.createdAt),
    lastSeenAt: str(i.lastSeenAt),
    expiresAt: num(i.expiresAt),
  };
}
