/**
 * RETURN items and the transactions that write them. Every return write is conditional on the
 * revision that was read; rollups only ever receive ADDs of pre-summed deltas, in the same
 * transaction as the return writes that cause them.
 */

import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { type IndicatorKey, isIndicatorKey, type Values, zeroValues } from "../domain/catalogue.ts";
import type { Month } from "../domain/periods.ts";
import { LockedMeanwhile, WriteConflict } from "../errors.ts";
import type { TextKey } from "../ingest/header.ts";
import type { ValidationIssue } from "../ingest/issues.ts";
import {
  type CodeSpan,
  type LockKey,
  MAX_TRANSACTION_ITEMS,
  type MonthSpan,
  type ReporterContact,
  type ReturnStore,
  type RollupWrite,
} from "../ports.ts";
import type { StockValues } from "../write/aggregate.ts";
import type { ReturnWrite, StoredReturn } from "../write/plan.ts";
import { unlockedCheck } from "./review-store.ts";
import { rollupUpdate } from "./rollup-store.ts";
import { GSI_BY_PARENT, type Item, keys, queryAll, scanType, str, type TableRef } from "./table.ts";

/** The index partition of a return: its unit's direct parent as recorded (scopes run parent → root). */
function indexKey(r: { unit: string; period: Month; scopes: readonly string[] }): string {
  return keys.returnsOfParent(r.scopes[0] ?? r.unit, r.period);
}

export class DynamoReturnStore implements ReturnStore {
  constructor(private readonly table: TableRef) {}

  async unitReturns(unit: string, span?: MonthSpan): Promise<StoredReturn[]> {
    const items = await queryAll(
      this.table,
      span
        ? {
            KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
            ExpressionAttributeValues: {
              ":pk": keys.returnsOfUnit(unit),
              ":from": span.from,
              ":to": span.to,
            },
          }
        : {
            KeyConditionExpression: "pk = :pk",
            ExpressionAttributeValues: { ":pk": keys.returnsOfUnit(unit) },
            ConsistentRead: true,
          },
    );
    return items.map(toStoredReturn);
  }

  async childReturns(parent: string, month: Month, units?: CodeSpan): Promise<StoredReturn[]> {
    const items = await queryAll(this.table, {
      IndexName: GSI_BY_PARENT,
      KeyConditionExpression: units ? "gsi1pk = :pk AND gsi1sk BETWEEN :first AND :last" : "gsi1pk = :pk",
      ExpressionAttributeValues: {
        ":pk": keys.returnsOfParent(parent, month),
        ...(units ? { ":first": units.first, ":last": units.last } : {}),
      },
    });
    return items.map(toStoredReturn);
  }

