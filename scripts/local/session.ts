/**
 * While `dangjian dev` runs, it writes the emulator endpoints to .dangjian/local.env so that CLI
 * commands in another terminal (reconcile, keys, registry load …) reach the same local stack.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export const SESSION_FILE = join(process.cwd(), ".dangjian", "local.env");

/** The pid of the `npm start` that wrote the file: a file whose process is gone is stale. */
const PID_KEY = "DANGJIAN_PID";

/** What another terminal needs to reach a running local stack. */
export interface SessionStack {
  readonly config: { readonly TABLE_NAME: string; readonly BUCKET_NAME: string; readonly AWS_REGION: string };
  readonly dynamoEndpoint: string;
  readonly s3Endpoint: string;
}

/** Writes the session file for a running local stack (its endpoints and the emulator's credentials). */
export async function writeStackSession(stack: SessionStack): Promise<void> {
  await writeSession({
    TABLE_NAME: stack.config.TABLE_NAME,
    BUCKET_NAME: stack.config.BUCKET_NAME,
    AWS_REGION: stack.config.AWS_REGION,
    DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
    S3_ENDPOINT: stack.s3Endpoint,
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
  });
}

export async function writeSession(env: Record<string, string>): Promise<void> {
  await mkdir(join(process.cwd(), ".dangjian"), { recursive: true });
  const lines = Object.entries({ ...env, [PID_KEY]: String(process.pid) }).map(([k, v]) => `${k}=${v}`);
  await writeFile(SESSION_FILE, `${lines.join("\n")}\n`);
}

export async function clearSession(): Promise<void> {
  await rm(SESSION_FILE, { force: true });
}

/** process.env, completed from a running local session when TABLE_NAME is not set. */
export function environment(): Record<string, string | undefined> {
  if (process.env.TABLE_NAME || !existsSync(SESSION_FILE)) return process.env;
  const extra: Record<string, string> = {};
  for (const line of readFileSync(SESSION_FILE, "utf8").split("\n")) {
    const i = line.indexOf("=");
    if (i > 0) extra[line.slice(0, i)] = line.slice(i + 1);
  }
  // Left behind by an `npm start` that was killed: its endpoints lead nowhere.
  if (!alive(Number(extra[PID_KEY]))) return process.env;
  const { [PID_KEY]: _pid, ...settings } = extra;
  // What the environment sets wins; a variable set to "" counts as unset.
  const set = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ""));
  return { ...settings, ...set };
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
