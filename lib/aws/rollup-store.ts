/**
 * ROLLUP items: per (scope, month) counters spread over a few shards against hot keys. They are only
 * ever changed by ADDs inside return transactions (see return-store.ts), or replaced by reconcile.
 */
import { PutCommand, QueryCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import type { Month } from "../domain/periods.ts";
import type { RollupStore, RollupWrite } from "../ports.ts";
import {
  addCounters,
  type Counters,
  isCounterName,
  type MonthRollup,
  REPORTED_COUNTER,
  readRollup,
} from "../write/aggregate.ts";
import { type Item, keys, queryAll, scanType, type TableRef } from "./table.ts";

type Update = NonNullable<NonNullable<TransactWriteCommandInput["TransactItems"]>[number]["Update"]>;

/** The transaction item that ADDs one pre-summed delta to one rollup shard. */
export function rollupUpdate(tableName: string, r: RollupWrite): Update {
  const names: Record<string, string> = { "#scope": "scope", "#month": "month", "#type": "type" };
  const values: Record<string, unknown> = { ":scope": r.scope, ":month": r.month, ":type": "ROLLUP" };
  const adds: string[] = [];
  Object.entries(r.counters).forEach(([counter, amount], i) => {
    names[`#c${i}`] = counter;
    values[`:c${i}`] = amount;
    adds.push(`#c${i} :c${i}`);
  });
  return {
    TableName: tableName,
    Key: keys.rollup(r.scope, r.month, r.shard),
    UpdateExpression: `SET #scope = :scope, #month = :month, #type = :type ADD ${adds.join(", ")}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

function countersOf(item: Item): Counters {
  const out: Counters = {};
  for (const [name, value] of Object.entries(item)) {
    if (isCounterName(name) && typeof value === "number") out[name] = value;
  }
  return out;
}

/** Items per page when looking for the newest month with returns (a month's shards, usually one page). */
const LATEST_PAGE_ITEMS = 8;
/** Give up after this many pages (192 items: years of empty shards would be a bug elsewhere). */
const LATEST_MAX_PAGES = 24;

export class DynamoRollupStore implements RollupStore {
  constructor(private readonly table: TableRef) {}

  async rollupCounters(scope: string, from: Month, to: Month): Promise<Map<Month, Counters>> {
    const items = await queryAll(this.table, {
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
      ExpressionAttributeValues: { ":pk": keys.rollupPk(scope), ":from": `${from}#`, ":to": `${to}#~` },
    });
    const byMonth = new Map<Month, Counters>();
    for (const item of items) {
      const month = String(item.sk).slice(0, 7);
      const counters = byMonth.get(month) ?? {};
      addCounters(counters, countersOf(item));
      byMonth.set(month, counters);
    }
    return byMonth;
  }

  async rollups(scope: string, from: Month, to: Month): Promise<MonthRollup[]> {
    const byMonth = await this.rollupCounters(scope, from, to);
    return [...byMonth.entries()].map(([month, counters]) => readRollup(month, counters));
  }

  async rollupScopes(): Promise<string[]> {
    const items = await scanType(this.table, "ROLLUP", "#pk");
    return [...new Set(items.map((i) => String(i.pk).slice("ROLL#".length)))];
  }

  async overwriteRollup(scope: string, month: Month, counters: Counters, shards: number): Promise<void> {
    // Shard 0 takes the exact figures; the other shards are emptied.
    for (let shard = 0; shard < shards; shard++) {
      await this.table.ddb.send(
        new PutCommand({
          TableName: this.table.name,
          Item: {
            ...keys.rollup(scope, month, shard),
            type: "ROLLUP",
            scope,
            month,
            ...(shard === 0 ? counters : {}),
          },
        }),
      );
    }
  }

  async latestMonth(scope: string): Promise<Month | undefined> {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    for (let page = 0; page < LATEST_MAX_PAGES; page++) {
      const out = await this.table.ddb.send(
        new QueryCommand({
          TableName: this.table.name,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": keys.rollupPk(scope) },
          ExpressionAttributeNames: { "#n": REPORTED_COUNTER },
          ScanIndexForward: false,
          Limit: LATEST_PAGE_ITEMS,
          ProjectionExpression: "sk, #n",
          ExclusiveStartKey,
        }),
      );
      const withData = (out.Items ?? []).find((i) => Number(i[REPORTED_COUNTER] ?? 0) > 0);
      if (withData) return String(withData.sk).slice(0, 7);
      ExclusiveStartKey = out.LastEvaluatedKey;
      if (!ExclusiveStartKey) return undefined;
    }
    return undefined;
  }
}
