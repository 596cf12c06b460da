/**
 * A local stack with the built-in sample loaded and the portal served, for the screenshots and
 * the portal benchmark: DynamoDB Local + s3rver + the real handlers, sample returns uploaded
 * through S3, the latest month left in every 逐级审核 state as `npm start` leaves it, the latest
 * bulletin rendered, and keys for ops, a 片区, a 报送单位, the unit returned for changes and a unit
 * of a confirmed 片区.
 */
import { newApiKey } from "../../lib/domain/auth.ts";
import { addMonths, monthOf } from "../../lib/domain/periods.ts";
import type { Unit } from "../../lib/domain/registry.ts";
import { importRegistry } from "../../lib/ingest/registry-import.ts";
import { generateSample } from "../../lib/sample/index.ts";
import { type DemoWorkflow, demoWorkflow } from "../local/demo-workflow.ts";
import { type ApiServer, startApiServer } from "../local/http.ts";
import { type LocalStack, startLocalStack } from "../local/stack.ts";

export interface SamplePortal {
  readonly stack: LocalStack;
  readonly server: ApiServer;
  readonly root: Unit;
  readonly area: Unit;
  readonly unit: Unit;
  /** The latest month with returns, and the 逐级审核 states it was left in. */
  readonly latest: string | undefined;
  readonly workflow: DemoWorkflow | undefined;
  /** A unit of a confirmed 片区 (its month is locked). */
  readonly lockedUnit: Unit | undefined;
  readonly keys: {
    readonly ops: string;
    readonly area: string;
    readonly unit: string;
    readonly returned: string | undefined;
    readonly locked: string | undefined;
  };
  stop(): Promise<void>;
}

export async function startSamplePortal(
  options: { units?: number; months?: number } = {},
): Promise<SamplePortal> {
  const now = new Date();
  const sample = generateSample({
    units: options.units ?? 30,
    months: options.months ?? 13,
    seed: 1,
    // The month before last: the portal's current month (last month) is still being reported.
    endMonth: addMonths(monthOf(now), -2),
    now,
  });
  const stack = await startLocalStack({ concurrency: 2, env: { LOG_LEVEL: "silent" } });
  const imported = await importRegistry(
    new TextEncoder().encode(sample.unitsCsv),
    stack.services.stores.registry,
  );
  if (!imported.ok) throw new Error(JSON.stringify(imported.problems));
  stack.services.invalidateRegistry();
  let n = 0;
  for (const f of sample.files) {
    n++;
    const key = `incoming/${f.scope || imported.root}/${f.period}/sample${String(n).padStart(6, "0")}.csv`;
    await stack.put(key, f.bytes, f.submittedAt ? { submittedAt: f.submittedAt } : undefined);
  }
  await stack.drain();
  const bulletin = (await import("../../functions/bulletin.ts")).handler;
  const latest = await stack.services.stores.rollups.latestMonth(imported.root);
  if (latest) await bulletin({ scope: imported.root, period: latest });
  const registry = await stack.services.registry();
  const workflow = latest ? await demoWorkflow(stack.services.stores, registry, latest, now) : undefined;
  const lockedArea = workflow?.confirmed[0];
  const lockedUnit = lockedArea ? registry.leavesUnder(lockedArea)[0] : undefined;
  const area = registry.children(registry.root.code)[0] as Unit;
  const unit = registry.leavesUnder(area.code)[0] as Unit;
  const at = new Date();
  const make = async (role: "ops" | "unit", code: string | null, label: string) => {
    const made = newApiKey({ role, unit: code, label }, at);
    await stack.services.stores.keys.putKey(made.record);
    return made.key;
  };
  const keys = {
    ops: await make("ops", null, "截图运维"),
    area: await make("unit", area.code, `${area.name}密钥`),
    unit: await make("unit", unit.code, `${unit.name}密钥`),
    returned: workflow?.returned ? await make("unit", workflow.returned, "退回修改示例") : undefined,
    locked: lockedUnit ? await make("unit", lockedUnit.code, "已确认片区示例") : undefined,
  };
  const server = await startApiServer({
    services: stack.services,
    ready: true,
    settings: { cacheSeconds: 0 },
    authCacheSeconds: 0,
    renderBulletin: async () => {},
  });
  return {
    stack,
    server,
    root: registry.root,
    area,
    unit,
    latest: latest ?? undefined,
    workflow,
    lockedUnit,
    keys,
    async stop() {
      await server.close();
      await stack.stop();
    },
  };
}
