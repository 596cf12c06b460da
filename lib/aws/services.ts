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
  /**
   * The registry, cached per container and reloaded when its stored version stamp changes; the
   * stamp is checked at most every `maxAgeMs` (default 1 s; the pipeline passes 0).
   */
  registry(maxAgeMs?: number): Promise<Registry>;
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

const REGISTRY_CHECK_MS = 1_000;

export function createServices(config: Config, clients: AwsClients = createClients(config)): Services {
  const store = new DynamoReturnsStore(clients.ddb, config.TABLE_NAME);
  const objects = new S3ObjectStore(clients.s3, config.BUCKET_NAME);
  let cached: { registry: Registry; version: string | undefined; checkedAt: number } | undefined;
  // One check at a time: concurrent requests share it instead of each reading the stamp.
  let pending: Promise<Registry> | undefined;
  const refresh = async (): Promise<Registry> => {
    // One small read tells whether a new units.csv was loaded since: reload only then.
    const version = await store.registryVersion();
    if (cached && version === cached.version) {
      cached.checkedAt = Date.now();
      return cached.registry;
    }
    const units = await store.loadRegistry();
    if (!units.length) throw new RegistryMissing();
    cached = { registry: new Registry(units), version, checkedAt: Date.now() };
    return cached.registry;
  };
  const registry = (maxAgeMs = REGISTRY_CHECK_MS): Promise<Registry> => {
    if (cached && Date.now() - cached.checkedAt < maxAgeMs) return Promise.resolve(cached.registry);
    pending ??= refresh().finally(() => {
      pending = undefined;
    });
    return pending;
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
      // Every upload is validated against the registry as stored at that moment.
      registry: () => registry(0),
      options: {
        deadlineDay: config.DEADLINE_DAY,
        shards: config.ROLLUP_SHARDS,
        limits: { maxBytes: config.MAX_UPLOAD_BYTES, maxRows: config.MAX_UPLOAD_ROWS },
        crashAfterWrites: config.FAULT_CRASH_AFTER_WRITES,
      },
    }),
  };
}
