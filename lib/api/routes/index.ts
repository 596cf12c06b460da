/** Every route of the API, in the order the documentation lists them. */
import type { Route } from "../router.ts";
import { aggregatesRoute } from "./aggregates.ts";
import { getBulletinRoute, listBulletinsRoute, renderBulletinRoute } from "./bulletins.ts";
import { completenessRoute } from "./completeness.ts";
import { explanationsRoute, uploadFileRoute } from "./explanations.ts";
import { healthRoute } from "./health.ts";
import { openApiRoute } from "./openapi.ts";
import { returnsRoute } from "./returns.ts";
import { decideRoute, listReviewsRoute, lockRoute, reviewHistoryRoute } from "./reviews.ts";
import { getUnitRoute, listUnitsRoute } from "./units.ts";
import { createUploadRoute, getUploadRoute, listUploadsRoute } from "./uploads.ts";
import { validateRoute } from "./validate.ts";

export const ROUTES: readonly Route[] = [
  healthRoute,
  aggregatesRoute,
  completenessRoute,
  returnsRoute,
  createUploadRoute,
  listUploadsRoute,
  getUploadRoute,
  explanationsRoute,
  uploadFileRoute,
  validateRoute,
  listBulletinsRoute,
  getBulletinRoute,
  renderBulletinRoute,
  listReviewsRoute,
  decideRoute,
  reviewHistoryRoute,
  lockRoute,
  listUnitsRoute,
  getUnitRoute,
  openApiRoute(() => ROUTES),
];
