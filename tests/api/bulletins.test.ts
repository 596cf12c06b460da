/**
 * 审签 over HTTP (the routes the portal's 简报 page calls), on the real local stack with the real
 * bulletin run behind POST …/render, …/edit, …/sign and …/correct: a 送审稿 with no 期号, the
 * candidate 典型案例, an edit the next revision prints, 签发 of a stale revision refused, two
 * concurrent 签发 with one winner, the issued PDF with its 期号 and date, immutability (409 in
 * Chinese), a 更正, and unit keys that never see a draft.
 */
import { describe, expect, it } from "vitest";
import type { BulletinRenderer } from "../../lib/api/context.ts";
import { composeBulletin } from "../../lib/bulletin/compose.ts";
import { publishBulletin } from "../../lib/bulletin/service.ts";
import { renderBulletinPdf } from "../../lib/files/render.ts";
import { loadWording } from "../../lib/files/wording-file.ts";
import { pdfPages } from "../bulletin/pdf-tools.ts";
import { returnCsv } from "../support/returns.ts";
import { call, LAST_MONTH, submittedOn, unitValues, useApiFixture } from "./fixture.ts";

/** Runs started by the API (the local stand-in for the asynchronous Lambda invocation). */
const runs: Promise<unknown>[] = [];
const renderer: BulletinRenderer = async (request) => {
  const fx = fxOf();
  const services = fx.stack.services;
  runs.push(
    (async () =>
      publishBulletin(
        {
          stores: services.stores,
          objects: services.objects,
          registry: await services.registry(),
          deadlineDay: services.config.DEADLINE_DAY,
          wording: await loadWording(),
          compose: composeBulletin,
          render: renderBulletinPdf,
        },
        request.scope,
        request.period,
        new Date(),
        { edition: request.edition ?? 0 },
      ))(),
  );
};
const fxOf = useApiFixture({ data: true, renderBulletin: renderer });

async function settled(): Promise<void> {
  while (runs.length) await runs.shift();
}

const json = { "content-type": "application/json" };
const post = (path: string, body: unknown, key = fxOf().keys.ops) =>
  call(fxOf(), path, { key, method: "POST", body: JSON.stringify(body), headers: json });
const get = (path: string, key = fxOf().keys.ops) => call(fxOf(), path, { key });
const download = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());

