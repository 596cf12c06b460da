/**
 * The portal in real headless Chromium against the real local stack: a unit logs in, downloads
 * its prefilled template, uploads a file with an error and a warning, explains the warning row,
 * fixes and re-uploads the error row and sees 已接收; ops sees the unit counted and the figure in
 * 汇总 and its chart; a 片区 stays in its own subtree; user text stays text; 退出 and revocation
 * end sessions. Each page visited is checked with axe-core.
 */
import { readFile } from "node:fs/promises";
import * as XLSX from "@e965/xlsx";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { INDICATORS } from "../../lib/domain/catalogue.ts";
import { monthLabel } from "../../lib/domain/periods.ts";
import { figures, returnCsv } from "../support/returns.ts";
import {
  expectAccessible,
  login,
  NEW_UNIT,
  newPage,
  uploadThroughPicker,
  useWebFixture,
  XSS_HIGHLIGHT,
  XSS_NAME,
  XSS_UNIT,
} from "./fixture.ts";

const fxOf = useWebFixture();

/** Watches for scripts the page did not mean to run (an alert from injected markup). */
function dialogs(page: Page): string[] {
  const seen: string[] = [];
  page.on("dialog", (d) => {
    seen.push(d.message());
    void d.dismiss();
  });
  return seen;
}

const warningValues = () => {
  const v = figures(5, 3);
  v.problems_collected = 3;
  v.problems_solved = 7;
  return v;
};
const badValues = () => {
  const v = figures(6, 3);
  v.warning_edu = -2;
  return v;
};

