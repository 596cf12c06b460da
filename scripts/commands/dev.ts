/**
 * `dangjian dev` (= npm start): the whole pipeline on this machine. Starts DynamoDB Local and the
 * S3 emulator, loads the registry and the returns (built-in sample or --data DIR) through S3 so the
 * real events drive the real handlers, renders the latest month's bulletin as a 送审稿 (left for a
 * newcomer to edit and 签发 through the API or `dangjian bulletin`), then serves the HTTP API.
 * `--once --out DIR` signs it as a local demo 签发人 and writes the issued PDF; `--draft` the 送审稿.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { signBulletin } from "../../lib/bulletin/service.ts";
import { issueLabel } from "../../lib/bulletin/signoff.ts";
import { newApiKey, weakKeyReason } from "../../lib/domain/auth.ts";
import { addMonths, monthLabel, monthOf } from "../../lib/domain/periods.ts";
import { importRegistry } from "../../lib/ingest/registry-import.ts";
import { formatOfFileName, uploadKey } from "../../lib/objects.ts";
import type { BulletinRecord } from "../../lib/ports.ts";
import { generateSample } from "../../lib/sample/index.ts";
import { demoWorkflow } from "../local/demo-workflow.ts";
import { installOpsKey, startApiServer } from "../local/http.ts";
import { clearSession, writeStackSession } from "../local/session.ts";
import { type LocalStack, startLocalStack } from "../local/stack.ts";
import type { CommandContext } from "../support/command.ts";
import { UsageError } from "../support/usage-error.ts";

interface DevOptions {
  data?: string;
  port: string;
  once?: boolean;
  draft?: boolean;
  out: string;
  seed: string;
  units: string;
  months: string;
}

export interface ReturnFile {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Simulated submission time (sample data), or undefined to use the real upload time. */
  readonly submittedAt?: string | undefined;
  /** The uploader: the S3 key prefix (a unit or 片区 code). */
  readonly scope: string;
  readonly period: string;
}

const manifestSchema = z.object({
  files: z.array(
    z.object({ name: z.string(), submittedAt: z.string().optional(), scope: z.string(), period: z.string() }),
  ),
});

/** Reads DIR/units.csv and DIR/returns/*.{csv,xlsx,xlsm,xls} (file-name order), with manifest.json when present. */
export async function readDataDir(dir: string): Promise<{ unitsCsv: Uint8Array; files: ReturnFile[] }> {
  const unitsPath = join(dir, "units.csv");
  const returnsDir = join(dir, "returns");
  if (!existsSync(unitsPath)) throw new UsageError(`找不到单位名册 ${unitsPath}。`);
  if (!existsSync(returnsDir)) throw new UsageError(`找不到月报目录 ${returnsDir}。`);
  const manifestPath = join(returnsDir, "manifest.json");
  const manifest = existsSync(manifestPath)
    ? manifestSchema.parse(JSON.parse(await readFile(manifestPath, "utf8")))
    : { files: [] };
  const byName = new Map(manifest.files.map((f) => [f.name, f]));
  const names = (await readdir(returnsDir)).filter((n) => /\.(csv|xlsx|xlsm|xls)$/i.test(n)).sort();
  const files: ReturnFile[] = [];
  for (const name of names) {
    const meta = byName.get(name);
    files.push({
      name,
      bytes: await readFile(join(returnsDir, name)),
      submittedAt: meta?.submittedAt,
      // Without a manifest the root uploads everything (ops batch import).
      scope: meta?.scope ?? "",
      period: meta?.period ?? "import",
    });
  }
  return { unitsCsv: await readFile(unitsPath), files };
}

function progress(io: CommandContext["io"], total: number): { tick(ok: boolean): void; done(): void } {
  const tty = Boolean(process.stderr.isTTY);
  let handled = 0;
  let failed = 0;
  let lastDecile = -1;
  const started = Date.now();
  const line = (): string =>
    `处理月报文件:${handled}/${total}(${Math.floor((handled / Math.max(1, total)) * 100)}%)` +
    `${failed ? `,失败${failed}` : ""},用时${((Date.now() - started) / 1000).toFixed(1)}秒`;
  return {
    tick(ok) {
      handled++;
      if (!ok) failed++;
      if (tty) io.err(`\r${line()}`);
      else {
        const decile = Math.floor((handled / Math.max(1, total)) * 10);
        if (decile !== lastDecile) {
          lastDecile = decile;
          io.err(`${line()}\n`);
        }
      }
    },
    done() {
      if (tty) io.err("\n");
    },
  };
}

/** Who signs the demo bulletin of `npm start -- --once`. */
const DEMO_SIGNER = "本地演示签发人";

let uploadCounter = 0;
function uploadId(): string {
  uploadCounter++;
  return `dev${Date.now().toString(36)}${String(uploadCounter).padStart(5, "0")}`;
}

