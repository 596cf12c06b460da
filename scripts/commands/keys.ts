/**
 * `dangjian keys create|list|revoke`: API keys, written straight to the DynamoDB table (the same
 * configuration as the handlers: TABLE_NAME, BUCKET_NAME, and locally DYNAMODB_ENDPOINT …).
 * A new key is printed once; only its hash is stored.
 */
import type { Command } from "commander";
import type { Services } from "../../lib/aws/services.ts";
import { newApiKey } from "../../lib/domain/auth.ts";
import { Registry } from "../../lib/domain/registry.ts";
import type { ApiKeyRecord } from "../../lib/ports.ts";
import type { CommandContext } from "../support/command.ts";
import { formatTable } from "../support/table.ts";
import { UsageError } from "../support/usage-error.ts";
import { servicesFromEnvironment } from "./services.ts";

/** Runs a command against the table and always closes the clients (so the process can exit). */
async function withStore<T>(
  ctx: CommandContext,
  run: (services: Services) => Promise<T>,
): Promise<T | undefined> {
  const services = servicesFromEnvironment();
  try {
    return await run(services);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    ctx.io.err(`错误:无法访问数据库表“${services.config.TABLE_NAME}”(${reason})。\n`);
    ctx.setExit(1);
    return undefined;
  } finally {
    services.clients.ddb.destroy();
    services.clients.s3.destroy();
  }
}

const ROLE_NAMES = { ops: "运维", unit: "单位" } as const;

function describeKey(record: ApiKeyRecord, registry: Registry | undefined): string {
  if (record.role === "ops") return "运维(可查询全部、生成简报)";
  const name = record.unit ? registry?.get(record.unit)?.name : undefined;
  return `单位:${record.unit}${name ? ` ${name}` : ""}(只能上传、查询本单位及下级)`;
}

async function registryOf(services: Services): Promise<Registry | undefined> {
  const units = await services.stores.registry.loadRegistry();
  return units.length ? new Registry(units) : undefined;
}

export function registerKeys(program: Command, ctx: CommandContext): void {
  const keys = program
    .command("keys")
    .description("管理接口密钥:create 新建、list 列出、revoke 吊销(直接读写数据库)")
    .helpOption("-h, --help", "显示帮助");

  keys
    .command("create")
    .description("新建接口密钥(密钥只显示这一次)")
    .requiredOption("--role <角色>", "ops(运维)或 unit(单位)")
    .option("--unit <单位代码>", "单位密钥绑定的单位(可为上级单位,可访问其全部下级)")
    .option("--label <名称>", "备注,如使用人或用途")
    .option("--json", "输出 JSON")
    .helpOption("-h, --help", "显示帮助")
    .action(async (opts: { role: string; unit?: string; label?: string; json?: boolean }) => {
      if (opts.role !== "ops" && opts.role !== "unit") {
        throw new UsageError(`--role 应为 ops 或 unit,收到“${opts.role}”。`);
      }
      if (opts.role === "unit" && !opts.unit) throw new UsageError("单位密钥须用 --unit 指定单位代码。");
      if (opts.role === "ops" && opts.unit) throw new UsageError("运维密钥不绑定单位,请去掉 --unit。");
      const role = opts.role;
      await withStore(ctx, async (services) => {
        const registry = await registryOf(services);
        if (role === "unit") {
          if (!registry) throw new UsageError("单位名册尚未导入,无法创建单位密钥。");
          const unit = opts.unit ?? "";
          if (!registry.has(unit)) {
            const suggestion = registry.suggestCode(unit);
            throw new UsageError(
              `单位名册中没有代码“${unit}”${suggestion ? `(是否为“${suggestion}”?)` : ""}。`,
            );
          }
        }
        const { key, record } = newApiKey({ role, unit: opts.unit ?? null, label: opts.label }, new Date());
        await services.stores.keys.putKey(record);
        if (opts.json) {
          ctx.io.out(
            `${JSON.stringify({ key, keyId: record.keyId, role, unit: record.unit, label: record.label })}\n`,
          );
          return;
        }
        ctx.io.out(
          [
            "已创建接口密钥。密钥只显示这一次,请立即复制并妥善保存:",
            "",
            `  ${key}`,
            "",
            `编号:${record.keyId}`,
            `权限:${describeKey(record, registry)}`,
            ...(record.label ? [`备注:${record.label}`] : []),
            "用法:请求头 Authorization: Bearer <密钥>,或 dangjian upload/query --key <密钥>(也可设置 DANGJIAN_KEY)。",
            "",
          ].join("\n"),
        );
      });
    });

  keys
    .command("list")
    .description("列出全部接口密钥(不含密钥本身)")
    .option("--json", "输出 JSON")
    .helpOption("-h, --help", "显示帮助")
    .action(async (opts: { json?: boolean }) => {
      await withStore(ctx, async (services) => {
        const records = await services.stores.keys.listKeys();
        if (opts.json) {
          const shown = records.map(({ hash: _hash, ...rest }) => rest);
          ctx.io.out(`${JSON.stringify(shown)}\n`);
          return;
        }
        if (!records.length) {
          ctx.io.out("尚无接口密钥。用 dangjian keys create --role ops 创建。\n");
          return;
        }
        const rows = [
          ["编号", "角色", "单位", "备注", "创建时间", "状态"],
          ...records.map((r) => [
            r.keyId,
            ROLE_NAMES[r.role],
            r.unit ?? "—",
            r.label ?? "",
            r.createdAt.slice(0, 19).replace("T", " "),
            r.revokedAt ? `已吊销 ${r.revokedAt.slice(0, 10)}` : "有效",
          ]),
        ];
        ctx.io.out(`${formatTable(rows)}\n`);
      });
    });

  keys
    .command("revoke")
    .description("吊销一个接口密钥(之后用它的请求一律返回 401)")
    .argument("<编号>", "密钥编号(keys list 中的“编号”,即密钥 djk_ 后的8位)")
    .helpOption("-h, --help", "显示帮助")
    .action(async (keyId: string) => {
      await withStore(ctx, async (services) => {
        const id = keyId.startsWith("djk_") ? (keyId.split("_")[1] ?? keyId) : keyId;
        if (!(await services.stores.keys.revokeKey(id, new Date().toISOString()))) {
          ctx.io.err(`错误:没有编号为“${id}”的密钥(用 dangjian keys list 查看)。\n`);
          ctx.setExit(1);
          return;
        }
        ctx.io.out(`已吊销密钥 ${id}。\n`);
      });
    });
}
