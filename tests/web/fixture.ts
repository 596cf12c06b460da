/**
 * The portal on the real local stack for a browser test file: DynamoDB Local + s3rver + the
 * pipeline handlers, the HTTP server with the portal, a registry with a hostile unit name, a year
 * of returns uploaded through S3 (one 亮点工作 carries a script tag), keys of every kind, and a
 * headless Chromium. Months are relative to the real clock, as the portal shows them.
 */
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { newApiKey } from "../../lib/domain/auth.ts";
import { addMonths, type Month, monthOf } from "../../lib/domain/periods.ts";
import { type ApiServer, startApiServer } from "../../scripts/local/http.ts";
import type { LocalStack } from "../../scripts/local/stack.ts";
import { launchBrowser } from "../../scripts/web/chromium.ts";
import { figures, returnCsv, type TestRow } from "../support/returns.ts";
import { loadRegistry, registryCsv, unitCodes, useLocalStack } from "../support/stack.ts";

export const XSS_HIGHLIGHT = "<script>alert(1)</script>亮点";
export const XSS_UNIT = "001002003";
export const XSS_NAME = '第2片区"><img src=x onerror=alert(1)>支部';
/** The unit the scenario files returns for; it has none before. */
export const NEW_UNIT = "001002004";
export const UNITS = unitCodes(2, 4);

export interface WebFixture {
  readonly stack: LocalStack;
  readonly server: ApiServer;
  readonly browser: Browser;
  /** The month the portal asks for now (last month) and the one before. */
  readonly month: Month;
  readonly previous: Month;
  readonly keys: {
    readonly ops: string;
    readonly unit: string;
    readonly otherUnit: string;
    readonly area1: string;
    readonly area2: string;
  };
  readonly rows: readonly TestRow[];
}

export function useWebFixture(): () => WebFixture {
  const stackOf = useLocalStack({ LOG_LEVEL: "silent" });
  let fixture: WebFixture | undefined;
  beforeAll(async () => {
    const stack = stackOf();
    await loadRegistry(
      stack,
      registryCsv(2, 4).replace("第2片区第3机关党支部", `"${XSS_NAME.replaceAll('"', '""')}"`),
    );
    const month = addMonths(monthOf(new Date()), -1);
    const rows: TestRow[] = [];
    for (let i = 12; i >= 0; i--) {
      const m = addMonths(month, -i);
      const monthRows = UNITS.filter((u) => u !== NEW_UNIT && (i > 0 || u.startsWith("001001"))).map(
        (unit, ui) => ({
          unit,
          period: m,
          values: figures(i * 3 + ui, ui),
          ...(unit === "001001001" && i === 0 ? { highlight: XSS_HIGHLIGHT } : {}),
        }),
      );
      await stack.put(`incoming/001/${m}/batch${m.replace("-", "")}.csv`, returnCsv(monthRows));
      rows.push(...monthRows);
    }
    await stack.drain();
    if (stack.deadLetters.length) throw new Error(JSON.stringify(stack.deadLetters));
    const at = new Date();
    const make = async (role: "ops" | "unit", unit: string | null) => {
      const made = newApiKey({ role, unit, label: `测试${unit ?? "运维"}` }, at);
      await stack.services.stores.keys.putKey(made.record);
      return made.key;
    };
    const keys = {
      ops: await make("ops", null),
      unit: await make("unit", NEW_UNIT),
      otherUnit: await make("unit", "001001001"),
      area1: await make("unit", "001001"),
      area2: await make("unit", "001002"),
    };
    const server = await startApiServer({
      services: stack.services,
      settings: { cacheSeconds: 0 },
      authCacheSeconds: 0,
      ready: true,
      renderBulletin: async () => {},
    });
    fixture = {
      stack,
      server,
      browser: await launchBrowser(),
      month,
      previous: addMonths(month, -1),
      keys,
      rows,
    };
  }, 180_000);
  afterAll(async () => {
    await fixture?.browser.close();
    await fixture?.server.close();
  });
  return () => {
    if (!fixture) throw new Error("web fixture not started");
    return fixture;
  };
}

/** Logs in through the 登录 page (as a person would, with the keyboard) and lands on the home page. */
export async function login(fx: WebFixture, page: Page, code: string, key: string): Promise<void> {
  await page.goto(`${fx.server.url}/web/login`);
  await page.getByLabel("单位代码").fill(code);
  await page.getByLabel("填报密钥").fill(key);
  await page.getByLabel("填报密钥").press("Enter");
  await page.waitForURL((url) => !url.pathname.endsWith("/web/login"));
}

export async function newPage(
  fx: WebFixture,
  options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await fx.browser.newContext({
    acceptDownloads: true,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    ...(options.javaScriptEnabled === false ? { javaScriptEnabled: false } : {}),
    ...(options.viewport ? { viewport: options.viewport } : {}),
  });
  const page = await context.newPage();
  return { context, page };
}

/** No accessibility violations axe-core can find on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const found = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(found, page.url()).toEqual([]);
}

/** Uploads through the 上传 page's file picker (keyboard: focus the button, Enter) and waits for the report. */
export async function uploadThroughPicker(
  page: Page,
  period: string,
  name: string,
  csv: string,
): Promise<void> {
  await page.goto(`${page.url().split("/web/")[0]}/web/upload`);
  await page.getByLabel("报送期间").selectOption(period);
  await page.getByLabel("月报表文件").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "上传" }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1, name: "审核结果" }).waitFor();
  await page.locator(".counts").waitFor({ timeout: 30_000 });
}