async function loadReturns(
  stack: LocalStack,
  files: readonly ReturnFile[],
  rootCode: string,
  io: CommandContext["io"],
  bar: ReturnType<typeof progress>,
): Promise<void> {
  for (const f of files) {
    const key = uploadKey(f.scope || rootCode, f.period, uploadId(), formatOfFileName(f.name));
    await stack.put(key, f.bytes, f.submittedAt ? { submittedAt: f.submittedAt } : undefined);
  }
  await stack.drain();
  bar.done();
  if (stack.deadLetters.length) {
    io.err(`有${stack.deadLetters.length}个文件处理失败(已记入死信队列):\n`);
    for (const d of stack.deadLetters.slice(0, 10)) io.err(`  ${d.key}:${d.error}\n`);
  }
}

/** A key for one 报送单位, so a newcomer can log in to the portal as a unit right away. */
async function installDemoUnitKey(stack: LocalStack): Promise<{ unit: string; name: string; key: string }> {
  const registry = await stack.services.registry();
  const unit = registry.leavesUnder(registry.root.code)[0] ?? registry.root;
  const { key, record } = newApiKey({ role: "unit", unit: unit.code, label: "本地演示单位密钥" }, new Date());
  await stack.services.stores.keys.putKey(record);
  return { unit: unit.code, name: unit.name, key };
}

