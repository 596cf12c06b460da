import { describe, expect, it } from "vitest";
import { loadConfig } from "../../lib/config.ts";
import { ConfigError } from "../../lib/errors.ts";

describe("loadConfig", () => {
  it("fills defaults and reads numbers and lists from strings", () => {
    const c = loadConfig({
      TABLE_NAME: "t",
      BUCKET_NAME: "b",
      DEADLINE_DAY: "7",
      BULLETIN_SCOPES: "001001, 001002,",
    });
    expect(c.DEADLINE_DAY).toBe(7);
    expect(c.ROLLUP_SHARDS).toBe(4);
    expect(c.BULLETIN_SCOPES).toEqual(["001001", "001002"]);
    expect(c.AWS_REGION).toBe("cn-north-1");
  });

  it("refuses a missing table name, a deadline past the 28th and a malformed endpoint, naming each", () => {
    let error: unknown;
    try {
      loadConfig({ TABLE_NAME: "", BUCKET_NAME: "b", DEADLINE_DAY: "31", S3_ENDPOINT: "nope" });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ["TABLE_NAME", "DEADLINE_DAY", "S3_ENDPOINT"]) expect(message).toContain(name);
  });
});
