/**
 * ReturnsStore over one DynamoDB table (see table.ts for the layout). Every return write is
 * conditional on the revision that was read; rollups only ever receive ADDs of pre-summed deltas,
 * in the same transaction as the return writes that cause them.
 */
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { addCounters, type Counters, type MonthRollup, readRollup, type StockValues } from "../aggregate.ts";
import { type IndicatorKey, isIndicatorKey, type Values, zeroValues } from "../catalogue.ts";
import type { TextKey } from "../header.ts";
import type { ValidationIssue } from "../issues.ts";
import type { Month } from "../periods.ts";
import type { ReturnWrite, StoredReturn } from "../plan.ts";
import {
  type ApiKeyRecord,
  type BulletinRecord,
  type BulletinStore,
  type KeyStore,
  type ReturnsStore,
  type RollupWrite,
  type UploadRecord,
  WriteConflict,
} from "../ports.ts";
import type { Unit } from "../registry.ts";
import { GSI_BY_PERIOD, GSI_UPLOADS, keys } from "./table.ts";

type Item = Record<string, unknown>;

/**
 * Write accounting for benchmarks: items written by the pipeline's writes (transaction items and
 * upload records) and the write capacity DynamoDB reports for them.
 */
export interface WriteStats {
  transactions: number;
  writeItems: number;
  conflicts: number;
  consumedWcu: number;
}