describe("审签 through the API", () => {
  it("drafts, edits, signs once, issues, refuses changes, and corrects — unit keys see issued bulletins only", async () => {
    const fx = fxOf();
    // Two units send their October return again with a 亮点工作 (same figures).
    const stories = {
      "001001001": "组织党员志愿者走进结对社区,开展“我为群众办实事”活动,本月解决群众急难愁盼问题15个。",
      "001002001": "开展“党员先锋岗”亮岗践诺活动,设立先锋岗6个,推动窗口服务提速增效,群众好评率持续提升。",
    };
    const rows = Object.entries(stories).map(([unit, highlight]) => ({
      unit,
      period: LAST_MONTH,
      values: unitValues(unit, LAST_MONTH),
      highlight,
    }));
    await fx.stack.put(
      `incoming/001/${LAST_MONTH}/stories${LAST_MONTH.replace("-", "")}.csv`,
      returnCsv(rows),
      {
        submittedAt: submittedOn(LAST_MONTH, 3),
      },
    );
    await fx.stack.drain();

    expect((await post(`/v1/bulletins/${LAST_MONTH}/render`, {})).status).toBe(202);
    // The 片区's own bulletin, for what its unit key may see.
    expect((await post(`/v1/bulletins/${LAST_MONTH}/render`, { scope: "001001" })).status).toBe(202);
    await settled();

    // The 送审稿: ops see it, with no 期号; a unit key does not.
    const draft = await get(`/v1/bulletins/${LAST_MONTH}`);
    expect(draft.status).toBe(200);
    expect(draft.json()).toMatchObject({
      status: "draft",
      status_label: "送审稿",
      issue_number: null,
      issue: null,
      revision: 1,
      edition: 0,
      edits: { pending: false, version: 0, cases: null },
    });
    expect(draft.json().fileName).toContain("送审稿(第1版)");
    expect((await pdfPages(await download(draft.json().url)))[0]).toContain("送审稿");
    expect((await get(`/v1/bulletins/${LAST_MONTH}?scope=001001`)).json().status).toBe("draft");
    expect((await get(`/v1/bulletins/${LAST_MONTH}`, fx.keys.area)).status).toBe(404);
    expect((await get("/v1/bulletins", fx.keys.area)).json().bulletins).toEqual([]);

    // The candidates, and an edit: the editors' order and a 按语.
    const cases = await get(`/v1/bulletins/${LAST_MONTH}/cases`);
    expect(cases.status).toBe(200);
    expect(cases.json().chosen_by).toBe("automatic");
    const units: string[] = cases.json().cases.map((c: { unit: string }) => c.unit);
    expect([...units].sort()).toEqual(Object.keys(stories));
    expect(cases.json().cases[0]).toMatchObject({ printed: 1, chosen: null });
    expect((await get(`/v1/bulletins/${LAST_MONTH}/cases`, fx.keys.area)).status).toBe(403);
    const chosen = [...units].reverse();
    const edit = await post(`/v1/bulletins/${LAST_MONTH}/edit`, {
      cases: chosen,
      comment: "以上做法值得借鉴。",
      editor: "编辑刘洋",
    });
    expect(edit.status).toBe(202);
    expect(edit.json().edits).toMatchObject({
      cases: chosen,
      comment: "以上做法值得借鉴。",
      pending: true,
      version: 1,
    });
    expect((await post(`/v1/bulletins/${LAST_MONTH}/edit`, { cases: ["001009009"] })).json().error.code).toBe(
      "E_BULLETIN_CASES",
    );
    expect((await post(`/v1/bulletins/${LAST_MONTH}/edit`, { comment: "x" }, fx.keys.area)).status).toBe(403);
    await settled();
    const revised = (await get(`/v1/bulletins/${LAST_MONTH}`)).json();
    expect(revised).toMatchObject({ revision: 2, printed_cases: chosen, edits: { pending: false } });
    expect((await pdfPages(await download(revised.url))).join("")).toContain("按语：以上做法值得借鉴。");

    // 签发 of a revision the signer did not see is refused; two at once: one wins, one 期号 used.
    const stale = await post(`/v1/bulletins/${LAST_MONTH}/sign`, { signer: "陈书记", revision: 1 });
    expect(stale.status).toBe(409);
    expect(stale.json().error.code).toBe("E_BULLETIN_REVISION");
    expect(
      (await post(`/v1/bulletins/${LAST_MONTH}/sign`, { signer: "陈书记", revision: 2 }, fx.keys.area))
        .status,
    ).toBe(403);
    const both = await Promise.all([
      post(`/v1/bulletins/${LAST_MONTH}/sign`, { signer: "陈书记", revision: 2 }),
      post(`/v1/bulletins/${LAST_MONTH}/sign`, { signer: "陈书记", revision: 2 }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([202, 409]);
    const winner = both.find((r) => r.status === 202)?.json();
    expect(winner).toMatchObject({
      status: "signed",
      issue_number: 1,
      issue: "2026年第1期",
      signature: { signer: "陈书记", issue_date: "2026-11-10", revision: 2 },
    });
    await settled();
    expect(await fx.stack.services.stores.bulletins.lastIssueNumber("001", 2026)).toBe(1);

    const issued = await get(`/v1/bulletins/${LAST_MONTH}`);
    expect(issued.json()).toMatchObject({ status: "issued", status_label: "已印发", issue_number: 1 });
    expect(issued.json().fileName).toBe("测试市直机关工委机关党建工作简报2026年第1期.pdf");
    const pages = await pdfPages(await download(issued.json().url));
    expect(pages[0]).toContain("2026年第1期");
    expect(pages[0]).toContain("2026年11月10日");
    expect(pages[0]).not.toContain("送审稿");

    // Immutable: re-render, edit, 签发 again — 409 with a Chinese reason.
    for (const [path, body] of [
      ["render", {}],
      ["edit", { comment: "再改" }],
      ["sign", { signer: "陈书记", revision: 2 }],
    ] as const) {
      const refused = await post(`/v1/bulletins/${LAST_MONTH}/${path}`, body);
      expect(refused.status, path).toBe(409);
      expect(refused.json().error.code).toBe("E_BULLETIN_SIGNED");
      expect(refused.json().error.message).toContain("由陈书记签发为2026年第1期");
    }
    // Signed and issued, the 片区's bulletin is circulated: its unit key sees it (its own 期号 count).
    const area = (await get(`/v1/bulletins/${LAST_MONTH}?scope=001001`)).json();
    expect(
      (
        await post(`/v1/bulletins/${LAST_MONTH}/sign`, {
          scope: "001001",
          signer: "片区书记",
          revision: area.revision,
        })
      ).status,
    ).toBe(202);
    await settled();
    const seen = await get(`/v1/bulletins/${LAST_MONTH}`, fx.keys.area);
    expect(seen.json()).toMatchObject({ scope: "001001", status: "issued", issue: "2026年第1期" });
    expect((await get("/v1/bulletins", fx.keys.area)).json().bulletins).toHaveLength(1);

    // A 更正: a new edition, signed with the next 期号, saying what it corrects.
    const correction = await post(`/v1/bulletins/${LAST_MONTH}/correct`, {
      reason: "报送率计算有误",
      editor: "编辑刘洋",
    });
    expect(correction.status).toBe(202);
    expect(correction.json()).toMatchObject({
      edition: 1,
      status: "draft",
      correction: { issue: "2026年第1期", reason: "报送率计算有误" },
      edits: { comment: "以上做法值得借鉴。" },
    });
    await settled();
    const latest = (await get(`/v1/bulletins/${LAST_MONTH}`)).json();
    expect(latest).toMatchObject({ edition: 1, revision: 1 });
    expect(latest.editions).toEqual([
      { edition: 0, status: "issued", issue: "2026年第1期" },
      { edition: 1, status: "draft", issue: null },
    ]);
    const signed = await post(`/v1/bulletins/${LAST_MONTH}/sign`, {
      edition: 1,
      signer: "陈书记",
      revision: 1,
    });
    expect(signed.json().issue_number).toBe(2);
    await settled();
    const corrected = (await get(`/v1/bulletins/${LAST_MONTH}?edition=1`)).json();
    expect(corrected.status).toBe("issued");
    expect((await pdfPages(await download(corrected.url))).join("")).toContain("本期更正2026年第1期");
    const listed = (await get("/v1/bulletins"))
      .json()
      .bulletins.map((b: { edition: number; issue: string }) => [b.edition, b.issue]);
    expect(listed).toEqual([
      [1, "2026年第2期"],
      [0, "2026年第1期"],
    ]);
  }, 300_000);
});
