import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { importRegistry } from "../../lib/ingest/registry-import.ts";
import type { CommandContext } from "../support/command.ts";
import { UsageError } from "../support/usage-error.ts";
import { servicesFromEnvironment } from "./services.ts";

export function registerRegistry(program: Command, ctx: CommandContext): void {
  const registry = program.command("registry").description("单位名册管理");
  registry
    .command("load")
    .description("检查并导入单位名册 units.csv(表头:单位代码,单位名称,上级单位代码)")
    .argument("<units.csv>", "单位名册文件")
    .action(async (file: string) => {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch {
        throw new UsageError(`无法读取单位名册“${file}”。`);
      }
      const services = servicesFromEnvironment();
      const result = await importRegistry(bytes, services.stores.registry);
      if (!result.ok) {
        ctx.io.err(`单位名册有误,未导入:\n${result.problems.map((p) => `  ${p.message}`).join("\n")}\n`);
        ctx.setExit(1);
        return;
      }
      ctx.io.out(
        `已导入单位名册:共${result.units}个单位,其中基层报送单位${result.leaves}个,根单位 ${result.root}。\n`,
      );
    });
}
