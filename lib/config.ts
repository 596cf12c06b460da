/**
 * Configuration, read once at start-up from an environment object and validated with zod.
 * Nothing else reads process.env: handlers call loadConfig(process.env) and pass the result in.
 */
import { z } from "zod";

const csvList = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? "")
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  );

const schema = z.object({
  TABLE_NAME: z.string().min(1, "TABLE_NAME 未设置(DynamoDB 表名)"),
  BUCKET_NAME: z.string().min(1, "BUCKET_NAME 未设置(数据桶名)"),
  AWS_REGION: z.string().default("cn-north-1"),
  /** Local runner only: emulator endpoints. Unset in Lambda, where the SDK finds AWS itself. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  S3_ENDPOINT: z.url().optional(),
  /** Reporting deadline: this day of the following month, Beijing time. */
  DEADLINE_DAY: z.coerce.number().int().min(1).max(28).default(5),
  /** Rollup write shards per (scope, month): spreads hot root/片区 rollups over several items. */
  ROLLUP_SHARDS: z.coerce.number().int().min(1).max(64).default(4),
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  MAX_UPLOAD_ROWS: z.coerce.number().int().positive().default(100_000),
  /** Scopes that get a monthly bulletin besides the root (e.g. each 片区). */
  BULLETIN_SCOPES: csvList,
  BULLETIN_TOPIC_ARN: z.string().optional(),
  /** The bulletin function's name: the API invokes it to re-render a bulletin. */
  BULLETIN_FUNCTION: z.string().optional(),
  /** How long the API reuses rollup reads and answers within one container (0 = never). */
  API_CACHE_SECONDS: z.coerce.number().min(0).max(300).default(10),
  /** How long the authorizer trusts a key lookup within one container (revocation delay). */
  API_KEY_CACHE_SECONDS: z.coerce.number().min(0).max(300).default(10),
  PRESIGN_SECONDS: z.coerce.number().int().min(60).max(604_800).default(900),
  LOG_LEVEL: z.enum(["silent", "info"]).default("info"),
  /** Test hook: throw after this many writes of one upload (crash injection). Never set in production. */
  FAULT_CRASH_AFTER_WRITES: z.coerce.number().int().positive().optional(),
});

export type Config = z.infer<typeof schema>;

/** Thrown at start-up when the environment is wrong: better to fail loudly than to run half-configured. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigError(`配置有误:${problems}`);
  }
  return parsed.data;
}
