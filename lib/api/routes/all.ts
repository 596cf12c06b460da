/** The whole route table, POST /v1/validate and GET /v1/template included: the local server, the CLI and the tests. */
import type { Route } from "../router.ts";
import { routeTable } from "./index.ts";
import { templateRoute } from "./template.ts";
import { validateRoute } from "./validate.ts";

export const ROUTES: readonly Route[] = routeTable({ validate: validateRoute, template: templateRoute });
