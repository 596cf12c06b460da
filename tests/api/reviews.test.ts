/**
 * 逐级审核 through the HTTP API on the real local stack: a 片区 approves or returns its units'
 * returns (one version at a time), ops confirm and lock the 片区's month, uploads to a locked month
 * are refused with E_PERIOD_LOCKED, and unlock opens it again — every transition on record.
 */
import { describe, expect, it } from "vitest";
import { startApiServer } from "../../scripts/local/http.ts";
import { returnCsv } from "../support/returns.ts";
import { rollupSnapshot } from "../support/stack.ts";
import { type ApiFixture, call, LAST_MONTH, unitValues, useApiFixture } from "./fixture.ts";

const fxOf = useApiFixture({ data: true });
const AREA = "001001";
const MONTH = LAST_MONTH;

interface UnitState {
  code: string;
  state: string;
  state_name: string;
  version: string | null;
  reason: string | null;
}

async function post(fx: ApiFixture, path: string, key: string, body: unknown) {
  return call(fx, path, {
    key,
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });
}

async function states(fx: ApiFixture, key = fx.keys.area): Promise<Map<string, UnitState>> {
  const reply = await call(fx, `/v1/reviews?scope=${AREA}&period=${MONTH}`, { key });
  expect(reply.status, reply.text).toBe(200);
  return new Map((reply.json().units as UnitState[]).map((u) => [u.code, u]));
}

/** The unit's figures as the fixture sent them, one 三会一课 more: a correction no history rule minds. */
function corrected(unit: string) {
  const values = unitValues(unit, MONTH);
  return returnCsv([{ unit, period: MONTH, values: { ...values, sanhui_yike: values.sanhui_yike + 1 } }]);
}

