/**
 * The one family of errors lib/ throws on purpose (powertools' errors.ts habit): a base class with
 * a stable `code`, the class's own `name` and an optional `cause`. Users' problems with their files
 * are not errors but ValidationIssues in the report; these are for faults and refusals that stop
 * a request or a job. The API maps them to HTTP at its edge by `instanceof`, never by `name`.
 */
export class DangjianError extends Error {
  constructor(
    /** Stable code, e.g. E_REGISTRY_MISSING: logs, the API and tests match on it. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The table holds no registry yet (nothing can be validated or read). */
export class RegistryMissing extends DangjianError {
  constructor() {
    super(
      "E_REGISTRY_MISSING",
      "单位名册尚未导入:请先上传 registry/units.csv 或运行 dangjian registry load units.csv",
    );
  }
}

/** The environment is wrong at start-up: better to fail loudly than to run half-configured. */
export class ConfigError extends DangjianError {
  constructor(message: string) {
    super("E_CONFIG", message);
  }
}

/** A transaction's condition failed or another transaction got there first (re-read and retry). */
export class WriteConflict extends DangjianError {
  constructor(
    message: string,
    readonly reasons: readonly string[],
  ) {
    super("E_WRITE_CONFLICT", message);
  }
}

/**
 * A 片区's month was locked (市级确认) between the pipeline's check and its write: nothing was
 * written; a retry of the upload finds the lock and rejects the rows with E_PERIOD_LOCKED.
 */
export class LockedMeanwhile extends DangjianError {
  constructor(readonly locks: readonly string[]) {
    super("E_LOCKED_MEANWHILE", `locked while writing: ${locks.join(", ")}`);
  }
}

/** Bytes that are not text we can read; ingest turns it into an E_ENCODING issue. */
export class EncodingProblem extends DangjianError {
  constructor(message: string) {
    super("E_ENCODING", message);
  }
}

/** The bulletin wording template does not validate. */
export class WordingError extends DangjianError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_WORDING", message, options);
  }
}

/** A deliberate crash from the fault-injection wrapper (tests only). */
export class CrashInjected extends DangjianError {
  constructor(readonly afterWrites: number) {
    super("E_CRASH_INJECTED", `crash injected after ${afterWrites} writes`);
  }
}