export class DynamoReturnsStore implements ReturnsStore, KeyStore, BulletinStore {
  readonly stats: WriteStats = { transactions: 0, writeItems: 0, conflicts: 0, consumedWcu: 0 };

  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async loadRegistry(): Promise<readonly Unit[]> {
    const items = await this.#queryAll({
      TableName: this.table,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :unit)",
      ExpressionAttributeValues: { ":pk": keys.registry().pk, ":unit": "UNIT#" },
    });
    return items.map((i) => ({
      code: String(i.code),
      name: String(i.name),
      parentCode: typeof i.parentCode === "string" && i.parentCode !== "" ? i.parentCode : null,
    }));
  }

  async saveRegistry(units: readonly Unit[]): Promise<void> {
    const existing = await this.loadRegistry();
    const keep = new Set(units.map((u) => u.code));
    const requests = [
      ...units.map((u) => ({
        PutRequest: {
          Item: {
            ...keys.unit(u.code),
            type: "UNIT",
            code: u.code,
            name: u.name,
            parentCode: u.parentCode ?? "",
          },
        },
      })),
      ...existing
        .filter((u) => !keep.has(u.code))
        .map((u) => ({ DeleteRequest: { Key: keys.unit(u.code) } })),
    ];
    for (let i = 0; i < requests.length; i += 25) {
      let batch: (typeof requests)[number][] = requests.slice(i, i + 25);
      for (let attempt = 0; batch.length; attempt++) {
        const out = await this.ddb.send(new BatchWriteCommand({ RequestItems: { [this.table]: batch } }));
        batch = (out.UnprocessedItems?.[this.table] ?? []) as typeof batch;
        if (batch.length) await sleep(Math.min(1000, 50 * 2 ** attempt));
      }
    }
    // Written last: a reader that sees the new stamp sees the whole new registry.
    await this.ddb.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...keys.registryVersion(),
          type: "REGISTRY",
          version: `${new Date().toISOString()}#${units.length}#${Math.random().toString(36).slice(2, 10)}`,
          units: units.length,
        },
      }),
    );
  }

  async registryVersion(): Promise<string | undefined> {
    const out = await this.ddb.send(
      new GetCommand({ TableName: this.table, Key: keys.registryVersion(), ConsistentRead: true }),
    );
    return typeof out.Item?.version === "string" ? out.Item.version : undefined;
  }

  async unitReturns(unit: string): Promise<StoredReturn[]> {
    const items = await this.#queryAll({
      TableName: this.table,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.returnsOfUnit(unit) },
      ConsistentRead: true,
    });
    return items.map(toStoredReturn);
  }

  async periodReturns(month: Month): Promise<StoredReturn[]> {
    const items = await this.#queryAll({
      TableName: this.table,
      IndexName: GSI_BY_PERIOD,
      KeyConditionExpression: "gsi1pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.returnsOfPeriod(month) },
    });
    return items.map(toStoredReturn);
  }

  async allReturns(): Promise<StoredReturn[]> {
    return (await this.#scanType("RETURN")).map(toStoredReturn);
  }

  async applyTransaction(writes: readonly ReturnWrite[], rollups: readonly RollupWrite[]): Promise<void> {
    const TransactItems: NonNullable<TransactWriteCommandInput["TransactItems"]> = [];
    for (const w of writes) {
      TransactItems.push({
        Put: {
          TableName: this.table,
          Item: fromStoredReturn(w.after),
          // Why: the delta we add to rollups is exact only if the item is still what we read.
          ...(w.before
            ? {
                ConditionExpression: "rev = :rev",
                ExpressionAttributeValues: { ":rev": w.before.rev },
              }
            : { ConditionExpression: "attribute_not_exists(pk)" }),
        },
      });
    }
    for (const r of rollups) {
      const names: Record<string, string> = { "#scope": "scope", "#month": "month", "#type": "type" };
      const values: Record<string, unknown> = { ":scope": r.scope, ":month": r.month, ":type": "ROLLUP" };
      const adds: string[] = [];
      Object.entries(r.counters).forEach(([counter, amount], i) => {
        names[`#c${i}`] = counter;
        values[`:c${i}`] = amount;
        adds.push(`#c${i} :c${i}`);
      });
      TransactItems.push({
        Update: {
          TableName: this.table,
          Key: keys.rollup(r.scope, r.month, r.shard),
          UpdateExpression: `SET #scope = :scope, #month = :month, #type = :type ADD ${adds.join(", ")}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      });
    }
    if (TransactItems.length === 0) return;
    if (TransactItems.length > 100) throw new Error(`transaction of ${TransactItems.length} items (max 100)`);
    try {
      const out = await this.ddb.send(
        new TransactWriteCommand({ TransactItems, ReturnConsumedCapacity: "TOTAL" }),
      );
      this.stats.transactions++;
      this.stats.writeItems += TransactItems.length;
      for (const c of out.ConsumedCapacity ?? []) this.stats.consumedWcu += c.CapacityUnits ?? 0;
    } catch (err) {
      if (err instanceof TransactionCanceledException) {
        this.stats.conflicts++;
        const reasons = (err.CancellationReasons ?? [])
          .map((r) => r.Code ?? "None")
          .filter((c) => c !== "None");
        throw new WriteConflict(`transaction cancelled: ${reasons.join(",")}`, reasons);
      }
      throw err;
    }
  }

  async rollupCounters(scope: string, from: Month, to: Month): Promise<Map<Month, Counters>> {
    const items = await this.#queryAll({
      TableName: this.table,
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
    const scopes = new Set<string>();
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.ddb.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: "begins_with(pk, :p)",
          ExpressionAttributeValues: { ":p": "ROLL#" },
          ProjectionExpression: "pk",
          ExclusiveStartKey,
        }),
      );
      for (const i of out.Items ?? []) scopes.add(String(i.pk).slice(5));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return [...scopes];
  }

  async overwriteRollup(scope: string, month: Month, counters: Counters, shards: number): Promise<void> {
    // Shard 0 takes the exact figures; the other shards are emptied.
    for (let shard = 0; shard < shards; shard++) {
      await this.ddb.send(
        new PutCommand({
          TableName: this.table,
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
    const out = await this.ddb.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.rollupPk(scope) },
        ScanIndexForward: false,
        // Every shard of the newest months: enough to find one with returns.
        Limit: 64 * 3,
        ProjectionExpression: "sk, n_reported",
      }),
    );
    const withData = (out.Items ?? []).find((i) => Number(i.n_reported ?? 0) > 0);
    return withData ? String(withData.sk).slice(0, 7) : undefined;
  }

  async putUpload(record: UploadRecord): Promise<void> {
    this.stats.writeItems++;
    const out = await this.ddb.send(
      new PutCommand({
        ReturnConsumedCapacity: "TOTAL",
        TableName: this.table,
        Item: {
          ...keys.upload(record.uploadId),
          type: "UPLOAD",
          gsi2pk: keys.uploadsOfScope(record.scope),
          gsi2sk: `${record.receivedAt}#${record.uploadId}`,
          ...record,
        },
      }),
    );
    this.stats.consumedWcu += out.ConsumedCapacity?.CapacityUnits ?? 0;
  }

  async getUpload(uploadId: string): Promise<UploadRecord | undefined> {
    const out = await this.ddb.send(
      new GetCommand({ TableName: this.table, Key: keys.upload(uploadId), ConsistentRead: true }),
    );
    return out.Item ? toUploadRecord(out.Item) : undefined;
  }

  async listUploads(scope: string | undefined, limit: number): Promise<UploadRecord[]> {
    if (!scope) return [];
    const out = await this.ddb.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: GSI_UPLOADS,
        KeyConditionExpression: "gsi2pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.uploadsOfScope(scope) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(toUploadRecord);
  }

  async getKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.table, Key: keys.apiKey(hash) }));
    return out.Item ? toKeyRecord(out.Item) : undefined;
  }

  async putKey(record: ApiKeyRecord): Promise<void> {
    await this.ddb.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.apiKey(record.hash), type: "APIKEY", ...record },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  }

  async listKeys(): Promise<ApiKeyRecord[]> {
    const records = (await this.#scanType("APIKEY")).map(toKeyRecord);
    return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async revokeKey(keyId: string, at: string): Promise<boolean> {
    const found = (await this.listKeys()).find((k) => k.keyId === keyId);
    if (!found) return false;
    await this.ddb.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.apiKey(found.hash), type: "APIKEY", ...found, revokedAt: found.revokedAt ?? at },
      }),
    );
    return true;
  }

  async getBulletin(scope: string, period: Month): Promise<BulletinRecord | undefined> {
    const out = await this.ddb.send(
      new GetCommand({ TableName: this.table, Key: keys.bulletin(scope, period), ConsistentRead: true }),
    );
    return out.Item ? toBulletinRecord(out.Item) : undefined;
  }

  async listBulletins(scope: string): Promise<BulletinRecord[]> {
    const items = await this.#queryAll({
      TableName: this.table,
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
    const out = await this.ddb.send(
      new UpdateCommand({
        TableName: this.table,
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
    await this.ddb.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.bulletin(record.scope, record.period), type: "BULLETIN", ...record },
      }),
    );
  }

  /** Every item of one type: a full scan, for the rare whole-table jobs (reconcile, key listing). */
  async #scanType(type: string): Promise<Item[]> {
    const items: Item[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.ddb.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: "#type = :type",
          ExpressionAttributeNames: { "#type": "type" },
          ExpressionAttributeValues: { ":type": type },
          ExclusiveStartKey,
        }),
      );
      items.push(...((page.Items ?? []) as Item[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  async #queryAll(input: QueryCommandInput): Promise<Item[]> {
    const items: Item[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.ddb.send(new QueryCommand({ ...input, ExclusiveStartKey }));
      items.push(...((out.Items ?? []) as Item[]));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function countersOf(item: Item): Counters {
  const out: Counters = {};
  for (const [name, value] of Object.entries(item)) {
    if (
      (name.startsWith("v_") || name.startsWith("n_") || name.startsWith("x_")) &&
      typeof value === "number"
    ) {
      out[name] = value;
    }
  }
  return out;
}

function fromStoredReturn(r: StoredReturn): Item {
  return {
    ...keys.returnItem(r.unit, r.period),
    type: "RETURN",
    gsi1pk: keys.returnsOfPeriod(r.period),
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

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
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
    rev: typeof i.rev === "number" ? i.rev : 0,
  };
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

function toBulletinRecord(i: Item): BulletinRecord {
  const num = (v: unknown): number => (typeof v === "number" ? v : 0);
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

function toUploadRecord(i: Item): UploadRecord {
  const { pk: _pk, sk: _sk, gsi2pk: _g, gsi2sk: _s, type: _t, ...rest } = i;
  return rest as unknown as UploadRecord;
}