/** Uploads through the URL POST /v1/uploads hands out (a presigned PUT or POST form), and waits. */
async function upload(fx: ApiFixture, key: string, unit: string, csv: string) {
  const created = (await post(fx, "/v1/uploads", key, { unit, period: MONTH })).json();
  if (created.method === "POST") {
    const form = new FormData();
    for (const [k, v] of Object.entries(created.fields as Record<string, string>)) form.append(k, v);
    form.append("file", new Blob([csv], { type: "text/csv" }), "return.csv");
    expect((await fetch(created.url, { method: "POST", body: form })).ok).toBe(true);
  } else {
    expect((await fetch(created.url, { method: "PUT", headers: created.headers, body: csv })).ok).toBe(true);
  }
  for (let i = 0; i < 100; i++) {
    const state = (await call(fx, `/v1/uploads/${created.uploadId}`, { key })).json();
    if (["aggregated", "rejected", "failed"].includes(state.upload.status)) return state;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("upload not processed");
}

describe("逐级审核: a 片区's month from 已接收 to 市级确认", () => {
  it("approves and returns returns by version, confirms the month, refuses uploads to it, and unlocks", async () => {
    const fx = fxOf();
    let units = await states(fx);
    expect([...units.values()].map((u) => u.state)).toEqual(["received", "received", "received", "received"]);
    const [first, second, third, fourth] = [...units.keys()] as [string, string, string, string];

    // A 片区 approves one return; doing it twice changes nothing.
    const approve = (unit: string, version: string | null, key = fx.keys.area) =>
      post(fx, "/v1/reviews", key, { unit, period: MONTH, action: "approve", version, by: "王片区" });
    const ok = await approve(first, units.get(first)?.version ?? "");
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json().outcome).toBe("ok");
    expect((await approve(first, units.get(first)?.version ?? "")).json().outcome).toBe("unchanged");
    // A unit cannot approve itself; nobody approves a version they did not see.
    expect((await approve(first, units.get(first)?.version ?? "", fx.keys.leaf)).status).toBe(403);
    const stale = await approve(third, "2026-11-01T00:00:00.000Z#someoneelse");
    expect(stale.status).toBe(409);
    expect(stale.json().error.code).toBe("E_STALE_VERSION");

    // Returned for changes with a reason the unit sees.
    const back = await post(fx, "/v1/reviews", fx.keys.area, {
      unit: second,
      period: MONTH,
      action: "return",
      version: units.get(second)?.version,
      reason: "志愿服务时长与人次不符,请核实",
    });
    expect(back.status, back.text).toBe(200);
    units = await states(fx);
    expect(units.get(first)?.state_name).toBe("片区审核通过");
    expect(units.get(second)).toMatchObject({
      state: "returned",
      state_name: "退回修改",
      reason: "志愿服务时长与人次不符,请核实",
    });

    // Confirming now is refused and names the units still in the way; nothing is locked.
    const early = await post(fx, "/v1/locks", fx.keys.ops, { scope: AREA, period: MONTH, action: "confirm" });
    expect(early.status).toBe(409);
    expect(early.json().error.code).toBe("E_NOT_APPROVED");
    expect(
      early
        .json()
        .error.details.map((d: { message: string }) => d.message)
        .sort(),
    ).toEqual([second, third, fourth].sort());
    // A 片区 key may not confirm.
    expect(
      (await post(fx, "/v1/locks", fx.keys.area, { scope: AREA, period: MONTH, action: "confirm" })).status,
    ).toBe(403);

    // The returned unit uploads again: the new version is 已接收, not still 退回修改.
    const fixed = await upload(fx, fx.keys.area, second, corrected(second));
    expect(fixed.upload.status).toBe("aggregated");
    units = await states(fx);
    expect(units.get(second)?.state).toBe("received");
    for (const unit of [second, third, fourth]) {
      const v = units.get(unit)?.version;
      if (v) expect((await approve(unit, v)).status).toBe(200);
    }
    const confirmed = await post(fx, "/v1/locks", fx.keys.ops, {
      scope: AREA,
      period: MONTH,
      action: "confirm",
      by: "李主任",
    });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.json().state).toBe("locked");
    units = await states(fx);
    expect([...units.values()].every((u) => u.state === "confirmed" || u.state === "missing")).toBe(true);

    // A locked month: uploads are refused row by row, naming who locked it; figures do not move.
    const before = await rollupSnapshot(fx.stack);
    const refused = await upload(fx, fx.keys.area, first, corrected(first));
    expect(refused.upload.status).toBe("rejected");
    const issue = refused.issues.items.find((i: { code: string }) => i.code === "E_PERIOD_LOCKED");
    expect(issue.message).toContain("李主任");
    expect(issue.message).toContain("确认锁定");
    expect(await rollupSnapshot(fx.stack)).toEqual(before);
    const late = await post(fx, "/v1/reviews", fx.keys.area, {
      unit: first,
      period: MONTH,
      action: "return",
      version: units.get(first)?.version,
      reason: "再核实一下",
    });
    expect(late.json().error.code).toBe("E_PERIOD_LOCKED");

    // Unlock needs a reason; then the month takes uploads again.
    expect(
      (await post(fx, "/v1/locks", fx.keys.ops, { scope: AREA, period: MONTH, action: "unlock" })).status,
    ).toBe(400);
    const open = await post(fx, "/v1/locks", fx.keys.ops, {
      scope: AREA,
      period: MONTH,
      action: "unlock",
      reason: "市委办公室更正党员总数",
    });
    expect(open.json().state).toBe("open");
    const again = await upload(fx, fx.keys.area, first, corrected(first));
    expect(again.upload.status).toBe("aggregated");

    // Every transition is on record: who, when, why.
    const history = (await call(fx, `/v1/reviews/${second}/${MONTH}`, { key: fx.keys.ops })).json()
      .history as {
      action: string;
      reason?: string;
    }[];
    expect(history.map((h) => h.action)).toEqual(["return", "approve", "confirm", "unlock"]);
    expect(history[0]?.reason).toBe("志愿服务时长与人次不符,请核实");
    expect(history[3]?.reason).toBe("市委办公室更正党员总数");
  }, 120_000);

  it("keeps concurrent approvals of one version harmless", async () => {
    const fx = fxOf();
    const units = await states(fx);
    const [code, unit] = [...units.entries()].find(([, u]) => u.state === "received") ?? [];
    expect(unit).toBeDefined();
    const replies = await Promise.all(
      Array.from({ length: 6 }, () =>
        post(fx, "/v1/reviews", fx.keys.area, {
          unit: code,
          period: MONTH,
          action: "approve",
          version: unit?.version,
        }),
      ),
    );
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect((await states(fx)).get(code as string)?.state).toBe("approved");
  });

  it("answers 409 on every review route when review is off (APPROVAL_LEVELS=0)", async () => {
    const fx = fxOf();
    const server = await startApiServer({
      services: fx.stack.services,
      settings: { cacheSeconds: 0, approvalLevels: 0 },
      ready: true,
    });
    try {
      const reply = await fetch(`${server.url}/v1/reviews?scope=${AREA}&period=${MONTH}`, {
        headers: { authorization: `Bearer ${fx.keys.ops}` },
      });
      expect(reply.status).toBe(409);
      expect(((await reply.json()) as { error: { code: string } }).error.code).toBe("E_REVIEW_OFF");
    } finally {
      await server.close();
    }
  });
});
