/**
 * Configuration, read once at start-up from an environment object and validated with zod.
 * Nothing else reads process.env: handlers call loadConfig(process.env) and pass the result in.
 */
// zod/mini: the same validation, tree-shaken (the full zod build adds ~600 KB to every bundle).

import * as z from "zod/mini";
import { ConfigError } from "./errors.ts";

const csvList = z.pipe(
  z.optional(z.string()),
  z.transform((s: string | undefined) =>
    (s ?? "")
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  ),
);

const required = (message: string) => z.string().check(z.minLength(1, message));
const integer = (min: number, max: number, fallback: number) =>
  z._default(z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max)), fallback);
const seconds = (max: number, fallback: number) =>
  z._default(z.coerce.number().check(z.minimum(0), z.maximum(max)), fallback);

const schema = z.object({
  TABLE_NAME: required("TABLE_NAME 未设置(DynamoDB 表名)"),
  BUCKET_NAME: required("BUCKET_NAME 未设置(数据桶名)"),
  AWS_REGION: z._default(z.string(), "cn-north-1"),
  /** Local runner only: emulator endpoints. Unset in Lambda, where the SDK finds AWS itself. */
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  S3_ENDPOINT: z.optional(z.url()),
  /** Reporting deadline: this day of the following month, Beijing time. */
  DEADLINE_DAY: integer(1, 28, 5),
  /** Rollup write shards per (scope, month): spreads hot root/片区 rollups over several items. */
  ROLLUP_SHARDS: integer(1, 64, 4),
  MAX_UPLOAD_BYTES: integer(1, 2 ** 31, 20 * 1024 * 1024),
  MAX_UPLOAD_ROWS: integer(1, 10_000_000, 100_000),
  /** The first month the system takes returns for: earlier periods are typing mistakes (2016 for 2026). */
  /**
   * 逐级审核: 1 = 片区 approve their units' returns and ops confirm (lock) a 片区's month;
   * 0 = no review (returns count as soon as they are accepted, nothing is ever locked).
   */
  APPROVAL_LEVELS: integer(0, 1, 1),
  /** 催报 starts on this day of the month (and goes on daily after the deadline). */
  REMIND_FROM_DAY: integer(1, 28, 3),
  /** The SNS topic 催报 notices go to (each 片区's contacts subscribe). */
  REMIND_TOPIC_ARN: z.optional(z.string()),
  FIRST_REPORTING_MONTH: z._default(
    z.string().check(z.regex(/^(20\d{2})-(0[1-9]|1[0-2])$/, "FIRST_REPORTING_MONTH 应为 YYYY-MM")),
    "2020-01",
  ),
  /** Scopes that get a monthly bulletin besides the root (e.g. each 片区). */
  BULLETIN_SCOPES: csvList,
  BULLETIN_TOPIC_ARN: z.optional(z.string()),
  /** The bulletin function's name: the API invokes it to re-render a bulletin. */
  BULLETIN_FUNCTION: z.optional(z.string()),
  /** How long the API reuses rollup reads and answers within one container (0 = never). */
  API_CACHE_SECONDS: seconds(300, 10),
  /** How long the authorizer trusts a key lookup within one container (revocation delay). */
  API_KEY_CACHE_SECONDS: seconds(300, 10),
  PRESIGN_SECONDS: integer(60, 604_800, 900),
  LOG_LEVEL: z._default(z.enum(["silent", "error", "info"]), "info"),
  /** Test hook: throw after this many writes of one upload (crash injection). Never set in production. */
  FAULT_CRASH_AFTER_WRITES: z.optional(z.coerce.number().check(z.int(), z.positive())),
});

export type Config = z.output<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigError(`配置有误:${problems}`);
  }
  return parsed.data;
}
