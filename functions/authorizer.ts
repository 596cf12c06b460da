/** HTTP API Lambda authorizer: checks the API key against the stored hashes (see lib/api/authorizer.ts). */
import { createAuthorizer } from "../lib/api/authorizer.ts";
import { createServices } from "../lib/aws/services.ts";
import { loadConfig } from "../lib/config.ts";

const services = createServices(loadConfig(process.env));

export const handler = createAuthorizer(services.store);
