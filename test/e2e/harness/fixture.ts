import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { useTempDirs } from '../../helpers/temp';
import { type NewPageOptions, type OpenedPage, type TestBrowser, launchBrowser } from './browser';
import { type BrowserHost, startBrowserHost } from './host';

/**
 * One Chromium per test file (launching it costs seconds), and per test a fresh temp dir, its
 * own `rekey ui` host and a fresh browser context, so no test sees another's vault, cookies or
 * one-time token. Everything is torn down after each test, failed or not.
 */

const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/screenshots/', import.meta.url));

export interface UiPaths {
  dir: string;
  /** Does not exist unless `prepare` creates it: the UI then shows its first-run screen. */
  vaultPath: string;
  preferencesPath: string;
}

export interface OpenUiOptions {
  colorScheme?: NewPageOptions['colorScheme'];
  /** Runs before the host starts, e.g. to create a vault so the UI opens on unlock. */
  prepare?: (paths: UiPaths) => Promise<void> | void;
  /** Extra environment for the host (a private keyring's bus address). */
  env?: NodeJS.ProcessEnv;
}

export interface RekeyUi extends OpenedPage, UiPaths {
  host: BrowserHost;
  /** The response to the page load, for its headers (CSP and the rest). */
  response: Response | null;
}

export interface RekeyUiFixture {
  /** Starts a host on a fresh vault path and opens the UI in a new page; call once per test. */
  open(options?: OpenUiOptions): Promise<RekeyUi>;
}

export function useRekeyUi(): RekeyUiFixture {
  // Registered before our afterEach: Vitest runs after-hooks in reverse ("stack"), so the host
  // is stopped before its directory is removed.
  const tempDir = useTempDirs();
  let browser: TestBrowser | undefined;
  const hosts: BrowserHost[] = [];
  const pages: Page[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterEach(async (context) => {
    // A failed test leaves a picture of what the user would have seen.
    if (context.task.result?.state === 'fail') {
      const name = `failed-${context.task.name.replace(/[^\w-]+/g, '-').slice(0, 80)}`;
      for (const page of pages) await screenshot(page, name).catch(() => undefined);
    }
    pages.splice(0);
    await browser?.closeContexts();
    await Promise.allSettled(hosts.splice(0).map((host) => host.stop()));
  });
  afterAll(async () => {
    await browser?.close();
  });

  return {
    async open(options = {}) {
      if (!browser) throw new Error('useRekeyUi() must be called at the top of a describe/file');
      const dir = tempDir();
      const paths: UiPaths = {
        dir,
        vaultPath: join(dir, 'vault.rekey'),
        preferencesPath: join(dir, 'preferences.json'),
      };
      await options.prepare?.(paths);
      const host = await startBrowserHost(options.env ? { ...paths, env: options.env } : paths);
      hosts.push(host);
      const opened = await browser.newPage({
        colorScheme: options.colorScheme,
        origin: host.origin,
      });
      pages.push(opened.page);
      // The token is in the fragment: the page reads it and trades it for a session cookie.
      const response = await opened.page.goto(host.url, { waitUntil: 'load' });
      return { ...opened, ...paths, host, response };
    },
  };
}

/** Saves a PNG of the whole page to test-results/screenshots/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  if (!/^[\w.-]+$/.test(name))
    throw new Error(`Screenshot name must be a plain file name: ${name}`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
