/**
 * `dangjian`: the command line for units and ops. Subcommands live in scripts/commands/, one file
 * each; this file only wires them up and maps usage errors to exit code 2 with Chinese messages.
 */
import { Command, CommanderError, Help, type HelpConfiguration } from "commander";
import { COMMANDS } from "./commands/index.ts";
import { type CliIo, type CommandContext, processIo } from "./support/command.ts";
import { UsageError } from "./support/usage-error.ts";

const TITLES: Record<string, string> = {
  "Usage:": "用法:",
  "Options:": "选项:",
  "Commands:": "命令:",
  "Arguments:": "参数:",
  "Global Options:": "全局选项:",
};

const ERRORS: Record<string, string> = {
  "commander.unknownOption": "未知的选项",
  "commander.unknownCommand": "未知的命令",
  "commander.missingArgument": "缺少必需的参数",
  "commander.optionMissingArgument": "选项缺少取值",
  "commander.missingMandatoryOptionValue": "缺少必需的选项",
  "commander.invalidArgument": "参数取值无效",
  "commander.excessArguments": "参数过多",
};

function chineseUsage(text: string): string {
  return text.replace("[options]", "[选项]").replace("[command]", "[命令]");
}

const HELP: HelpConfiguration = {
  styleTitle: (title) => TITLES[title] ?? title,
  sortSubcommands: false,
  commandUsage: (cmd) => chineseUsage(new Help().commandUsage(cmd)),
  subcommandTerm: (cmd) => chineseUsage(new Help().subcommandTerm(cmd)),
};

/**
 * The program for one run: only the command being run is loaded (its module defines its options);
 * every other command is listed by name and description for --help.
 */
export async function buildProgram(ctx: CommandContext, argv: readonly string[] = []): Promise<Command> {
  const program = new Command("dangjian");
  program
    .description("党建数据直报与简报:月报表模板、审核、上传、汇总查询与简报生成")
    .helpOption("-h, --help", "显示帮助")
    .helpCommand("help [命令]", "显示某个命令的帮助")
    .configureHelp(HELP)
    .configureOutput({ writeOut: ctx.io.out, writeErr: ctx.io.err, outputError: () => {} })
    .exitOverride();
  const args = argv.slice(2);
  // `dangjian help validate` shows validate's own help: load it too.
  const wanted = new Set(args[0] === "help" ? args.slice(1, 2) : args.slice(0, 1));
  for (const entry of COMMANDS) {
    if (wanted.has(entry.name)) (await entry.load())(program, ctx);
    else program.command(entry.name).description(entry.description);
  }
  // Subcommands too (keys create, review approve …): Chinese help, errors through main().
  const configure = (cmd: Command): void => {
    cmd.helpOption("-h, --help", "显示帮助").configureHelp(HELP);
    cmd.configureOutput({ writeOut: ctx.io.out, writeErr: ctx.io.err, outputError: () => {} }).exitOverride();
    for (const sub of cmd.commands) configure(sub);
  };
  for (const cmd of program.commands) configure(cmd);
  return program;
}

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let exit = 0;
  const program = await buildProgram(
    {
      io,
      setExit(code) {
        exit = code;
      },
    },
    argv,
  );
  try {
    await program.parseAsync([...argv]);
    return exit;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return 0;
      if (err.code === "commander.help") return 0;
      const what = ERRORS[err.code] ?? "用法错误";
      // Commander's messages are English; keep only the quoted option or argument they name.
      const named = /'([^']+)'/.exec(err.message)?.[1];
      io.err(`错误:${what}${named ? ` ${named}` : ""}。(使用 dangjian --help 查看用法)\n`);
      return 2;
    }
    if (err instanceof UsageError) {
      io.err(`错误:${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
