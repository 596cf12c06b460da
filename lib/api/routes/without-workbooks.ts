/**
 * The API function's route table: every route, but POST /v1/validate only as described (for
 * GET /v1/openapi.json). API Gateway sends that route to the check function (functions/check.ts),
 * which carries the workbook reader; the API function stays within its size budget without it.
 */
import { defineRoute, type Route } from "../router.ts";
import { routeTable } from "./index.ts";
import { VALIDATE_SPEC } from "./validate-spec.ts";

const servedElsewhere = defineRoute({
  ...VALIDATE_SPEC,
  async handle() {
    // Reached only if the HTTP API's routes are misconfigured: a 500, logged, never a silent answer.
    throw new Error("POST /v1/validate is served by the check function (serverless.yml functions.check)");
  },
});

export const ROUTES_WITHOUT_WORKBOOKS: readonly Route[] = routeTable(servedElsewhere);
