/** Every portal page, public ones (登录, 退出) apart. */
import { aggregatesPage, trendPage } from "./aggregates.ts";
import { bulletinPdf, bulletinRender, bulletinsPage } from "./bulletins.ts";
import { completenessPage } from "./completeness.ts";
import { historyPage } from "./history.ts";
import { keysCreate, keysListPage, keysRevoke } from "./keys.ts";
import { loginPage, loginSubmit, logoutSubmit } from "./login.ts";
import { monthPage, templateDownload, templateXlsxDownload } from "./month.ts";
import { returnsPage } from "./returns.ts";
import { lockSubmit, reviewDecide, reviewHistoryPage, reviewsListPage } from "./reviews.ts";
import type { PageRoute, PublicPageRoute } from "./types.ts";
import {
  explanationsSubmit,
  rawFileDownload,
  reportCsvDownload,
  reportPage,
  reportXlsxDownload,
  uploadFormPage,
  uploadLock,
  uploadRelay,
  uploadStart,
  uploadStatus,
} from "./upload.ts";

export type { PageRoute, PublicPageRoute };

export const PUBLIC_PAGES: readonly PublicPageRoute[] = [loginPage, loginSubmit, logoutSubmit];

export const PAGES: readonly PageRoute[] = [
  monthPage,
  templateDownload,
  templateXlsxDownload,
  uploadFormPage,
  uploadRelay,
  uploadStart,
  uploadLock,
  reportPage,
  uploadStatus,
  explanationsSubmit,
  rawFileDownload,
  reportCsvDownload,
  reportXlsxDownload,
  historyPage,
  completenessPage,
  reviewsListPage,
  reviewDecide,
  lockSubmit,
  reviewHistoryPage,
  aggregatesPage,
  trendPage,
  returnsPage,
  bulletinsPage,
  bulletinPdf,
  bulletinRender,
  keysListPage,
  keysCreate,
  keysRevoke,
];
