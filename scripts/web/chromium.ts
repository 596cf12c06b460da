/**
 * Real headless Chromium (Debian's package) driven by playwright-core, for the browser tests and
 * `npm run web:screens`. A missing browser fails the run: the tests never skip. Flags: --no-sandbox (root) and the ones that keep Chromium from
 * calling out to the network this machine does not have.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  // The browser's own controls (the file picker's button) in Chinese too.
  "--lang=zh-CN",
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: apt-get install -y chromium (the browser tests need it)`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
