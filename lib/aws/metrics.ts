/**
 * Request accounting as SDK middleware: every command the document client sends is counted with
 * the items it read or wrote and the capacity DynamoDB reports, so benchmarks and the read-cost
 * tests measure what the stores really do, without a counter in each store method.
 */
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export interface TableMetrics {
  /** Commands sent, by name (QueryCommand, TransactWriteItemsCommand …). */
  readonly requests: Record<string, number>;
  readItems: number;
  writeItems: number;
  transactions: number;
  /** Transactions cancelled (a condition failed or another transaction got there first). */
  conflicts: number;
  consumedRcu: number;
  consumedWcu: number;
}

export function emptyMetrics(): TableMetrics {
  return {
    requests: {},
    readItems: 0,
    writeItems: 0,
    transactions: 0,
    conflicts: 0,
    consumedRcu: 0,
    consumedWcu: 0,
  };
}

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;
interface Capacity {
  readonly CapacityUnits?: number;
}

const READS = new Set(["GetCommand", "QueryCommand", "ScanCommand", "BatchGetCommand", "TransactGetCommand"]);

function length(v: unknown): number {
  return Array.isArray(v) ? v.length : 0;
}

function itemsRead(command: string, output: Output): number {
  if (command === "GetCommand") return output.Item ? 1 : 0;
  if (command === "QueryCommand" || command === "ScanCommand") return Number(output.Count ?? 0);
  if (command === "BatchGetCommand") {
    return Object.values((output.Responses ?? {}) as Record<string, unknown>).reduce<number>(
      (n, v) => n + length(v),
      0,
    );
  }
  if (command === "TransactGetCommand") return length(output.Responses);
  return 0;
}

function itemsWritten(command: string, input: Input, output: Output): number {
  if (command === "PutCommand" || command === "UpdateCommand" || command === "DeleteCommand") return 1;
  // Condition checks are read, not written (DynamoDB bills them as reads).
  if (command === "TransactWriteCommand") {
    const items = Array.isArray(input.TransactItems)
      ? (input.TransactItems as Record<string, unknown>[])
      : [];
    return items.filter((i) => !("ConditionCheck" in i)).length;
  }
  if (command === "BatchWriteCommand") {
    const count = (m: unknown) =>
      Object.values((m ?? {}) as Record<string, unknown>).reduce<number>((n, v) => n + length(v), 0);
    return count(input.RequestItems) - count(output.UnprocessedItems);
  }
  return 0;
}

/** The capacity units a response reports (one entry, or one per table of a batch/transaction). */
function capacity(output: Output): number {
  const raw = output.ConsumedCapacity;
  const list = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Capacity[];
  return list.reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
}

/**
 * The document client's command names. The middleware sits on the stack the document client shares
 * with its base client, and depending on the SDK version the context names either command
 * (PutCommand or PutItemCommand): both count the same.
 */
const DOCUMENT_NAMES: Readonly<Record<string, string>> = {
  GetItemCommand: "GetCommand",
  PutItemCommand: "PutCommand",
  UpdateItemCommand: "UpdateCommand",
  DeleteItemCommand: "DeleteCommand",
  BatchGetItemCommand: "BatchGetCommand",
  BatchWriteItemCommand: "BatchWriteCommand",
  TransactGetItemsCommand: "TransactGetCommand",
  TransactWriteItemsCommand: "TransactWriteCommand",
};

export function commandNameOf(name: string): string {
  return DOCUMENT_NAMES[name] ?? name;
}

/** Counts every request of this client (and of the base client it shares its stack with). */
export function countRequests(
  ddb: DynamoDBDocumentClient,
  metrics: TableMetrics = emptyMetrics(),
): TableMetrics {
  ddb.middlewareStack.add(
    (next, context) => async (args) => {
      const command = commandNameOf(String(context.commandName ?? "unknown"));
      metrics.requests[command] = (metrics.requests[command] ?? 0) + 1;
      const input = args.input as Input;
      // Ask for the capacity used: it is what the table is billed for.
      args.input = { ...input, ReturnConsumedCapacity: input.ReturnConsumedCapacity ?? "TOTAL" };
      try {
        const result = await next(args);
        const output = (result.output ?? {}) as Output;
        metrics.readItems += itemsRead(command, output);
        metrics.writeItems += itemsWritten(command, input, output);
        if (command === "TransactWriteCommand") metrics.transactions++;
        if (READS.has(command)) metrics.consumedRcu += capacity(output);
        else metrics.consumedWcu += capacity(output);
        return result;
      } catch (err) {
        if (
          command === "TransactWriteCommand" &&
          (err as { name?: string }).name === "TransactionCanceledException"
        ) {
          metrics.conflicts++;
        }
        throw err;
      }
    },
    { step: "initialize", name: "dangjianRequestMetrics" },
  );
  return metrics;
}
