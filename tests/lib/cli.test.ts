/**
 * The command table: every command is listed by --help without loading its module, and the
 * description the table shows is the one the module gives itself.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../scripts/commands/index.ts";

const run = promisify(execFile);
const BIN = join(import.meta.dirname, "../../bin/dangjian.js");

describe("CLI: the command table", () => {
  it("describes each command as its own module does", async () => {
    for (const entry of COMMANDS) {
      const program = new Command("dangjian");
      (await entry.load())(program, { io: { out: () => {}, err: () => {} }, setExit: () => {} });
      const command = program.commands.find((c) => c.name() === entry.name);
      expect(command?.description(), entry.name).toBe(entry.description);
    }
  });

  it("lists every command in --help and runs one from a single module", async () => {
    const help = await run("node", [BIN, "--help"]);
    for (const entry of COMMANDS) expect(help.stdout).toContain(entry.name);
    const template = await run("node", [BIN, "template", "--help"]);
    expect(template.stdout).toContain("用法: dangjian template");
  });
});
