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

/**
 * Looking for the newest month with returns: the first page is small (the newest shard items
 * nearly always have returns), later pages double; at most 254 items in all.
 */
const LATEST_FIRST_PAGE = 2;
const LATEST_MAX_PAGES = 7;

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
    for (let page = 0, limit = LATEST_FIRST_PAGE; page < LATEST_MAX_PAGES; page++, limit *= 2) {
      const out = await this.table.ddb.send(
        new QueryCommand({
          TableName: this.table.name,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": keys.rollupPk(scope) },
          ExpressionAttributeNames: { "#n": REPORTED_COUNTER },
          ScanIndexForward: false,
          Limit: limit,
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
