// Debian's Chromium driven by playwright-core, started as this machine needs
// (no sandbox as root, no background networking on a closed network).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Undefined (with the reason printed) when Chromium is not installed. */
export async function launchChromium(): Promise<Browser | undefined> {
  if (!existsSync(CHROMIUM)) {
    console.warn(`skipping browser checks: ${CHROMIUM} is missing (apt-get install -y chromium)`);
    return undefined;
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Opens a page and records console errors/warnings, page errors and requests. */
export async function openRecorded(browser: Browser, url: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors, requests };
}

/**
 * For one describe block: writes `html` to a temporary report.html, keeps one
 * Chromium open for the block's tests (beforeAll/afterAll), and removes both
 * after. `open(ctx)` skips the test, saying why, when Chromium is missing.
 */
export function reportInChromium(prefix: string, html: string): {
  file: string;
  url: string;
  open: (ctx: { skip: (note?: string) => void }) => Promise<{ page: Page; errors: string[]; requests: string[] }>;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    file,
    url,
    open: async (ctx) => {
      if (!browser) ctx.skip(`${CHROMIUM} is missing (apt-get install -y chromium)`);
      return openRecorded(browser!, url);
    },
  };
}
