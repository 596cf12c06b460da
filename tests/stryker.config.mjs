/**
 * Mutation testing of the pure core (issue 10): `npm run mutate`. Not part of `npm test` — it runs
 * the core's unit tests once per mutant. Results: the table on the console and in docs/MUTATION.md;
 * the full report in out/mutation/ (git-ignored).
 * @type {import("@stryker-mutator/api/core").PartialStrykerOptions}
 */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "tests/vitest.mutate.config.ts" },
  mutate: [
    "lib/ingest/rules.ts",
    "lib/ingest/row-rules.ts",
    "lib/ingest/thresholds.ts",
    "lib/ingest/numbers.ts",
    "lib/ingest/header.ts",
    "lib/ingest/returns.ts",
    "lib/domain/periods.ts",
    "lib/write/plan.ts",
    "lib/write/aggregate.ts",
  ],
  coverageAnalysis: "perTest",
  // Two cores, shared with other work.
  concurrency: 2,
  timeoutMS: 10_000,
  tempDirName: "out/stryker-tmp",
  reporters: ["clear-text", "progress", "json", "html"],
  jsonReporter: { fileName: "out/mutation/mutation.json" },
  htmlReporter: { fileName: "out/mutation/index.html" },
  // `npm run mutate -- --incremental` reuses the results of unchanged mutants and tests.
  incrementalFile: "out/mutation/incremental.json",
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  // The target: below 85% the run fails.
  thresholds: { high: 90, low: 85, break: 85 },
};
