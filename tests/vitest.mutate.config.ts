/**
 * The unit tests of the pure core, for the mutation run only (tests/stryker.config.mjs): no
 * emulators, no browser, no child processes, so each mutant is judged in seconds. The rest of the
 * settings (root, environment) are the suite's own.
 */
import { defineConfig } from "vitest/config";
import base from "./vitest.config.ts";

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      "tests/domain/**/*.test.ts",
      "tests/write/**/*.test.ts",
      "tests/lib/plan.test.ts",
      "tests/lib/reporting-counts.test.ts",
      "tests/ingest/header.test.ts",
      "tests/ingest/numbers.test.ts",
      "tests/ingest/periods.test.ts",
      "tests/ingest/returns.test.ts",
      "tests/ingest/row-rules.test.ts",
      "tests/ingest/rules.edges.test.ts",
      "tests/ingest/rules.test.ts",
    ],
  },
});
