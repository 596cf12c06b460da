/**
 * `npm run web:screens`: PNG screenshots of every portal page at 1366×768 and 390×844 (phone)
 * into out/screens/, on the built-in sample in real headless Chromium — for people to look at.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { INDICATORS } from "../../lib/domain/catalogue.ts";
import { addMonths, monthOf } from "../../lib/domain/periods.ts";
import { formatCsv } from "../../lib/ingest/csv.ts";
import { templateHeader } from "../../lib/ingest/header.ts";
import { launchBrowser } from "./chromium.ts";
import { type SamplePortal, startSamplePortal } from "./sample-portal.ts";

const OUT = join(process.cwd(), "out", "screens");
const VIEWPORTS = [
  { width: 1366, height: 768 },
  { width: 390, height: 844 },
] as const;
/** A file with one warning row (解决问题 > 收集问题) and one error row (a negative figure). */
function scenarioCsv(unit: string, month: string, previous: string): string {
  const header = templateHeader();
  const figures = new Set<string>(INDICATORS.map((i) => i.name));
  const row = (period: string, over: Record<string, string>) =>
    header.map((h) =>
      h === "单位代码" ? unit : h === "报送期间" ? period : (over[h] ?? (figures.has(h) ? "3" : "")),
    );
  return formatCsv([
    header,
    row(month, {
      党支部总数: "3",
      党员总数: "45",
      收集问题: "2",
      解决问题: "6",
      填报人: "王芳",
      联系电话: "0757-1234567",
    }),
    row(previous, { 党支部总数: "3", 党员总数: "45", 警示教育: "-2" }),
  ]);
}

async function login(page: Page, base: string, code: string, key: string): Promise<void> {
  await page.goto(`${base}/web/login`);
  await page.getByLabel("单位代码").fill(code);
  await page.getByLabel("填报密钥").fill(key);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL((u) => !u.pathname.endsWith("/login"));
}

type Shot = (name: string, path?: string, ready?: () => Promise<unknown>) => Promise<void>;

/**
 * 逐级审核 on the latest sample month (left in every state): the 片区 still to review, a refused
 * 退回修改 without a reason, ops' overview of the 片区, a refused 市级确认 naming the units, a
 * confirmed 片区 with 解锁, a 审核记录, the returned unit's 历史 and a locked month's 上传.
 * Nothing here changes the data (the two refusals are refusals), so both widths see the same.
 */
async function reviewShots(page: Page, base: string, portal: SamplePortal, shot: Shot): Promise<void> {
  const month = portal.latest;
  const flow = portal.workflow;
  if (!month || !flow) throw new Error("the sample has no month to review");
  await page.context().clearCookies();
  await login(page, base, portal.area.code, portal.keys.area);
  await shot("16-reviews-area", `/web/reviews?period=${month}`);
  const first = page.locator("tbody tr", { has: page.locator("summary") }).first();
  await first.locator("summary").click();
  await first.getByRole("button", { name: /^确认退回/ }).click();
  await page.locator(".error-summary").waitFor();
  await shot("17-reviews-return-refused");
  await page.context().clearCookies();
  await login(page, base, portal.root.code, portal.keys.ops);
  await shot("18-reviews-overview", `/web/reviews?period=${month}`);
  await page
    .locator(`#area-${portal.area.code}`)
    .getByRole("button", { name: /^市级确认/ })
    .click();
  await page.locator(".error-summary").waitFor();
  await shot("19-reviews-confirm-refused");
  const confirmed = flow.confirmed[0];
  if (confirmed) await shot("20-reviews-area-confirmed", `/web/reviews?scope=${confirmed}&period=${month}`);
  if (flow.returned) await shot("21-review-record", `/web/reviews/${flow.returned}/${month}`);
  if (flow.returned && portal.keys.returned) {
    await page.context().clearCookies();
    await login(page, base, flow.returned, portal.keys.returned);
    await shot("22-history-returned", "/web/history");
  }
  if (portal.lockedUnit && portal.keys.locked) {
    await page.context().clearCookies();
    await login(page, base, portal.lockedUnit.code, portal.keys.locked);
    await shot("23-upload-locked", `/web/upload?period=${month}`);
  }
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  process.stderr.write("正在启动本地环境并导入示例数据……\n");
  const portal = await startSamplePortal();
  const base = portal.server.url;
  const month = addMonths(monthOf(new Date()), -1);
  let browser: Browser | undefined;
  const written: string[] = [];
  try {
    browser = await launchBrowser();
    let reportPath = "";
    for (const viewport of VIEWPORTS) {
      const context = await browser.newContext({
        viewport,
        locale: "zh-CN",
        timezoneId: "Asia/Shanghai",
        deviceScaleFactor: 1,
      });
      const page = await context.newPage();
      const shot = async (name: string, path?: string, ready?: () => Promise<unknown>) => {
        if (path) await page.goto(`${base}${path}`);
        await ready?.();
        const file = join(OUT, `${name}-${viewport.width}x${viewport.height}.png`);
        await page.screenshot({ path: file, fullPage: true });
        written.push(file);
      };
      await shot("01-login", "/web/login");
      await page.getByRole("button", { name: "登录" }).click();
      await shot("02-login-error");
      await login(page, base, portal.unit.code, portal.keys.unit);
      await shot("03-month", "/web/home");
      await shot("04-upload", "/web/upload");
      if (!reportPath) {
        await page.getByLabel("月报表文件").setInputFiles({
          name: "本月月报.csv",
          mimeType: "text/csv",
          buffer: Buffer.from(scenarioCsv(portal.unit.code, month, addMonths(month, -1))),
        });
        await page.getByRole("button", { name: "上传" }).click();
        await page.locator(".counts").waitFor({ timeout: 60_000 });
        reportPath = new URL(page.url()).pathname;
      }
      await shot("05-report", reportPath);
      await shot("06-history", "/web/history");
      await shot("07-forbidden", `/web/aggregates?scope=${portal.root.code}`);
      await context.clearCookies();
      await login(page, base, portal.area.code, portal.keys.area);
      await shot("08-area-month", "/web/home");
      await shot("09-area-completeness", `/web/completeness?period=${month}`);
      await context.clearCookies();
      await login(page, base, portal.root.code, portal.keys.ops);
      await shot("10-completeness", `/web/completeness?period=${addMonths(month, -1)}`);
      await shot(
        "11-aggregates",
        `/web/aggregates?period=${addMonths(month, -1)}&indicator=volunteer_hours`,
        () => page.locator('[data-chart="children"][data-rendered="true"] svg').waitFor(),
      );
      await shot("11b-trend", `/web/aggregates/trend?to=${addMonths(month, -1)}&indicator=volunteer_hours`);
      await shot("12-returns", `/web/returns?unit=${portal.unit.code}`);
      await shot("13-bulletins", "/web/bulletins");
      await page.goto(`${base}/web/keys`);
      await page.getByLabel("单位代码").fill(portal.unit.code);
      await page.getByLabel("备注").fill("截图示例");
      await page.getByRole("button", { name: "创建" }).click();
      await shot("14-keys");
      await shot("15-not-found", "/web/nosuchpage");
      await reviewShots(page, base, portal, shot);
      await context.close();
    }
  } finally {
    await browser?.close();
    await portal.stop();
  }
  for (const f of written) process.stdout.write(`${f}\n`);
}

await main();
