import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/** Debian's Chromium: the only browser the tests drive (nothing is downloaded). */
export const CHROMIUM = '/usr/bin/chromium';

/** What the page said that a user should never see: console errors and warnings, uncaught errors, failed requests. */
export interface PageProblems {
  readonly problems: string[];
}

export interface ConsoleBrowser {
  readonly browser: Browser;
  readonly page: Page;
  /** Where screenshots go (FLEETCA_SCREENSHOTS, else a fresh temporary folder). */
  readonly screenshots: string;
  /** Where the page's downloads land. */
  readonly downloads: string;
  readonly seen: PageProblems;
  /** Saves a full-page PNG named `name.png` in `screenshots` and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts headless Chromium with one page whose console messages, page errors and failed requests are collected,
 * downloads allowed into a folder of its own. Fails with how to install Chromium when it is absent.
 */
export async function openConsoleBrowser(viewport = { width: 1280, height: 800 }): Promise<ConsoleBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is required by this suite: apt-get install chromium`);
  const screenshots = process.env.FLEETCA_SCREENSHOTS ?? (await mkdtemp(join(tmpdir(), 'fleetca-screenshots-')));
  await mkdir(screenshots, { recursive: true });
  const downloads = await mkdtemp(join(tmpdir(), 'fleetca-downloads-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    // As root (CI) Chromium refuses to start with its sandbox; the pages are fleetca's own, on loopback.
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions'],
    headless: true,
    defaultViewport: viewport,
  });
  const page = await browser.newPage();
  const seen: PageProblems = { problems: [] };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warn')
      seen.problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => seen.problems.push(`page error: ${String(error)}`));
  page.on('requestfailed', (request) => {
    // A download answered by the browser itself shows as aborted: not a failure of the page.
    if (request.url().startsWith('blob:')) return;
    seen.problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  const session = await page.createCDPSession();
  await session.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
  return {
    browser,
    page,
    screenshots,
    downloads,
    seen,
    async screenshot(name) {
      const path = join(screenshots, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    close: () => browser.close(),
  };
}
