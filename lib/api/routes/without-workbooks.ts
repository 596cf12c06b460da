/**
 * The API function's route table: every route, but POST /v1/validate and GET /v1/template only as
 * described (for GET /v1/openapi.json). API Gateway sends those to the check function
 * (functions/check.ts), which carries the spreadsheet library; the API function stays within its
 * size budget without it.
 */
import { defineRoute, type Route } from "../router.ts";
import { routeTable } from "./index.ts";
import { TEMPLATE_SPEC } from "./template-spec.ts";
import { VALIDATE_SPEC } from "./validate-spec.ts";

/** Reached only if the HTTP API's routes are misconfigured: a 500, logged, never a silent answer. */
function servedElsewhere(spec: { readonly method: string; readonly path: string }): () => Promise<never> {
  return async () => {
    throw new Error(
      `${spec.method} ${spec.path} is served by the check function (serverless.yml functions.check)`,
    );
  };
}

export const ROUTES_WITHOUT_WORKBOOKS: readonly Route[] = routeTable({
  validate: defineRoute({ ...VALIDATE_SPEC, handle: servedElsewhere(VALIDATE_SPEC) }),
  template: defineRoute({ ...TEMPLATE_SPEC, handle: servedElsewhere(TEMPLATE_SPEC) }),
});
