/** Every store over the one table, as the services and the local runner use them. */
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Stores } from "../ports.ts";
import { DynamoBulletinStore } from "./bulletin-store.ts";
import { DynamoKeyStore } from "./key-store.ts";
import { DynamoRegistryStore } from "./registry-store.ts";
import { DynamoReminderStore } from "./reminder-store.ts";
import { DynamoReturnStore } from "./return-store.ts";
import { DynamoReviewStore } from "./review-store.ts";
import { DynamoRollupStore } from "./rollup-store.ts";
import { DynamoSessionStore } from "./session-store.ts";
import { DynamoUploadStore } from "./upload-store.ts";

export function createStores(ddb: DynamoDBDocumentClient, tableName: string): Stores {
  const table = { ddb, name: tableName };
  return {
    registry: new DynamoRegistryStore(table),
    returns: new DynamoReturnStore(table),
    rollups: new DynamoRollupStore(table),
    uploads: new DynamoUploadStore(table),
    keys: new DynamoKeyStore(table),
    bulletins: new DynamoBulletinStore(table),
    reviews: new DynamoReviewStore(table),
    reminders: new DynamoReminderStore(table),
    sessions: new DynamoSessionStore(table),
  };
}
