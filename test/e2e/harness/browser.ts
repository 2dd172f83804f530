import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core: no browser download (`playwright install` is
 * never run), the same browser users of `rekey ui` on Debian get.
 */

export const CHROMIUM_PATH = '/usr/bin/chromium';

// Headless without a sandbox (containers have no user namespaces) or a GPU, and with nothing
// that talks to Google's servers: tests must not depend on, or wait for, the network.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Fail a stuck wait well before the 60 s test timeout, with Playwright's message naming the
// locator, rather than a bare "test timed out".
const ACTION_TIMEOUT_MS = 15_000;

// Console locations carry the page URL; its one-time sign-in token stays out of test output.
const hideToken = (text: string) => text.replace(/#token=[\w-]+/g, '#token=<hidden>');

export interface NewPageOptions {
  colorScheme?: 'light' | 'dark';
  /** The host's origin: clipboard read/write are granted to it (copy buttons, paste). */
  origin?: string;
}

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** console.error messages and uncaught exceptions of the page; a clean UI leaves it empty. */
  errors: string[];
}

export interface TestBrowser {
  /** A page in a fresh context: its own cookies, storage and permissions. */
  newPage(options?: NewPageOptions): Promise<OpenedPage>;
  /** Closes every context opened so far (after each test). */
  closeContexts(): Promise<void>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: run scripts/install-test-deps.sh`);
  }
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
  const contexts: BrowserContext[] = [];

  return {
    async newPage(options = {}) {
      const context = await browser.newContext({
        viewport: { width: 1440, height: 900 },
        colorScheme: options.colorScheme ?? 'light',
        // Fixed locale, time zone and no animations: dates, numbers and screenshots come
        // out the same on every machine.
        locale: 'en-US',
        timezoneId: 'UTC',
        reducedMotion: 'reduce',
      });
      contexts.push(context);
      context.setDefaultTimeout(ACTION_TIMEOUT_MS);
      if (options.origin) {
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
          origin: options.origin,
        });
      }
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const { url, lineNumber } = message.location();
        const where = url ? ` (${url}:${lineNumber})` : '';
        errors.push(hideToken(`console.error: ${message.text()}${where}`));
      });
      page.on('pageerror', (error) => {
        errors.push(hideToken(`uncaught: ${error.stack ?? error.message}`));
      });
      return { page, context, errors };
    },
    async closeContexts() {
      // allSettled: one context that fails to close must not leave the others open.
      await Promise.allSettled(contexts.splice(0).map((context) => context.close()));
    },
    async close() {
      await Promise.allSettled(contexts.splice(0).map((context) => context.close()));
      await browser.close();
    },
  };
}