describe("Portal: a unit's month", () => {
  let firstUploadPage = "";

  it("logs a unit in with 单位代码 and 填报密钥 after one generic refusal", async () => {
    const fx = fxOf();
    const { context, page } = await newPage(fx);
    await page.goto(`${fx.server.url}/`);
    await expect.poll(() => new URL(page.url()).pathname).toBe("/web/login");
    await expectAccessible(page);
    await page.getByLabel("单位代码").fill("001001001");
    await page.getByLabel("填报密钥").fill(fx.keys.unit);
    await page.getByRole("button", { name: "登录" }).click();
    await expect
      .poll(() => page.locator(".error-summary").textContent())
      .toContain("单位代码或填报密钥不正确");
    // The summary takes the focus, so a screen reader reads it first.
    expect(await page.evaluate(() => document.activeElement?.className)).toContain("error-summary");
    await login(fx, page, NEW_UNIT, fx.keys.unit);
    expect(new URL(page.url()).pathname).toBe("/web/home");
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).toContain("本月填报");
    expect(text).toContain(monthLabel(fx.month));
    expect(text).toMatch(/已逾期 \d+ 天|还有 \d+ 天|今天截止/);
    expect(text).toContain("未报送");
    await expectAccessible(page);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "dj_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", secure: false });
    await context.close();
  });

  it("downloads the template with its 单位代码 as text and the 报送期间 filled in", async () => {
    const fx = fxOf();
    const { context, page } = await newPage(fx);
    await login(fx, page, NEW_UNIT, fx.keys.unit);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "下载CSV模板" }).click(),
    ]);
    const text = await readFile((await download.path()) as string, "utf8");
    const lines = text
      .replace(/^\ufeff/, "")
      .trim()
      .split(/\r\n/);
    expect(lines[0]?.startsWith("单位代码,报送期间,党支部总数")).toBe(true);
    expect(lines).toHaveLength(2);
    expect(lines[1]?.startsWith(`\t${NEW_UNIT},\t${fx.month},`)).toBe(true);
    await context.close();
  });

  it("downloads the Excel template prefilled for the unit, 单位代码 stored as text, with its 填报说明", async () => {
    const fx = fxOf();
    const { context, page } = await newPage(fx);
    await login(fx, page, NEW_UNIT, fx.keys.unit);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "下载Excel模板" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`月报表-${NEW_UNIT}-${fx.month}.xlsx`);
    const book = XLSX.read(await readFile((await download.path()) as string), { dense: true, cellNF: true });
    expect(book.SheetNames).toEqual(["月报表", "填报说明"]);
    const rows = XLSX.utils.sheet_to_json<string[]>(book.Sheets.月报表 as XLSX.WorkSheet, { header: 1 });
    const header = rows.findIndex((r) => r[0] === "*单位代码");
    expect(header).toBeGreaterThanOrEqual(0);
    expect(rows.slice(header + 1).map((r) => [r[0], r[2]])).toEqual([[NEW_UNIT, fx.month]]);
    const code = (book.Sheets.月报表 as XLSX.WorkSheet)["!data"]?.[header + 1]?.[0];
    expect(code).toMatchObject({ t: "s", z: "@" });
    await context.close();
  });

  it("uploads a file with an error and a warning through the file picker and shows both messages", async () => {
    const fx = fxOf();
    const { context, page } = await newPage(fx);
    await login(fx, page, NEW_UNIT, fx.keys.unit);
    await page.goto(`${fx.server.url}/web/upload`);
    await expectAccessible(page);
    const csv = returnCsv([
      { unit: NEW_UNIT, period: fx.month, values: warningValues() },
      { unit: NEW_UNIT, period: fx.previous, values: badValues() },
    ]);
    await uploadThroughPicker(page, fx.month, "本月.csv", csv);
    firstUploadPage = page.url();
    const main = (await page.locator("main").textContent()) ?? "";
    expect(main).toContain("第2行");
    expect(main).toContain("W_SOLVED_GT_COLLECTED");
    expect(main).toContain("第3行 警示教育");
    expect(main).toContain("不能为负数");
    const counts = await page.locator(".count__n").allTextContents();
    expect(counts).toEqual(["2", "0", "1", "1"]);
    // Each summary item links to its row in the table.
    const links = await page
      .locator(".error-summary a")
      .evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(links).toEqual(expect.arrayContaining(["#explain-2", "#row-3"]));
    await page.locator('.error-summary a[href="#row-3"]').first().click();
    expect(new URL(page.url()).hash).toBe("#row-3");
    await expectAccessible(page);
    await context.close();
  });

  it("submits a 说明 for the warning row without retyping it, and the row is accepted", async () => {
    const fx = fxOf();
    const { context, page } = await newPage(fx);
    await login(fx, page, NEW_UNIT, fx.keys.unit);
    await page.goto(firstUploadPage);
    await page.getByRole("button", { name: "提交说明" }).click();
    await expect.poll(() => page.locator(".error-summary").textContent()).toContain("请填写第2行的情况说明");
    await page.getByLabel(/第2行.*情况说明/).fill("本月集中解决了上月遗留问题。");
    await page.getByRole("button", { name: "提交说明" }).click();
    await page.getByText("说明已提交").waitFor();
    await page.locator(".counts").waitFor({ timeout: 30_000 });
    expect(await page.locator(".count__n").allTextContents()).toEqual(["1", "1", "0", "0"]);
    const stored = await fx.stack.services.stores.returns.unitReturns(NEW_UNIT);
    expect(stored.find((r) => r.period === fx.month)?.text.explanation).toBe("本月集中解决了上月遗留问题。");
    // The same form sent again (the old page kept open, a second click) files nothing new: it
    // lands on the upload the first one made and says so.
    const filed = new URL(page.url()).pathname;
    const uploadsBefore = await fx.stack.services.stores.uploads.listUploads(NEW_UNIT, 100);
    await page.goto(firstUploadPage);
    await page.getByLabel(/第2行.*情况说明/).fill("本月集中解决了上月遗留问题。");
    await page.getByRole("button", { name: "提交说明" }).click();
    await page.getByText("同样的说明此前已经提交过").waitFor();
    expect(new URL(page.url()).pathname).toBe(filed);
    expect(await page.locator(".count__n").allTextContents()).toEqual(["1", "1", "0", "0"]);
    expect(await fx.stack.services.stores.uploads.listUploads(NEW_UNIT, 100)).toHaveLength(
      uploadsBefore.length,
    );
    await context.close();
  });

  it("takes the fixed error row on re-upload and shows 已接收 for the month", async () => {
    const fx = fxOf();
    const { context, page } = await newPage(fx);
    await login(fx, page, NEW_UNIT, fx.keys.unit);
    const fixed = figures(6, 3);
    await uploadThroughPicker(
      page,
      fx.previous,
      "上月更正.csv",
      returnCsv([{ unit: NEW_UNIT, period: fx.previous, values: fixed }]),
    );
    expect(await page.locator(".count__n").allTextContents()).toEqual(["1", "1", "0", "0"]);
    await page.goto(`${fx.server.url}/web/home`);
    expect(await page.locator("main").textContent()).toContain("已接收");
    await page.goto(`${fx.server.url}/web/history`);
    const history = (await page.locator("main").textContent()) ?? "";
    expect(history).toContain(monthLabel(fx.month));
    expect(history).toContain(monthLabel(fx.previous));
    await expectAccessible(page);
    const raw = page.getByRole("link", { name: "原文件" }).first();
    const href = (await raw.getAttribute("href")) as string;
    const response = await context.request.get(`${fx.server.url}${href}`);
    expect(response.status()).toBe(200);
    expect(await response.text()).toContain(NEW_UNIT);
    await context.close();
  });

  it("reaches every control of the upload page with the keyboard, in order", async () => {
    const fx = fxOf();
    const { context, page } = await newPage(fx);
    await login(fx, page, NEW_UNIT, fx.keys.unit);
    await page.goto(`${fx.server.url}/web/upload`);
    const reached: string[] = [];
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press("Tab");
      reached.push(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          if (!el) return "";
          const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
          return `${el.tagName.toLowerCase()}:${(label ?? el.textContent ?? "").trim()}`;
        }),
      );
    }
    const order = [
      "a:跳到正文",
      "a:本月填报",
      "a:上传",
      "a:历史",
      "button:退出",
      "select:报送期间",
      "input:月报表文件",
      "button:上传",
    ];
    const positions = order.map((want) => reached.indexOf(want));
    expect(
      positions.every((p) => p >= 0),
      reached.join(" | "),
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    await context.close();
  });

  it("uploads without script: the form posts and the portal forwards the file", async () => {
    const fx = fxOf();
    const { context, page } = await newPage(fx, { javaScriptEnabled: false });
    await login(fx, page, NEW_UNIT, fx.keys.unit);
    await page.goto(`${fx.server.url}/web/upload`);
    await page.getByLabel("报送期间").selectOption(fx.previous);
    await page.getByLabel("月报表文件").setInputFiles({
      name: "无脚本.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(returnCsv([{ unit: NEW_UNIT, period: fx.previous, values: figures(6, 3) }])),
    });
    await page.getByRole("button", { name: "上传" }).click();
    await page.waitForURL(/\/web\/uploads\/[\w-]+$/);
    for (let i = 0; i < 40 && !(await page.locator(".counts").count()); i++) {
      await new Promise((r) => setTimeout(r, 500));
      await page.reload();
    }
    expect(await page.locator(".count__n").allTextContents()).toEqual(["1", "1", "0", "0"]);
    await context.close();
  });
});

