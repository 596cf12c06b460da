import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // This file lives in tests/; paths below are relative to the project root.
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    include: ["tests/**/*.test.ts"],
    // Integration tests share one DynamoDB Local JVM and one S3 emulator per file; two cores here.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: {
      AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: "1",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      DDB_LOCAL_TELEMETRY: "0",
      LOG_LEVEL: "silent",
    },
  },
});