  async lastContact(unit: string, before: Month): Promise<ReporterContact | undefined> {
    const out = await this.table.ddb.send(
      new QueryCommand({
        TableName: this.table.name,
        KeyConditionExpression: "pk = :pk AND sk < :before",
        ExpressionAttributeValues: { ":pk": keys.returnsOfUnit(unit), ":before": before },
        ExpressionAttributeNames: { "#period": "period", "#text": "text", "#r": "reporter", "#p": "phone" },
        ProjectionExpression: "#period, #text.#r, #text.#p",
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const item = out.Items?.[0];
    if (!item) return undefined;
    const text = (item.text ?? {}) as Record<string, unknown>;
    return { period: str(item.period), reporter: str(text.reporter), phone: str(text.phone) };
  }

  async allReturns(): Promise<StoredReturn[]> {
    return (await scanType(this.table, "RETURN")).map(toStoredReturn);
  }

  async reindex(fix: boolean): Promise<number> {
    const items = await scanType(this.table, "RETURN", "#pk, sk, gsi1pk, #unit, #period, scopes, rev", {
      "#unit": "unit",
      "#period": "period",
    });
    const stale = items.filter((i) => {
      const scopes = Array.isArray(i.scopes) ? i.scopes.map(String) : [];
      return i.gsi1pk !== indexKey({ unit: str(i.unit), period: str(i.period), scopes });
    });
    if (fix) {
      for (const i of stale) {
        const scopes = Array.isArray(i.scopes) ? i.scopes.map(String) : [];
        // Only the index key changes: no figure moves, so no rollup changes with it.
        await this.table.ddb.send(
          new UpdateCommand({
            TableName: this.table.name,
            Key: { pk: i.pk, sk: i.sk },
            UpdateExpression: "SET gsi1pk = :key, gsi1sk = :unit",
            ConditionExpression: "rev = :rev",
            ExpressionAttributeValues: {
              ":key": indexKey({ unit: str(i.unit), period: str(i.period), scopes }),
              ":unit": str(i.unit),
              ":rev": i.rev,
            },
          }),
        );
      }
    }
    return stale.length;
  }

  async applyTransaction(
    writes: readonly ReturnWrite[],
    rollups: readonly RollupWrite[],
    unlocked: readonly LockKey[] = [],
  ): Promise<void> {
    const TransactItems: NonNullable<TransactWriteCommandInput["TransactItems"]> = [];
    for (const w of writes) {
      TransactItems.push({
        Put: {
          TableName: this.table.name,
          Item: fromStoredReturn(w.after),
          // Why: the delta we add to rollups is exact only if the item is still what we read.
          ...(w.before
            ? { ConditionExpression: "rev = :rev", ExpressionAttributeValues: { ":rev": w.before.rev } }
            : { ConditionExpression: "attribute_not_exists(pk)" }),
        },
      });
    }
    for (const r of rollups) TransactItems.push({ Update: rollupUpdate(this.table.name, r) });
    const guardsFrom = TransactItems.length;
    for (const l of unlocked) {
      // Why: 市级确认 may lock the month between the pipeline's check and this write.
      TransactItems.push(unlockedCheck(this.table.name, l.scope, l.month));
    }
    if (TransactItems.length === 0) return;
    if (TransactItems.length > MAX_TRANSACTION_ITEMS) {
      throw new Error(`transaction of ${TransactItems.length} items (max ${MAX_TRANSACTION_ITEMS})`);
    }
    try {
      await this.table.ddb.send(new TransactWriteCommand({ TransactItems }));
    } catch (err) {
      if (err instanceof TransactionCanceledException) {
        const codes = (err.CancellationReasons ?? []).map((r) => r.Code);
        const locked = unlocked.filter((_, i) => codes[guardsFrom + i] === "ConditionalCheckFailed");
        if (locked.length) throw new LockedMeanwhile(locked.map((l) => `${l.scope}|${l.month}`));
        const reasons = (err.CancellationReasons ?? [])
          .map((r) => r.Code ?? "None")
          .filter((c) => c !== "None");
        throw new WriteConflict(`transaction cancelled: ${reasons.join(",")}`, reasons);
      }
      throw err;
    }
  }
}

function fromStoredReturn(r: StoredReturn): Item {
  return {
    ...keys.returnItem(r.unit, r.period),
    type: "RETURN",
    gsi1pk: indexKey(r),
    gsi1sk: r.unit,
    unit: r.unit,
    period: r.period,
    scopes: [...r.scopes],
    values: { ...r.values },
    blanks: [...r.blanks],
    text: { ...r.text },
    warnings: r.warnings.map((w) => ({ ...w })),
    uploadId: r.uploadId,
    version: r.version,
    submittedAt: r.submittedAt,
    firstSubmittedAt: r.firstSubmittedAt,
    onTime: r.onTime,
    prev: r.prev,
    prevStocks: r.prevStocks,
    onTimeSince: r.onTimeSince,
    rev: r.rev,
  };
}

function valuesOf(raw: unknown): Values {
  const values = zeroValues();
  if (raw && typeof raw === "object") {
    for (const [k, v] of Object.entries(raw)) if (isIndicatorKey(k) && typeof v === "number") values[k] = v;
  }
  return values;
}

function stocksOf(raw: unknown): StockValues | null {
  if (!raw || typeof raw !== "object") return null;
  const out: StockValues = {};
  for (const [k, v] of Object.entries(raw)) if (isIndicatorKey(k) && typeof v === "number") out[k] = v;
  return out;
}

function toStoredReturn(i: Item): StoredReturn {
  const text = (i.text ?? {}) as Record<string, unknown>;
  return {
    unit: str(i.unit),
    period: str(i.period),
    scopes: Array.isArray(i.scopes) ? i.scopes.map(String) : [],
    values: valuesOf(i.values),
    blanks: Array.isArray(i.blanks)
      ? (i.blanks.filter((b) => isIndicatorKey(String(b))) as IndicatorKey[])
      : [],
    text: {
      explanation: str(text.explanation),
      highlight: str(text.highlight),
      reporter: str(text.reporter),
      phone: str(text.phone),
    } satisfies Record<TextKey, string>,
    warnings: Array.isArray(i.warnings) ? (i.warnings as ValidationIssue[]) : [],
    uploadId: str(i.uploadId),
    version: str(i.version),
    submittedAt: str(i.submittedAt),
    firstSubmittedAt: str(i.firstSubmittedAt),
    onTime: i.onTime === true,
    prev: typeof i.prev === "string" ? i.prev : null,
    prevStocks: stocksOf(i.prevStocks),
    onTimeSince: typeof i.onTimeSince === "string" ? i.onTimeSince : null,
    rev: typeof i.rev === "number" ? i.rev : 0,
  };
}
