/**
 * 逐级审核 in the portal, in real headless Chromium against the real local stack: a 片区 approves
 * one unit's return and returns another with a reason (plain forms, no script); the unit reads
 * the reason and uploads again; the 片区's approval of the version it saw before is refused with
 * the API's message, then it approves the new one; ops' first 市级确认 is refused naming the units
 * still in the way, then succeeds; the unit's upload to the locked month is refused; a 片区 key
 * can neither confirm nor review another 片区; ops unlock with a reason; the 审核记录 shows every
 * step. Each new page is checked with axe-core.
 */
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { monthLabel } from "../../lib/domain/periods.ts";
import { startApiServer } from "../../scripts/local/http.ts";
import { returnCsv } from "../support/returns.ts";
import {
  expectAccessible,
  login,
  newPage,
  uploadThroughPicker,
  useWebFixture,
  type WebFixture,
} from "./fixture.ts";

const fxOf = useWebFixture();

const AREA = "001001";
const RETURNED = "001001001";
const APPROVED = "001001002";
const LATER = ["001001003", "001001004"];
const OTHER_AREA_UNIT = "001002001";
/** The 片区's reason, with markup in it: the unit must read it as text. */
const REASON = "志愿服务时长与人次不符<b>请核实</b>后重报";
const UNLOCK_REASON = "市委办公室更正党员总数";

const opened: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const c of opened) await c.close();
});

async function open(fx: WebFixture, code: string, key: string, javaScriptEnabled = true): Promise<Page> {
  const { context, page } = await newPage(fx, { javaScriptEnabled });
  opened.push(context);
  await login(fx, page, code, key);
  return page;
}

const unitRow = (page: Page, code: string) => page.locator(`#unit-${code}`);
const counts = (page: Page) => page.locator(".counts .count__n").allTextContents();
const mainText = async (page: Page) => (await page.locator("main").textContent()) ?? "";

/** The fixture's return of the unit for the month, one 三会一课 more (a correction no history rule minds). */
function corrected(fx: WebFixture, unit: string, extra = 1): string {
  const row = fx.rows.find((r) => r.unit === unit && r.period === fx.month);
  if (!row) throw new Error(`no fixture row for ${unit}`);
  return returnCsv([
    { unit, period: fx.month, values: { ...row.values, sanhui_yike: row.values.sanhui_yike + extra } },
  ]);
}

/** Posts a form from inside a page of ours (same Origin), as a tampered page would. */
async function postForm(page: Page, action: string, fields: Record<string, string>): Promise<number> {
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.evaluate(
      ({ action, fields }) => {
        const form = document.createElement("form");
        form.method = "post";
        form.action = action;
        for (const [name, value] of Object.entries(fields)) {
          const input = document.createElement("input");
          input.type = "hidden";
          input.name = name;
          input.value = value;
          form.append(input);
        }
        document.body.append(form);
        form.submit();
      },
      { action, fields },
    ),
  ]);
  return response?.status() ?? 0;
}

