/**
 * Every route of the API, in the order the documentation lists them. POST /v1/validate is the only
 * route that reads workbooks (SheetJS, ~170 KB zipped): the table takes it as a parameter, so the
 * API function can carry its description only (routes/without-workbooks.ts) while the check
 * function serves it; the local server and the tests use the whole table, ROUTES.
 */
import type { Route } from "../router.ts";
import { aggregatesRoute } from "./aggregates.ts";
import {
  bulletinCasesRoute,
  correctBulletinRoute,
  editBulletinRoute,
  getBulletinRoute,
  listBulletinsRoute,
  renderBulletinRoute,
  signBulletinRoute,
} from "./bulletins.ts";
import { completenessRoute } from "./completeness.ts";
import { explanationsRoute, uploadFileRoute } from "./explanations.ts";
import { healthRoute } from "./health.ts";
import { openApiRoute } from "./openapi.ts";
import { returnsRoute } from "./returns.ts";
import { decideRoute, listReviewsRoute, lockRoute, reviewHistoryRoute } from "./reviews.ts";
import { getUnitRoute, listUnitsRoute } from "./units.ts";
import { createUploadRoute, getUploadRoute, listUploadsRoute } from "./uploads.ts";

export function routeTable(validate: Route): readonly Route[] {
  const table: readonly Route[] = [
    healthRoute,
    aggregatesRoute,
    completenessRoute,
    returnsRoute,
    createUploadRoute,
    listUploadsRoute,
    getUploadRoute,
    explanationsRoute,
    uploadFileRoute,
    validate,
    listBulletinsRoute,
    getBulletinRoute,
    renderBulletinRoute,
    bulletinCasesRoute,
    editBulletinRoute,
    signBulletinRoute,
    correctBulletinRoute,
    listReviewsRoute,
    decideRoute,
    reviewHistoryRoute,
    lockRoute,
    listUnitsRoute,
    getUnitRoute,
    openApiRoute(() => table),
  ];
  return table;
}
