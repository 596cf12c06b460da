/**
 * Every route of the API: each resource file lists its own routes (a new route is its definition
 * and its line in that file's list), and this table strings the resources together in the order the
 * documentation lists them. POST /v1/validate (reads workbooks) and GET /v1/template (writes one)
 * are the only routes that need SheetJS (~170 KB zipped): the table takes them as parameters, so
 * the API function can carry their description only (routes/without-workbooks.ts) while the check
 * function serves them; the local server and the tests use the whole table, ROUTES.
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

/** The routes that need the spreadsheet library, given by the caller (served, or described only). */
export interface WorkbookRoutes {
  readonly validate: Route;
  readonly template: Route;
}

export function routeTable(workbooks: WorkbookRoutes): readonly Route[] {
  const table: readonly Route[] = [
    ...healthRoutes,
    ...aggregateRoutes,
    ...completenessRoutes,
    ...returnRoutes,
    ...uploadRoutes,
    ...explanationRoutes,
    workbooks.validate,
    workbooks.template,
    ...bulletinRoutes,
    ...reviewRoutes,
    ...unitRoutes,
    openApiRoute(() => table),
  ];
  return table;
}
