/** The unit registry in the table: one UNIT item per unit and a version stamp written last. */
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { Contact, Unit } from "../domain/registry.ts";
import type { RegistryStore } from "../ports.ts";
import { batchWriteAll, keys, queryAll, type TableRef } from "./table.ts";

export class DynamoRegistryStore implements RegistryStore {
  constructor(private readonly table: TableRef) {}

  async loadRegistry(): Promise<readonly Unit[]> {
    const items = await queryAll(this.table, {
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :unit)",
      ExpressionAttributeValues: { ":pk": keys.registry().pk, ":unit": "UNIT#" },
    });
    return items.map((i) => ({
      code: String(i.code),
      name: String(i.name),
      parentCode: typeof i.parentCode === "string" && i.parentCode !== "" ? i.parentCode : null,
      ...(i.contact && typeof i.contact === "object" ? { contact: i.contact as Contact } : {}),
    }));
  }

  async saveRegistry(units: readonly Unit[]): Promise<void> {
    const existing = await this.loadRegistry();
    const keep = new Set(units.map((u) => u.code));
    await batchWriteAll(this.table, [
      ...units.map((u) => ({
        PutRequest: {
          Item: {
            ...keys.unit(u.code),
            type: "UNIT",
            code: u.code,
            name: u.name,
            parentCode: u.parentCode ?? "",
            ...(u.contact ? { contact: { ...u.contact } } : {}),
          },
        },
      })),
      ...existing
        .filter((u) => !keep.has(u.code))
        .map((u) => ({ DeleteRequest: { Key: keys.unit(u.code) } })),
    ]);
    // Written last: a reader that sees the new stamp sees the whole new registry.
    await this.table.ddb.send(
      new PutCommand({
        TableName: this.table.name,
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
    const out = await this.table.ddb.send(
      new GetCommand({ TableName: this.table.name, Key: keys.registryVersion(), ConsistentRead: true }),
    );
    return typeof out.Item?.version === "string" ? out.Item.version : undefined;
  }
}
