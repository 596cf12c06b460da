/** What every `dangjian` command is given: where to write, and how to report its exit code. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Each command registers itself and reports its exit code through `setExit`. */
export interface CommandContext {
  readonly io: CliIo;
  setExit(code: number): void;
}
