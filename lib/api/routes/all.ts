/** The whole route table, POST /v1/validate included: the local server, the CLI and the tests. */
import type { Route } from "../router.ts";
import { routeTable } from "./index.ts";
import { validateRoute } from "./validate.ts";

export const ROUTES: readonly Route[] = routeTable(validateRoute);
