/**
 * HTTP API Lambda authorizer: checks the API key against the stored hashes (see lib/api/authorizer.ts).
 * Wired from the clients and the store alone, not createServices(): the authorizer runs before
 * every request, and the registry code (iconv tables, papaparse) would only slow its cold start.
 */
import { createAuthorizer } from "../lib/api/authorizer.ts";
import { createDynamoClient } from "../lib/aws/clients.ts";
import { DynamoKeyStore } from "../lib/aws/key-store.ts";
import { DynamoSessionStore } from "../lib/aws/session-store.ts";
import { loadConfig } from "../lib/config.ts";

const config = loadConfig(process.env);
const table = { ddb: createDynamoClient(config), name: config.TABLE_NAME };

export const handler = createAuthorizer(new DynamoKeyStore(table), {
  cacheSeconds: config.API_KEY_CACHE_SECONDS,
  sessions: new DynamoSessionStore(table),
});
