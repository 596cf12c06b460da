/**
 * 催报 on the real emulators: from the 3rd, each 片区 with units missing last month's return gets
 * one notice a day naming them with their contacts, every reminder is recorded per unit, a second
 * run the same day sends nothing, and a unit that reports drops off the list.
 */
import { describe, expect, it } from "vitest";
import { gatherBulletinInput } from "../../lib/bulletin/service.ts";
import { newApiKey } from "../../lib/domain/auth.ts";
import type { Notifier } from "../../lib/ports.ts";
import { sendReminders } from "../../lib/workflow/remind-service.ts";
import { startApiServer } from "../../scripts/local/http.ts";
import { figures, returnCsv } from "../support/returns.ts";
import { loadRegistry, useLocalStack } from "../support/stack.ts";

const stackOf = useLocalStack();

/** The notices as the 片区 would read them (the SNS adapter's place in production). */
class Inbox implements Notifier {
  readonly messages: { subject: string; body: string }[] = [];
  async notify(subject: string, body: string): Promise<void> {
    this.messages.push({ subject, body });
  }
}

const REGISTRY = [
  "单位代码,单位名称,上级单位代码,联系人,手机,邮箱",
  "001,市直机关工委,,,,",
  "001001,第一片区,001,,,",
  "001001001,市委办公室机关党支部,001001,李红梅,13805511234,li@example.gov.cn",
  "001001002,市政府办公室机关党支部,001001,,,",
  "001002,第二片区,001,,,",
  "001002001,市财政局机关党支部,001002,,,",
].join("\r\n");

/** 09:00 Beijing on `day` of November 2026. */
const on = (day: number) => new Date(`2026-11-${String(day).padStart(2, "0")}T09:00:00+08:00`);

