/**
 * One small structured logger: JSON lines with a level, a message and the context of the work
 * (request id, upload id …), which CloudWatch Logs Insights can query. LOG_LEVEL is read once with
 * the config; `child` adds context for one request or one upload.
 */
export type LogLevel = "silent" | "error" | "info";

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** The same logger with these fields on every line. */
  child(fields: Record<string, unknown>): Logger;
}

const RANK: Record<LogLevel, number> = { silent: 0, error: 1, info: 2 };

export function createLogger(
  level: LogLevel,
  context: Record<string, unknown> = {},
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Logger {
  const emit = (at: "info" | "error", msg: string, fields: Record<string, unknown> = {}): void => {
    if (RANK[level] < RANK[at]) return;
    write(JSON.stringify({ level: at, time: new Date().toISOString(), msg, ...context, ...fields }));
  };
  return {
    info: (msg, fields) => emit("info", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
    child: (fields) => createLogger(level, { ...context, ...fields }, write),
  };
}

/** An error as log fields: its name, message and stack, never the whole object. */
export function errorFields(err: unknown): Record<string, unknown> {
  return err instanceof Error
    ? { error: `${err.name}: ${err.message}`, stack: err.stack }
    : { error: String(err) };
}