describe("Portal: 片区 and ops", () => {
  it("counts the unit in 报送情况 and shows its figure in 汇总 with both charts", async () => {
    const fx = fxOf();
    const { context, page } = await newPage(fx);
    await login(fx, page, "001", fx.keys.ops);
    expect(new URL(page.url()).pathname).toBe("/web/completeness");
    await page.goto(`${fx.server.url}/web/completeness?scope=001002&period=${fx.month}`);
    const counts = await page.locator(".count__n").allTextContents();
    expect(counts.slice(0, 2)).toEqual(["4", "1"]);
    const missing = await page.locator("table tbody tr").allTextContents();
    expect(missing.some((r) => r.includes(NEW_UNIT))).toBe(false);
    expect(missing.some((r) => r.includes("001002001"))).toBe(true);
    await expectAccessible(page);
    const csv = await context.request.get(
      `${fx.server.url}/web/completeness?scope=001002&period=${fx.month}&format=csv`,
    );
    expect(await csv.text()).toContain("001002001");
    const head = await page.locator("table thead th").allTextContents();
    expect(head).toEqual(expect.arrayContaining(["迟报天数", "催报次数", "最后催报时间"]));

    // A page of one unit: 下一页 walks the list with the API's cursor, and the CSV is still the whole list.
    await page.goto(`${fx.server.url}/web/completeness?scope=001002&period=${fx.month}&limit=1`);
    const first = await page.locator("table tbody tr").allTextContents();
    expect(first).toHaveLength(1);
    await page.getByRole("link", { name: "下一页" }).click();
    expect(new URL(page.url()).searchParams.get("cursor")).toBeTruthy();
    const second = await page.locator("table tbody tr").allTextContents();
    expect(second).toHaveLength(1);
    expect(second[0]).not.toBe(first[0]);
    expect(await page.getByRole("link", { name: "回到第一页" }).count()).toBe(1);
    await expectAccessible(page);
    const whole = await (
      await context.request.get(
        `${fx.server.url}/web/completeness?scope=001002&period=${fx.month}&limit=1&format=csv`,
      )
    ).text();
    expect(whole.split("\n")[0]).toContain("催报次数");
    // Header plus the 3 units still missing (4 expected, 1 reported), not just the first page's one.
    expect(whole.trim().split("\n")).toHaveLength(4);

    const key = "problems_solved";
    const name = INDICATORS.find((i) => i.key === key)?.name as string;
    await page.goto(`${fx.server.url}/web/aggregates?scope=001002&period=${fx.month}&indicator=${key}`);
    const row = page.locator("table tbody tr", { hasText: name }).first();
    expect(await row.textContent()).toContain(String(warningValues().problems_solved));
    await page.locator('[data-chart="trend"][data-rendered="true"] svg').waitFor();
    await page.locator('[data-chart="children"][data-rendered="true"] svg').waitFor();
    expect(await page.locator('[data-chart="trend"] svg path').count()).toBeGreaterThan(0);
    await expectAccessible(page);
    await context.close();
  });

  it("keeps a 片区 key to its own subtree: another 片区's pages are a 403 page", async () => {
    const fx = fxOf();
    const { context, page } = await newPage(fx);
    await login(fx, page, "001001", fx.keys.area1);
    for (const path of [
      "/web/aggregates?scope=001002",
      "/web/completeness?scope=001002",
      `/web/returns?unit=${NEW_UNIT}`,
      "/web/keys",
    ]) {
      const response = await page.goto(`${fx.server.url}${path}`);
      expect(response?.status(), path).toBe(403);
      const text = (await page.locator("main").textContent()) ?? "";
      expect(text).toContain("无权访问");
      expect(text).not.toMatch(/at \w+ \(|Error:/);
    }
    await expectAccessible(page);
    await page.goto(`${fx.server.url}/web/aggregates`);
    expect(await page.locator("h1").textContent()).toContain("汇总");
    await context.close();
  });

  it("shows 亮点工作 and unit names as text, never as markup", async () => {
    const fx = fxOf();
    const { context, page } = await newPage(fx);
    const seen = dialogs(page);
    await login(fx, page, "001", fx.keys.ops);
    await page.goto(`${fx.server.url}/web/returns?unit=001001001`);
    expect(await page.locator("main").textContent()).toContain(XSS_HIGHLIGHT);
    await page.goto(`${fx.server.url}/web/returns?unit=${XSS_UNIT}`);
    expect(await page.locator("option:checked").textContent()).toContain(XSS_NAME);
    await page.goto(`${fx.server.url}/web/aggregates?scope=001002&period=${fx.month}`);
    expect(await page.locator("main").textContent()).toContain(XSS_NAME);
    expect(await page.locator("main img").count()).toBe(0);
    expect(await page.locator("main script:not([type='application/json'])").count()).toBe(0);
    expect(seen).toEqual([]);
    await context.close();
  });
});

describe("Portal: on a phone", () => {
  // Wide tables scroll sideways in their own frame; the page itself never does (390 px: a phone).
  const PHONE = { width: 390, height: 844 };
  /** How far the page scrolls sideways, and the outermost element that sticks out (for the message). */
  const sideways = (page: Page) =>
    page.evaluate(() => {
      const width = window.innerWidth;
      const out = [...document.querySelectorAll("body *")].find((el) => {
        const parent = el.parentElement?.getBoundingClientRect();
        return (
          el.getBoundingClientRect().right > width + 1 && parent !== undefined && parent.right <= width + 1
        );
      });
      const culprit = out
        ? `${out.tagName.toLowerCase()}.${out.className} “${(out.textContent ?? "").trim().slice(0, 40)}”`
        : "";
      return { by: document.documentElement.scrollWidth - width, culprit };
    });

  it("fits every page to the phone's width, for a unit, a 片区 and ops", async () => {
    const fx = fxOf();
    const visits: [string, string, readonly string[]][] = [
      [
        NEW_UNIT,
        fx.keys.unit,
        ["/web/home", "/web/upload", "/web/history", `/web/reviews/${NEW_UNIT}/${fx.month}`],
      ],
      [
        "001001",
        fx.keys.area1,
        ["/web/home", `/web/completeness?period=${fx.month}`, `/web/reviews?period=${fx.month}`],
      ],
      [
        "001",
        fx.keys.ops,
        [
          `/web/completeness?period=${fx.month}`,
          `/web/reviews?period=${fx.month}`,
          `/web/reviews?scope=001001&period=${fx.month}`,
          `/web/aggregates?period=${fx.month}`,
          `/web/returns?unit=${NEW_UNIT}`,
          "/web/bulletins",
          "/web/keys",
        ],
      ],
    ];
    for (const [code, key, paths] of visits) {
      const { context, page } = await newPage(fx, { viewport: PHONE });
      await login(fx, page, code, key);
      for (const path of paths) {
        const response = await page.goto(`${fx.server.url}${path}`);
        expect(response?.status(), path).toBe(200);
        const { by, culprit } = await sideways(page);
        expect(by, `${code} ${path}: ${culprit}`).toBe(0);
      }
      await context.close();
    }
  });
});

describe("Portal: sessions", () => {
  it("ends the session on 退出: the old cookie no longer opens a page", async () => {
    const fx = fxOf();
    const { context, page } = await newPage(fx);
    await login(fx, page, NEW_UNIT, fx.keys.unit);
    const cookie = (await context.cookies()).find((c) => c.name === "dj_session")?.value as string;
    await page.getByRole("button", { name: "退出" }).click();
    await page.getByText("您已退出登录").waitFor();
    const replay = await fetch(`${fx.server.url}/web/home`, {
      headers: { cookie: `dj_session=${cookie}` },
      redirect: "manual",
    });
    expect(replay.status).toBe(303);
    expect(replay.headers.get("location")).toContain("/web/login");
    await context.close();
  });

  it("creates and revokes keys in 密钥管理; a revoked key's session stops working", async () => {
    const fx = fxOf();
    const ops = await newPage(fx);
    await login(fx, ops.page, "001", fx.keys.ops);
    await ops.page.goto(`${fx.server.url}/web/keys`);
    await expectAccessible(ops.page);
    await ops.page.getByLabel("单位代码").fill("001001002");
    await ops.page.getByLabel("备注").fill("第1片区第2支部");
    await ops.page.getByRole("button", { name: "创建" }).click();
    const key = ((await ops.page.locator("#new-key").textContent()) ?? "").trim();
    expect(key).toMatch(/^djk_[a-z0-9]{8}_/);

    const unit = await newPage(fx);
    await login(fx, unit.page, "001001002", key);
    expect(await unit.page.locator("main").textContent()).toContain("本月填报");

    const keyId = key.split("_")[1] as string;
    await ops.page.locator("tr", { hasText: keyId }).getByRole("button", { name: /吊销/ }).click();
    await ops.page.getByText(`密钥 ${keyId} 已吊销`).waitFor();
    await unit.page.reload();
    expect(new URL(unit.page.url()).pathname).toBe("/web/login");
    expect(await unit.page.locator("main").textContent()).toContain("已被吊销");
    await ops.context.close();
    await unit.context.close();
  });

  it("sends the security headers and refuses a POST from another origin", async () => {
    const fx = fxOf();
    const page = await fetch(`${fx.server.url}/web/login`);
    const body = await page.text();
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("referrer-policy")).toBe("same-origin");
    expect(body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const forged = await fetch(`${fx.server.url}/web/login`, {
      method: "POST",
      headers: { origin: "http://evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: `code=001&key=${fx.keys.ops}`,
      redirect: "manual",
    });
    expect(forged.status).toBe(403);
    expect(forged.headers.get("set-cookie")).toBeNull();
    const asset = await fetch(`${fx.server.url}${body.match(/href="(\/assets\/portal-[\w-]+\.css)"/)?.[1]}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toContain("immutable");
  });
});