describe("催报: daily reminders of units without a return", () => {
  it("reminds each 片区 once a day from the 3rd, records every reminder, and stops for units that report", async () => {
    const stack = stackOf();
    await loadRegistry(stack, REGISTRY);
    // September: everyone reported, so each unit has a last 填报人 and 联系电话.
    await stack.put(
      "incoming/001/2026-09/sept000001.csv",
      returnCsv(
        ["001001001", "001001002", "001002001"].map((unit, i) => ({
          unit,
          period: "2026-09",
          values: figures(i, i),
        })),
      ),
      { submittedAt: "2026-10-02T02:00:00.000Z" },
    );
    // October: only the 财政局 has reported so far.
    await stack.put(
      "incoming/001002001/2026-10/oct0000001.csv",
      returnCsv([{ unit: "001002001", period: "2026-10", values: figures(5, 2) }]),
      { submittedAt: "2026-11-01T02:00:00.000Z" },
    );
    await stack.drain();
    const inbox = new Inbox();
    const deps = {
      registry: await stack.services.registry(),
      returns: stack.services.stores.returns,
      reminders: stack.services.stores.reminders,
      notifier: inbox,
      deadlineDay: 5,
      fromDay: 3,
      channel: "sns",
    };

    expect((await sendReminders(deps, on(2))).due).toBe(false);
    expect(inbox.messages).toEqual([]);

    const third = await sendReminders(deps, on(3));
    expect(third.sent).toEqual([{ scope: "001001", units: ["001001001", "001001002"] }]);
    expect(inbox.messages).toHaveLength(1);
    const notice = inbox.messages[0] as { subject: string; body: string };
    expect(notice.subject).toBe("催报:第一片区2026年10月月报尚有2个单位未报送");
    expect(notice.body).toContain("报送截止日为2026-11-05");
    // The registry's contact where units.csv has one, else the last return's 填报人.
    expect(notice.body).toContain("市委办公室机关党支部(001001001),联系人:李红梅 13805511234");
    expect(notice.body).toContain("市政府办公室机关党支部(001001002),联系人:张三 0123-4567890");

    // The schedule runs twice that day: nothing is sent or counted again.
    const again = await sendReminders(deps, on(3));
    expect(again.alreadySent).toEqual(["001001"]);
    expect(inbox.messages).toHaveLength(1);

    await sendReminders(deps, on(4));
    const counts = await stack.services.stores.reminders.remindersUnder("001001", "2026-10");
    expect(Object.fromEntries(counts.map((r) => [r.unit, r.count]))).toEqual({
      "001001001": 2,
      "001001002": 2,
    });
    expect(inbox.messages[1]?.body).toContain("已催报1次");

    // One unit reports (late, after two reminders); the other is chased past the deadline.
    await stack.put(
      "incoming/001001001/2026-10/oct0000002.csv",
      returnCsv([{ unit: "001001001", period: "2026-10", values: figures(3, 0) }]),
      { submittedAt: "2026-11-06T03:00:00.000Z" },
    );
    await stack.drain();
    const eighth = await sendReminders(deps, on(8));
    expect(eighth.sent).toEqual([{ scope: "001001", units: ["001001002"] }]);
    expect(inbox.messages.at(-1)?.body).toContain("报送截止日(2026-11-05)已过3天");
    expect(inbox.messages.at(-1)?.body).not.toContain("001001001");

    // The bulletin's 报送情况 names the late unit that reported after its two reminders; with
    // 逐级审核 on and only the 第二片区 confirmed, the month's figures are 初步统计.
    const reads = { ...deps, rollups: stack.services.stores.rollups };
    const locked = await stack.services.stores.reviews.moveLock(
      {
        scope: "001002",
        month: "2026-10",
        state: "locked",
        by: "test",
        at: on(8).toISOString(),
        unreported: [],
        history: [],
      },
      [undefined, "open"],
    );
    expect(locked).toBe(true);
    const input = await gatherBulletinInput(reads, "001", "2026-10", 0, "2026-11-09", {
      reviews: stack.services.stores.reviews,
      reminders: stack.services.stores.reminders,
    });
    expect(input.completeness.late.map((u) => u.code)).toEqual(["001001001"]);
    expect(input.completeness.remindedLate).toEqual([
      { code: "001001001", name: "市委办公室机关党支部", reminders: 2 },
    ]);
    expect(input.review).toEqual({ areas: 2, confirmed: 1, pending: [{ code: "001001", name: "第一片区" }] });
    // Without 逐级审核 (no review store read) the bulletin says nothing of confirmation.
    const plain = await gatherBulletinInput(reads, "001", "2026-10", 0, "2026-11-09");
    expect(plain.review).toBeUndefined();
    expect(plain.completeness.remindedLate).toBeUndefined();
  }, 60_000);

  it("gives the day back when the notice could not be sent, so the next run tries again", async () => {
    const stack = stackOf();
    const failing: Notifier = {
      async notify() {
        throw new Error("SNS unavailable");
      },
    };
    const deps = {
      registry: await stack.services.registry(),
      returns: stack.services.stores.returns,
      reminders: stack.services.stores.reminders,
      deadlineDay: 5,
      fromDay: 3,
      channel: "sns",
    };
    await expect(sendReminders({ ...deps, notifier: failing }, on(9))).rejects.toThrow("SNS unavailable");
    const inbox = new Inbox();
    const retry = await sendReminders({ ...deps, notifier: inbox }, on(9));
    expect(retry.sent.map((s) => s.scope)).toEqual(["001001"]);
    expect(inbox.messages).toHaveLength(1);
  });
});

describe("催报 in the completeness list", () => {
  it("shows 催报次数 and 最后催报时间 beside each unit still missing", async () => {
    const stack = stackOf();
    const ops = newApiKey({ role: "ops", unit: null }, new Date());
    await stack.services.stores.keys.putKey(ops.record);
    const server = await startApiServer({
      services: stack.services,
      settings: { cacheSeconds: 0 },
      now: () => on(10),
      ready: true,
    });
    try {
      const reply = await fetch(`${server.url}/v1/completeness?scope=001001&period=2026-10`, {
        headers: { authorization: `Bearer ${ops.key}` },
      });
      const body = (await reply.json()) as {
        missing: { code: string; reminders: number; last_reminded_at?: string }[];
      };
      const chased = body.missing.find((u) => u.code === "001001002");
      // The 3rd, 4th, 8th and 9th above (the 3rd twice but counted once).
      expect(chased?.reminders).toBe(4);
      expect(chased?.last_reminded_at).toBe(on(9).toISOString());
    } finally {
      await server.close();
    }
  });
});