export function registerDev(program: Command, ctx: CommandContext): void {
  program
    .command("dev")
    .description("在本机启动完整流程(DynamoDB Local + S3 模拟器 + 真实处理函数),导入示例数据并提供查询接口")
    .option(
      "--data <目录>",
      "使用 目录/units.csv 和 目录/returns/ 下的月报(CSV 或 Excel 工作簿)代替内置示例数据",
    )
    .option("--port <端口>", "HTTP 接口端口", "3000")
    .option("--once", "处理完数据、以本地演示签发人签发最新一期简报并写出正式稿后退出")
    .option("--draft", "与 --once 一起用:不签发,写出送审稿")
    .option("--out <目录>", "--once 时简报的输出目录", "out")
    .option("--seed <数字>", "内置示例数据的随机种子", "1")
    .option("--units <数量>", "内置示例数据的单位数", "63")
    .option("--months <数量>", "内置示例数据的月数", "12")
    .action(async (opts: DevOptions) => {
      const io = ctx.io;
      const now = new Date();
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`端口无效:${opts.port}`);
      // Checked before anything starts: a weak or mistyped key is one Chinese line and exit 2.
      const opsKey = process.env.DANGJIAN_OPS_KEY;
      const weak = opsKey ? weakKeyReason(opsKey) : undefined;
      if (weak) throw new UsageError(`环境变量 DANGJIAN_OPS_KEY ${weak}。`);
      let data: { unitsCsv: Uint8Array; files: ReturnFile[] };
      if (opts.data) {
        data = await readDataDir(resolve(opts.data));
      } else {
        const sample = generateSample({
          units: Number(opts.units),
          months: Number(opts.months),
          seed: Number(opts.seed),
          endMonth: addMonths(monthOf(now), -1),
          now,
        });
        data = { unitsCsv: new TextEncoder().encode(sample.unitsCsv), files: sample.files };
        io.err(
          `内置示例数据:${sample.summary.units}个单位、${sample.summary.areas}个片区、${sample.summary.months.length}个月,` +
            `${sample.summary.files}个文件(其中GB18030编码${sample.summary.gb18030Files}个)。\n`,
        );
      }

      io.err("正在启动 DynamoDB Local 和 S3 模拟器……\n");
      const bar = progress(io, data.files.length);
      const stack = await startLocalStack({
        concurrency: 4,
        env: { LOG_LEVEL: "silent" },
        log: (l) => io.err(`${l}\n`),
        onHandled: (_key, ok) => bar.tick(ok),
      });
      // The bulletin handler is imported after the stack has set the environment it reads.
      const bulletin = (await import("../../functions/bulletin.ts")).handler;
      const server = opts.once
        ? undefined
        : await startApiServer({
            services: stack.services,
            port,
            log: (l) => io.err(`${l}\n`),
            renderBulletin: async (request) => {
              void bulletin(request).catch((err: unknown) => io.err(`简报生成失败:${String(err)}\n`));
            },
          });
      let stopping = false;
      const stop = async (): Promise<void> => {
        if (stopping) return;
        stopping = true;
        await clearSession();
        await server?.close();
        await stack.stop();
      };
      // Ctrl-C, `kill` and a closed terminal all stop the emulators and remove the session file.
      for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
        process.once(signal, () => {
          io.err("\n正在停止……\n");
          void stop().then(() => process.exit(0));
        });
      }
      try {
        await writeStackSession(stack);
        const registry = await importRegistry(data.unitsCsv, stack.services.stores.registry);
        if (!registry.ok) {
          throw new UsageError(`单位名册有误:\n${registry.problems.map((p) => `  ${p.message}`).join("\n")}`);
        }
        io.err(`已导入单位名册:${registry.units}个单位(基层报送单位${registry.leaves}个)。\n`);
        await loadReturns(stack, data.files, registry.root, io, bar);

        const latest = await stack.services.stores.rollups.latestMonth(registry.root);
        if (latest && stack.config.APPROVAL_LEVELS > 0) {
          const demo = await demoWorkflow(
            stack.services.stores,
            await stack.services.registry(),
            latest,
            now,
          );
          io.err(
            `逐级审核示例(${monthLabel(latest)}):片区${demo.unreviewed ?? "—"}待审核,单位${demo.returned ?? "—"}退回修改,` +
              `${demo.confirmed.length}个片区已市级确认。\n`,
          );
        }
        if (latest) {
          await bulletin({ scope: registry.root, period: latest });
          const bulletins = stack.services.stores.bulletins;
          let record = (await bulletins.getBulletin(registry.root, latest)) as BulletinRecord;
          io.err(
            `已生成${monthLabel(latest)}简报送审稿:第${record.revision}版,${record.pages}页,` +
              `${(record.bytes / 1024).toFixed(0)} KB,用时${record.renderMs}毫秒。\n`,
          );
          if (opts.once && !opts.draft && record.status === "draft") {
            // The demo signs what was just drafted: 期号 from the counter, today's date on the masthead.
            await signBulletin(
              bulletins,
              await stack.services.registry(),
              registry.root,
              latest,
              { revision: record.revision, signer: DEMO_SIGNER, signedBy: "local-demo" },
              new Date(),
            );
            await bulletin({ scope: registry.root, period: latest });
            record = (await bulletins.getBulletin(registry.root, latest)) as BulletinRecord;
            io.err(
              `已由${DEMO_SIGNER}签发:${issueLabel(latest, record.issueNumber)},报头日期${record.signature?.issueDate}。\n`,
            );
          }
          if (opts.once) {
            await mkdir(opts.out, { recursive: true });
            const name =
              record.status === "draft"
                ? `jianbao-${registry.root}-${latest}-draft.pdf`
                : `jianbao-${registry.root}-${latest}.pdf`;
            const file = join(opts.out, name);
            await writeFile(file, await stack.services.objects.getBytes(record.key));
            io.out(`${file}\n`);
          }
        } else {
          io.err("没有可用于生成简报的数据。\n");
        }
        if (opts.once || !server) {
          await stop();
          ctx.setExit(stack.deadLetters.length ? 1 : 0);
          return;
        }
        const opsKey = await installOpsKey(stack.services, process.env.DANGJIAN_OPS_KEY);
        const demo = await installDemoUnitKey(stack);
        server.setReady(true);
        const period = latest ?? "THIS_YEAR";
        const portal = server.url.replace("127.0.0.1", "localhost");
        io.out(
          [
            "",
            "本地环境已就绪:",
            `  网上门户   ${portal}/`,
            `    单位登录   单位代码 ${demo.unit}(${demo.name})  填报密钥 ${demo.key}`,
            `    运维登录   单位代码 ${registry.root}(或留空)  填报密钥 ${opsKey}`,
            `  健康检查   ${server.url}/v1/health`,
            `  汇总查询   ${server.url}/v1/aggregates?scope=${registry.root}&period=${period}&breakdown=children`,
            `  报送情况   ${server.url}/v1/completeness?scope=${registry.root}&period=${period}`,
            `  简报列表   ${server.url}/v1/bulletins`,
            ...(latest
              ? [
                  `  简报送审稿 ${server.url}/v1/bulletins/${latest}(送审稿,尚无期号;修改:POST …/edit,签发:POST …/sign)`,
                  `  签发       npx dangjian bulletin sign --scope ${registry.root} --period ${latest} --signer 姓名`,
                ]
              : []),
            `  接口文档   ${server.url}/v1/openapi.json`,
            `  运维密钥   ${opsKey}`,
            `  (请求时加请求头 Authorization: Bearer ${opsKey})`,
            `  命令行     DANGJIAN_ENDPOINT=${server.url} DANGJIAN_KEY=${opsKey} npx dangjian query --scope ${registry.root} --period ${period}`,
            `  模拟器     DynamoDB Local ${stack.dynamoEndpoint}  S3 ${stack.s3Endpoint}`,
            "按 Ctrl-C 停止。",
            "",
          ].join("\n"),
        );
        await new Promise(() => {});
      } catch (err) {
        await stop();
        throw err;
      }
    });
}
