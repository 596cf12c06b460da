import { describe, expect, it } from "vitest";
import { BulletinRequestError, bulletinTargets } from "../../lib/bulletin/service.ts";
import { loadRegistry } from "../ingest/corpus-manifest.ts";

const registry = loadRegistry();

describe("bulletinTargets: what a bulletin run renders", () => {
  it("renders last month for the root and the configured scopes on the schedule (Beijing time)", () => {
    // 01:00 UTC on 6 November = 09:00 Beijing: the October bulletin.
    expect(bulletinTargets({ time: "2026-11-06T01:00:00Z" }, new Date(), registry, ["001002"])).toEqual({
      month: "2026-10",
      scopes: ["001", "001002"],
    });
    // 16:30 UTC on 31 October is already 1 November in Beijing.
    expect(bulletinTargets({}, new Date("2026-10-31T16:30:00Z"), registry, []).month).toBe("2026-10");
  });

  it("renders one requested scope and month, and refuses unknown scopes or bad periods in Chinese", () => {
    expect(bulletinTargets({ scope: "001001", period: "2026-09" }, new Date(), registry, ["001002"])).toEqual(
      {
        month: "2026-09",
        scopes: ["001001"],
      },
    );
    expect(() => bulletinTargets({ scope: "009" }, new Date(), registry, [])).toThrow(BulletinRequestError);
    expect(() => bulletinTargets({ period: "2026-13" }, new Date(), registry, [])).toThrow(/期间无效/);
    expect(() => bulletinTargets({}, new Date(), registry, ["009"])).toThrow(/009/);
  });
});
