/**
 * REVIEW and LOCK items (see table.ts). A decision is written in one transaction with two checks:
 * the unit's RETURN item is still the version decided on, and its 片区's month is not locked.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { Month } from "../domain/periods.ts";
import type { DecisionOutcome, ReviewStore } from "../ports.ts";
import type { LockRecord, ReviewEvent, ReviewRecord } from "../workflow/review.ts";
import { type Item, keys, queryAll, str, type TableRef } from "./table.ts";

/**
 * The transaction check that a 片区-month is not locked (no lock item yet, or one opened again):
 * a review decision and a return write both carry it.
 */
export function unlockedCheck(tableName: string, scope: string, month: Month) {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: keys.lock(scope, month),
      ConditionExpression: "attribute_not_exists(pk) OR #lockState = :open",
      ExpressionAttributeNames: { "#lockState": "lockState" },
      ExpressionAttributeValues: { ":open": "open" },
    },
  };
}

export class DynamoReviewStore implements ReviewStore {
  constructor(private readonly table: TableRef) {}

  async getReview(scope: string, unit: string, month: Month): Promise<ReviewRecord | undefined> {
    const out = await this.table.ddb.send(
      new GetCommand({
        TableName: this.table.name,
        Key: keys.review(scope, month, unit),
        ConsistentRead: true,
      }),
    );
    return out.Item ? toReview(out.Item) : undefined;
  }

  async reviewsUnder(scope: string, month: Month): Promise<ReviewRecord[]> {
    const items = await queryAll(this.table, {
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.reviewsUnder(scope, month) },
      ConsistentRead: true,
    });
    return items.map(toReview);
  }

  async decide(record: ReviewRecord): Promise<DecisionOutcome> {
    const current = await this.getReview(record.scope, record.unit, record.month);
    if (
      current &&
      current.action === record.action &&
      current.version === record.version &&
      current.reason === record.reason
    ) {
      return "unchanged";
    }
    try {
      await this.table.ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.table.name,
                Key: keys.returnItem(record.unit, record.month),
                ConditionExpression: "version = :version",
                ExpressionAttributeValues: { ":version": record.version },
              },
            },
            unlockedCheck(this.table.name, record.scope, record.month),
            {
              Put: {
                TableName: this.table.name,
                Item: {
                  ...keys.review(record.scope, record.month, record.unit),
                  type: "REVIEW",
                  ...record,
                  history: record.history.map((h) => ({ ...h })),
                },
              },
            },
          ],
        }),
      );
      return "ok";
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [version, lock] = (err.CancellationReasons ?? []).map((r) => r.Code);
      if (version === "ConditionalCheckFailed") return "stale";
      if (lock === "ConditionalCheckFailed") return "locked";
      throw err;
    }
  }

  async getLock(scope: string, month: Month): Promise<LockRecord | undefined> {
    const out = await this.table.ddb.send(
      new GetCommand({ TableName: this.table.name, Key: keys.lock(scope, month), ConsistentRead: true }),
    );
    return out.Item ? toLock(out.Item) : undefined;
  }

  async locksOf(scope: string, from: Month, to: Month): Promise<LockRecord[]> {
    const items = await queryAll(this.table, {
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
      ExpressionAttributeValues: { ":pk": keys.locksOf(scope), ":from": from, ":to": to },
      ConsistentRead: true,
    });
    return items.map(toLock);
  }

  async moveLock(record: LockRecord, from: readonly (LockRecord["state"] | undefined)[]): Promise<boolean> {
    const states = from.filter((s): s is LockRecord["state"] => s !== undefined);
    const parts = [
      ...(from.includes(undefined) ? ["attribute_not_exists(pk)"] : []),
      ...states.map((_, i) => `#lockState = :s${i}`),
    ];
    try {
      await this.table.ddb.send(
        new PutCommand({
          TableName: this.table.name,
          Item: {
            ...keys.lock(record.scope, record.month),
            type: "LOCK",
            scope: record.scope,
            month: record.month,
            // "state" is a DynamoDB reserved word: stored as lockState.
            lockState: record.state,
            by: record.by,
            at: record.at,
            reason: record.reason,
            unreported: [...record.unreported],
            history: record.history.map((h) => ({ ...h })),
          },
          ConditionExpression: parts.join(" OR "),
          ...(states.length ? { ExpressionAttributeNames: { "#lockState": "lockState" } } : {}),
          ...(states.length
            ? { ExpressionAttributeValues: Object.fromEntries(states.map((s, i) => [`:s${i}`, s])) }
            : {}),
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}

function events(raw: unknown): ReviewEvent[] {
  return Array.isArray(raw) ? (raw as ReviewEvent[]) : [];
}

function toReview(i: Item): ReviewRecord {
  return {
    scope: str(i.scope),
    unit: str(i.unit),
    month: str(i.month),
    action: i.action === "return" ? "return" : "approve",
    version: str(i.version),
    by: str(i.by),
    at: str(i.at),
    reason: typeof i.reason === "string" ? i.reason : undefined,
    history: events(i.history),
  };
}

function toLock(i: Item): LockRecord {
  const state = i.lockState === "locked" || i.lockState === "locking" ? i.lockState : "open";
  return {
    scope: str(i.scope),
    month: str(i.month),
    state,
    by: str(i.by),
    at: str(i.at),
    reason: typeof i.reason === "string" ? i.reason : undefined,
    unreported: Array.isArray(i.unreported) ? i.unreported.map(String) : [],
    history: events(i.history),
  };
}
