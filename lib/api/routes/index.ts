/**
 * Every route of the API: each resource file lists its own routes (a new route is its definition
 * and its line in that file's list), and this table strings the resources together in the order the
 * documentation lists them. POST /v1/validate is the only route that reads workbooks (SheetJS,
 * ~170 KB zipped): the table takes it as a parameter, so the API function can carry its
 * description only (routes/without-workbooks.ts) while the check function serves it; the local
 * server and the tests use the whole table, ROUTES.
 */
import type { Route } from "../router.ts";
import { aggregateRoutes } from "./aggregates.ts";
import { bulletinRoutes } from "./bulletins.ts";
import { completenessRoutes } from "./completeness.ts";
import { explanationRoutes } from "./explanations.ts";
import { healthRoutes } from "./health.ts";
import { openApiRoute } from "./openapi.ts";
import { returnRoutes } from "./returns.ts";
import { reviewRoutes } from "./reviews.ts";
import { unitRoutes } from "./units.ts";
import { uploadRoutes } from "./uploads.ts";

export function routeTable(validate: Route): readonly Route[] {
  const table: readonly Route[] = [
    ...healthRoutes,
    ...aggregateRoutes,
    ...completenessRoutes,
    ...returnRoutes,
    ...uploadRoutes,
    ...explanationRoutes,
    validate,
    ...bulletinRoutes,
    ...reviewRoutes,
    ...unitRoutes,
    openApiRoute(() => table),
  ];
  return table;
}
