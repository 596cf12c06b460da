/**
 * One place that turns a Config into the adapters every handler and the local runner use.
 * Created once per cold start (module scope in each handler).
 */

import type { Config } from "../config.ts";
import { Registry } from "../domain/registry.ts";
import { RegistryMissing } from "../errors.ts";
import type { Stores } from "../ports.ts";
import { createLogger, type Logger } from "../support/log.ts";
import { crashAfterWrites } from "../write/faults.ts";
import type { PipelineDeps } from "../write/pipeline.ts";
import { type AwsClients, createClients } from "./clients.ts";
import { countRequests, type TableMetrics } from "./metrics.ts";
import { S3ObjectStore } from "./s3-store.ts";
import { createStores } from "./stores.ts";

export interface Services {
  readonly config: Config;
  readonly clients: AwsClients;
  readonly stores: Stores;
  /** Every DynamoDB request this process made through these clients (benchmarks, read-cost tests). */
  readonly metrics: TableMetrics;
  readonly objects: S3ObjectStore;
  /** JSON-lines logger at the configured LOG_LEVEL. */
  readonly log: Logger;
  /**
   * The registry, cached per container and reloaded when its stored version stamp changes; the
   * stamp is checked at most every `maxAgeMs` (default 1 s; the pipeline passes 0).
   */
  registry(maxAgeMs?: number): Promise<Registry>;
  /** Forget the cached registry (after loading a new one). */
  invalidateRegistry(): void;
  pipeline(): PipelineDeps;
}

const REGISTRY_CHECK_MS = 1_000;

export function createServices(config: Config, clients: AwsClients = createClients(config)): Services {
  const stores = createStores(clients.ddb, config.TABLE_NAME);
  const metrics = countRequests(clients.ddb);
  const objects = new S3ObjectStore(clients.s3, config.BUCKET_NAME);
  let cached: { registry: Registry; version: string | undefined; checkedAt: number } | undefined;
  // One check at a time: concurrent requests share it instead of each reading the stamp.
  let pending: Promise<Registry> | undefined;
  const refresh = async (): Promise<Registry> => {
    // One small read tells whether a new units.csv was loaded since: reload only then.
    const version = await stores.registry.registryVersion();
    if (cached && version === cached.version) {
      cached.checkedAt = Date.now();
      return cached.registry;
    }
    const units = await stores.registry.loadRegistry();
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
    stores,
    metrics,
    objects,
    log: createLogger(config.LOG_LEVEL),
    registry,
    invalidateRegistry() {
      cached = undefined;
    },
    pipeline: () => {
      const deps: PipelineDeps = {
        stores,
        objects,
        // Every upload is validated against the registry as stored at that moment.
        registry: () => registry(0),
        options: {
          deadlineDay: config.DEADLINE_DAY,
          shards: config.ROLLUP_SHARDS,
          limits: { maxBytes: config.MAX_UPLOAD_BYTES, maxRows: config.MAX_UPLOAD_ROWS },
          firstMonth: config.FIRST_REPORTING_MONTH,
          approvalLevels: config.APPROVAL_LEVELS,
        },
      };
      // Test hook only: the crash tests run the real handler with writes that fail on purpose.
      const crashAfter = config.FAULT_CRASH_AFTER_WRITES;
      return crashAfter === undefined ? deps : crashAfterWrites(deps, crashAfter);
    },
  };
}
