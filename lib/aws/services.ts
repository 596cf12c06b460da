/**
 * One place that turns a Config into the adapters every handler and the local runner use.
 * Created once per cold start (module scope in each handler).
 */
import type { Config } from "../config.ts";
import type { PipelineDeps } from "../pipeline.ts";
import { Registry } from "../registry.ts";
import { type AwsClients, createClients } from "./clients.ts";
import { DynamoReturnsStore } from "./dynamo-store.ts";
import { S3ObjectStore } from "./s3-store.ts";

export interface Services {
  readonly config: Config;
  readonly clients: AwsClients;
  readonly store: DynamoReturnsStore;
  readonly objects: S3ObjectStore;
  /** The registry, cached for a minute so a new units.csv takes effect without a redeploy. */
  registry(): Promise<Registry>;
  /** Forget the cached registry (after loading a new one). */
  invalidateRegistry(): void;
  pipeline(): PipelineDeps;
}

/** Thrown when the table holds no registry yet. */
export class RegistryMissing extends Error {
  constructor() {
    super("单位名册尚未导入:请先上传 registry/units.csv 或运行 dangjian registry load units.csv");
    this.name = "RegistryMissing";
  }
}

const REGISTRY_TTL_MS = 60_000;

export function createServices(config: Config, clients: AwsClients = createClients(config)): Services {
  const store = new DynamoReturnsStore(clients.ddb, config.TABLE_NAME);
  const objects = new S3ObjectStore(clients.s3, config.BUCKET_NAME);
  let cached: { registry: Registry; at: number } | undefined;
  const registry = async (): Promise<Registry> => {
    if (cached && Date.now() - cached.at < REGISTRY_TTL_MS) return cached.registry;
    const units = await store.loadRegistry();
    if (!units.length) throw new RegistryMissing();
    cached = { registry: new Registry(units), at: Date.now() };
    return cached.registry;
  };
  return {
    config,
    clients,
    store,
    objects,
    registry,
    invalidateRegistry() {
      cached = undefined;
    },
    pipeline: () => ({
      store,
      objects,
      registry,
      options: {
        deadlineDay: config.DEADLINE_DAY,
        shards: config.ROLLUP_SHARDS,
        limits: { maxBytes: config.MAX_UPLOAD_BYTES, maxRows: config.MAX_UPLOAD_ROWS },
        crashAfterWrites: config.FAULT_CRASH_AFTER_WRITES,
      },
    }),
  };
}