describe("Portal: 逐级审核 of a 片区's month", () => {
  let areaPage: Page;

  it("lets a 片区 approve one return and return another with a required reason, without script", async () => {
    const fx = fxOf();
    areaPage = await open(fx, AREA, fx.keys.area1, false);
    const page = areaPage;
    await page.goto(`${fx.server.url}/web/reviews`);
    expect(await page.locator("h1").textContent()).toContain("审核");
    expect(await mainText(page)).toContain(monthLabel(fx.month));
    // 未报送, 已接收, 片区审核通过, 退回修改, 市级确认
    expect(await counts(page)).toEqual(["0", "4", "0", "0", "0"]);
    // A 片区 key sees no 市级确认 button: that is for ops.
    expect(await page.getByRole("button", { name: /^市级确认/ }).count()).toBe(0);

    await unitRow(page, APPROVED).getByRole("button", { name: /^通过/ }).click();
    expect(await page.locator(".notice").textContent()).toContain("已通过");
    expect(await unitRow(page, APPROVED).textContent()).toContain("片区审核通过");

    // 退回修改 without a reason: refused with the API's message, at the text box and on top.
    const row = unitRow(page, RETURNED);
    await row.locator("summary", { hasText: "退回修改" }).click();
    const refused = page.waitForResponse((r) => r.url().endsWith("/web/reviews/decide"));
    await row.getByRole("button", { name: /^确认退回/ }).click();
    expect((await refused).status()).toBe(400);
    const summary = page.locator(".error-summary");
    expect(await summary.textContent()).toContain("退回修改须写明理由");
    expect(await summary.locator("a").getAttribute("href")).toBe(`#reason-${RETURNED}`);
    expect(await row.locator(".field-error").textContent()).toContain("退回修改须写明理由");
    await row.getByLabel(/^退回理由/).fill(REASON);
    await row.getByRole("button", { name: /^确认退回/ }).click();
    expect(await page.locator(".notice").textContent()).toContain("已退回");
    expect(await unitRow(page, RETURNED).textContent()).toContain("退回修改");
    expect(await unitRow(page, RETURNED).locator(".reason").textContent()).toContain(REASON);
    expect(await counts(page)).toEqual(["0", "2", "1", "1", "0"]);
  });

  it("passes axe-core on the 片区's page with its forms open and a refused form", async () => {
    const fx = fxOf();
    // axe-core runs as script: the same page with script on (the no-script run above used it without).
    const page = await open(fx, AREA, fx.keys.area1);
    await page.goto(`${fx.server.url}/web/reviews`);
    const row = unitRow(page, LATER[0] as string);
    await row.locator("summary", { hasText: "退回修改" }).click();
    await expectAccessible(page);
    await row.getByRole("button", { name: /^确认退回/ }).click();
    await page.locator(".error-summary").waitFor();
    // The summary takes the focus, so a screen reader reads it first.
    expect(await page.evaluate(() => document.activeElement?.className)).toContain("error-summary");
    await expectAccessible(page);
    expect(await counts(page)).toEqual(["0", "2", "1", "1", "0"]);
  });

  it("shows the unit the reason on 本月填报 and 历史, and takes its new upload", async () => {
    const fx = fxOf();
    const page = await open(fx, RETURNED, fx.keys.otherUnit);
    const home = await mainText(page);
    expect(home).toContain("退回修改");
    expect(home).toContain(REASON);
    expect(await page.locator("main b").count()).toBe(0);
    await expectAccessible(page);
    await page.goto(`${fx.server.url}/web/history`);
    const row = page.locator("tr", { hasText: monthLabel(fx.month) }).first();
    expect(await row.textContent()).toContain("退回修改");
    expect(await row.textContent()).toContain(REASON);
    await expectAccessible(page);

    await uploadThroughPicker(page, fx.month, "更正.csv", corrected(fx, RETURNED));
    expect(await page.locator(".count__n").allTextContents()).toEqual(["1", "1", "0", "0"]);
    await page.goto(`${fx.server.url}/web/home`);
    expect(await mainText(page)).toContain("已接收,待片区审核");
    expect(await mainText(page)).not.toContain(REASON);
  });

  it("refuses the 片区's approval of the version it saw before the re-upload, then approves the new one", async () => {
    const fx = fxOf();
    const page = areaPage;
    // This page still shows the version the 片区 returned; the unit has uploaded since.
    const refused = page.waitForResponse((r) => r.url().endsWith("/web/reviews/decide"));
    await unitRow(page, RETURNED).getByRole("button", { name: /^通过/ }).click();
    expect((await refused).status()).toBe(409);
    expect(await page.locator(".error-summary").textContent()).toContain("该单位已重新上传");
    // The page now shows the new version, 已接收, with its own 通过.
    expect(await unitRow(page, RETURNED).textContent()).toContain("已接收");
    expect(await unitRow(page, RETURNED).locator(".field-error").textContent()).toContain("重新上传");
    await unitRow(page, RETURNED).getByRole("button", { name: /^通过/ }).click();
    expect(await page.locator(".notice").textContent()).toContain("已通过");
    expect(await unitRow(page, RETURNED).textContent()).toContain("片区审核通过");
    const stored = await fx.stack.services.stores.reviews.getReview(AREA, RETURNED, fx.month);
    const returns = await fx.stack.services.stores.returns.unitReturns(RETURNED);
    expect(stored?.version).toBe(returns.find((r) => r.period === fx.month)?.version);
  });

  it("refuses ops' first 市级确认 naming the units in the way, then confirms and locks the month", async () => {
    const fx = fxOf();
    const page = await open(fx, "001", fx.keys.ops);
    await page.goto(`${fx.server.url}/web/reviews?period=${fx.month}`);
    const area = page.locator(`#area-${AREA}`);
    expect(await area.textContent()).toContain("未确认");
    await expectAccessible(page);
    const refused = page.waitForResponse((r) => r.url().endsWith("/web/reviews/lock"));
    await area.getByRole("button", { name: /^市级确认/ }).click();
    expect((await refused).status()).toBe(409);
    const summary = page.locator(".error-summary");
    expect(await summary.textContent()).toContain("还有2个单位");
    for (const code of LATER)
      expect(await summary.textContent()).toContain(`第1片区第${code.slice(-1)}机关党支部`);
    expect(await summary.textContent()).not.toContain(`第1片区第1机关党支部`);
    await expectAccessible(page);

    // Each unit in the way links to its row on the 片区's page; ops may approve there too.
    await summary.locator(`a[href$="#unit-${LATER[0]}"]`).click();
    await page.waitForURL(new RegExp(`scope=${AREA}`));
    for (const code of LATER) await unitRow(page, code).getByRole("button", { name: /^通过/ }).click();
    expect(await counts(page)).toEqual(["0", "0", "4", "0", "0"]);
    await page
      .locator(".lock-panel")
      .getByRole("button", { name: /^市级确认/ })
      .click();
    expect(await page.locator(".notice").textContent()).toContain("已市级确认并锁定");
    expect(await page.locator(".lock-panel").textContent()).toMatch(
      /已确认锁定\(运维人员\(\w+\),\d{4}-\d\d-\d\d \d\d:\d\d\)/,
    );
    expect(await counts(page)).toEqual(["0", "0", "0", "0", "4"]);
    // Once locked, nothing is offered per unit but the records.
    expect(await page.getByRole("button", { name: /^通过|^确认退回/ }).count()).toBe(0);
    await expectAccessible(page);
  });

  it("says on the upload page that the month is locked, and refuses the upload with E_PERIOD_LOCKED", async () => {
    const fx = fxOf();
    const page = await open(fx, RETURNED, fx.keys.otherUnit);
    expect(await mainText(page)).toContain("该月数据已市级确认并锁定");
    await page.goto(`${fx.server.url}/web/upload`);
    const notice = page.locator("[data-lock-notice]");
    expect(await notice.textContent()).toMatch(/第1片区的数据已由运维人员.+于.+确认锁定\(市级确认\)/);
    await expectAccessible(page);
    // With script the warning follows the month picker.
    await page.getByLabel("报送期间").selectOption(fx.previous);
    await expect.poll(() => notice.textContent()).not.toContain("确认锁定");
    await page.getByLabel("报送期间").selectOption(fx.month);
    await expect.poll(() => notice.textContent()).toContain("确认锁定");

    await uploadThroughPicker(page, fx.month, "锁定后.csv", corrected(fx, RETURNED, 2));
    const report = await mainText(page);
    expect(report).toContain("E_PERIOD_LOCKED");
    expect(report).toMatch(/已由运维人员.+确认锁定\(市级确认\),不能再上传或更正/);
    expect(await page.locator(".count__n").allTextContents()).toEqual(["1", "0", "0", "1"]);
  });

  it("keeps a 片区 key from 市级确认 (a 403 page) and from another 片区's units", async () => {
    const fx = fxOf();
    const page = await open(fx, AREA, fx.keys.area1);
    const other = await page.goto(`${fx.server.url}/web/reviews?scope=001002&period=${fx.month}`);
    expect(other?.status()).toBe(403);
    expect(await mainText(page)).toContain("无权访问");
    await expectAccessible(page);

    const unlock = await postForm(page, "/web/reviews/lock", {
      scope: AREA,
      period: fx.month,
      action: "unlock",
      reason: "片区想改",
    });
    expect(unlock).toBe(403);
    expect(await mainText(page)).toContain("只有运维密钥或市直机关工委的密钥可以进行市级确认或解锁");
    expect(await mainText(page)).not.toMatch(/at \w+ \(|Error:/);

    const otherVersion = (await fx.stack.services.stores.returns.unitReturns(OTHER_AREA_UNIT)).find(
      (r) => r.period === fx.previous,
    )?.version as string;
    const decide = await postForm(page, "/web/reviews/decide", {
      unit: OTHER_AREA_UNIT,
      period: fx.previous,
      action: "approve",
      version: otherVersion,
    });
    expect(decide).toBe(403);
    expect(await mainText(page)).toContain("无权访问");
    expect(
      await fx.stack.services.stores.reviews.getReview("001002", OTHER_AREA_UNIT, fx.previous),
    ).toBeUndefined();
    expect((await fx.stack.services.stores.reviews.getLock(AREA, fx.month))?.state).toBe("locked");
  });

  it("lets ops unlock the month with a required reason", async () => {
    const fx = fxOf();
    const page = await open(fx, "001", fx.keys.ops);
    await page.goto(`${fx.server.url}/web/reviews?scope=${AREA}&period=${fx.month}`);
    const panel = page.locator(".lock-panel");
    const refused = page.waitForResponse((r) => r.url().endsWith("/web/reviews/lock"));
    await panel.getByRole("button", { name: /^解锁/ }).click();
    expect((await refused).status()).toBe(400);
    expect(await page.locator(".error-summary").textContent()).toContain("解锁须写明理由");
    expect(await page.locator(".error-summary a").first().getAttribute("href")).toBe(`#unlock-${AREA}`);
    await expectAccessible(page);
    await panel.getByLabel(/^解锁理由/).fill(UNLOCK_REASON);
    await panel.getByRole("button", { name: /^解锁/ }).click();
    expect(await page.locator(".notice").textContent()).toContain("已解锁");
    expect(await panel.textContent()).toContain("已解锁");
    expect(await panel.textContent()).toContain(UNLOCK_REASON);
    // The 片区's decisions still name the stored versions: back to 片区审核通过.
    expect(await counts(page)).toEqual(["0", "0", "4", "0", "0"]);
  });

  it("lists every step in the 审核记录: who, when, why and which version", async () => {
    const fx = fxOf();
    const page = await open(fx, RETURNED, fx.keys.otherUnit);
    await page.goto(`${fx.server.url}/web/history`);
    await page
      .locator("tr", { hasText: monthLabel(fx.month) })
      .first()
      .getByRole("link", { name: /^审核记录/ })
      .click();
    await page.getByRole("heading", { level: 1, name: "审核记录" }).waitFor();
    const rows = page.locator("main table tbody tr");
    const cells = async (i: number) => rows.nth(i).locator("td").allTextContents();
    expect(await rows.count()).toBe(4);
    const steps = await Promise.all([0, 1, 2, 3].map(cells));
    expect(steps.map((c) => c[1])).toEqual(["退回修改", "片区审核通过", "市级确认", "解锁"]);
    expect(steps[0]?.[2]).toContain("第1片区");
    expect(steps[0]?.[3]).toBe(REASON);
    expect(steps[1]?.[2]).toContain("第1片区");
    expect(steps[2]?.[2]).toContain("运维人员");
    expect(steps[3]?.[3]).toBe(UNLOCK_REASON);
    // The return and the approval were about different uploads.
    expect(steps[0]?.[4]).toMatch(/报送的数据$/);
    expect(steps[0]?.[4]).not.toBe(steps[1]?.[4]);
    expect(steps.every((c) => /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(c[0] ?? ""))).toBe(true);
    expect(await page.locator("main b").count()).toBe(0);
    await expectAccessible(page);
  });

  it("keeps the unit's pages as before and says so on 审核 when review is off (APPROVAL_LEVELS=0)", async () => {
    const fx = fxOf();
    const server = await startApiServer({
      services: fx.stack.services,
      settings: { cacheSeconds: 0, approvalLevels: 0 },
      authCacheSeconds: 0,
      ready: true,
      renderBulletin: async () => {},
    });
    try {
      const off = { ...fx, server };
      const unit = await open(off, RETURNED, fx.keys.otherUnit);
      expect(await mainText(unit)).toContain("已接收");
      expect(await mainText(unit)).not.toContain("审核状态");
      await unit.goto(`${server.url}/web/history`);
      expect(await unit.locator("thead").textContent()).not.toContain("审核");
      const area = await open(off, AREA, fx.keys.area1);
      await area.goto(`${server.url}/web/reviews`);
      expect(await mainText(area)).toContain("未启用逐级审核");
      await expectAccessible(area);
    } finally {
      await server.close();
    }
  });
});
