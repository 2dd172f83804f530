/**
 * UI benchmark: the inventory of a 10,000-secret vault in Chromium, through the browser host
 * (`rekey ui`), as a user of the built app sees it.
 *
 *   (a) click on Unlock -> first inventory row painted (the view is kept across a lock, so
 *       unlocking from the inventory lands on it), and the two halves of the usual path:
 *       Unlock -> dashboard painted with its numbers, dashboard -> inventory rows painted;
 *   (b) a keystroke in the filter box -> the updated list (DOM changed, then painted), the
 *       median of 50 keystrokes.
 *
 * Times are taken inside the page with performance.now(): from the input event's timestamp to
 * the first frame after the DOM change (requestAnimationFrame, then a message posted from it,
 * which runs once that frame is painted). Request times come from Resource Timing.
 *
 * Run with `npm run bench:ui` (builds the app first). Not part of the test suite: it prints
 * numbers against targets and never fails on them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../e2e/harness/browser';
import { startBrowserHost } from '../e2e/harness/host';
import { PASSWORD, manySecrets, seedVault } from '../e2e/harness/seed-vault';

const SECRETS = 10_000;
const UNLOCK_RUNS = 7;
const KEYSTROKES = 50;
const TARGET_FIRST_PAINT_MS = 500;
const TARGET_KEYSTROKE_MS = 50;

// ---------------------------------------------------------------------------------------------
// Numbers

function median(samples: readonly number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function percentile(samples: readonly number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

const ms = (value: number) => `${value.toFixed(value >= 100 ? 0 : 1)} ms`;

function verdict(value: number, target: number): string {
  return value <= target ? `target <= ${target} ms: met` : `target <= ${target} ms: MISSED`;
}

// ---------------------------------------------------------------------------------------------
// In-page probes (strings: the page is a browser, this file is type-checked for Node)

/**
 * Installs `window.__probe`: a promise that resolves, after the next click or keydown on
 * `trigger`, once `done()` holds and the frame showing it was painted. It records the input
 * event's time, the DOM change, the paint and the API requests made in between.
 */
function armProbe(page: Page, trigger: 'click' | 'keydown', done: string): Promise<void> {
  return page.evaluate(`(() => {
    performance.clearResourceTimings();
    const done = () => { ${done} };
    window.__probe = new Promise((resolve) => {
      let start = null;
      const onInput = (event) => {
        start = event.timeStamp;
        document.removeEventListener('${trigger}', onInput, true);
        check();
      };
      document.addEventListener('${trigger}', onInput, true);
      let observer = null;
      const finish = () => {
        const dom = performance.now();
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => {
            const paint = performance.now();
            const requests = performance.getEntriesByType('resource')
              .filter((entry) => entry.name.includes('/api/call/'))
              .map((entry) => ({
                method: entry.name.split('/api/call/')[1],
                start: entry.startTime - start,
                end: entry.responseEnd - start,
                bytes: entry.encodedBodySize,
              }));
            resolve({ dom: dom - start, paint: paint - start, requests });
          };
          channel.port2.postMessage(0);
        });
      };
      const check = () => {
        if (start === null || observer === null) return;
        if (done()) { observer.disconnect(); observer = null; finish(); }
      };
      observer = new MutationObserver(check);
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  })()`);
}

interface ProbeResult {
  dom: number;
  paint: number;
  requests: { method: string; start: number; end: number; bytes: number }[];
}

const collect = (page: Page) => page.evaluate<ProbeResult>('window.__probe');

const ROWS_PAINTED = `return document.querySelector('[data-testid="secret-rows"] [data-ref]') !== null;`;
const DASHBOARD_PAINTED = `
  const value = document.querySelector('[data-testid="tile-secrets"] .tile-value');
  return value !== null && /^\\d+$/.test(value.textContent);`;

function footerChanged(before: string): string {
  return `return document.querySelector('[data-testid="table-footer"]').textContent !== ${JSON.stringify(before)};`;
}

function describeRequests(result: ProbeResult): string {
  return result.requests
    .map((r) => `${r.method} ${ms(r.start)}..${ms(r.end)} (${(r.bytes / 1024).toFixed(0)} KiB)`)
    .join(', ');
}

// ---------------------------------------------------------------------------------------------
// Steps

async function unlockTo(page: Page, done: string): Promise<ProbeResult> {
  await page.getByTestId('unlock-password').fill(PASSWORD);
  await armProbe(page, 'click', done);
  await page.getByTestId('unlock-button').click();
  return collect(page);
}

async function navigateTo(page: Page, section: string, done: string): Promise<ProbeResult> {
  await armProbe(page, 'click', done);
  await page.getByTestId(`nav-${section}`).click();
  return collect(page);
}

async function lock(page: Page): Promise<void> {
  await page.getByTestId('lock-button').click();
  await page.getByTestId('screen-unlock').waitFor();
}

/**
 * 50 keystrokes that each change the list: type two characters, delete them, with a different
 * pair each time. Checked against the inventory with the renderer's own matching rule.
 */
function keystrokePlan(haystacks: readonly string[]): string[] {
  const count = (query: string) => haystacks.filter((text) => text.includes(query)).length;
  const keys: string[] = [];
  const pairs = ['12', '34', '56', '78', '91', '23', '45', '67', '89', '13', '57', '24', '68'];
  for (const pair of pairs) {
    const [first = '', second = ''] = pair;
    const counts = [count(''), count(first), count(pair)];
    if (counts[0] === counts[1] || counts[1] === counts[2]) continue;
    keys.push(first, second, 'Backspace', 'Backspace');
  }
  if (keys.length < KEYSTROKES) throw new Error('keystroke plan too short');
  return keys.slice(0, KEYSTROKES);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rekey-ui-bench-'));
  const vaultPath = join(dir, 'vault.rekey');
  const browser = await launchBrowser();
  let stopHost: (() => Promise<void>) | undefined;
  try {
    const secrets = manySecrets(SECRETS);
    const seeded = performance.now();
    await seedVault(vaultPath, secrets);
    console.log(
      `UI benchmark: ${SECRETS.toLocaleString('en-US')} secrets (vault built in ${ms(performance.now() - seeded)}), ` +
        `Chromium ${'/usr/bin/chromium'} headless, ${cpus().length} cores, Argon2id m=19 MiB t=2`,
    );

    const host = await startBrowserHost({ vaultPath, preferencesPath: join(dir, 'prefs.json') });
    stopHost = host.stop;
    const { page } = await browser.newPage({ origin: host.origin });
    await page.goto(host.url, { waitUntil: 'load' });
    await page.getByTestId('screen-unlock').waitFor();

    // (a) Unlock -> dashboard -> inventory, then unlock straight back into the inventory.
    const toDashboard: number[] = [];
    const toInventory: number[] = [];
    const direct: ProbeResult[] = [];
    for (let run = 0; run < UNLOCK_RUNS; run++) {
      const dashboard = await unlockTo(page, DASHBOARD_PAINTED);
      toDashboard.push(dashboard.paint);
      const inventory = await navigateTo(page, 'inventory', ROWS_PAINTED);
      toInventory.push(inventory.paint);
      await lock(page);
      direct.push(await unlockTo(page, ROWS_PAINTED));
      await page.getByTestId('nav-dashboard').click();
      await lock(page);
      if (run === 0) {
        console.log(`  first run, unlock -> dashboard: ${describeRequests(dashboard)}`);
        console.log(`  first run, dashboard -> inventory: ${describeRequests(inventory)}`);
      }
    }
    const directPaint = direct.map((r) => r.paint);
    const typical = direct[Math.floor(direct.length / 2)] as ProbeResult;
    console.log(`\n(a) first inventory paint (median of ${UNLOCK_RUNS})`);
    console.log(
      `  Unlock -> inventory rows painted   ${ms(median(directPaint))}  (min ${ms(Math.min(...directPaint))}, max ${ms(Math.max(...directPaint))})  ${verdict(median(directPaint), TARGET_FIRST_PAINT_MS)}`,
    );
    console.log(`    requests of a typical run: ${describeRequests(typical)}`);
    const lastResponse = Math.max(...typical.requests.map((r) => r.end));
    console.log(
      `    after the last response: ${ms(typical.dom - lastResponse)} to the DOM, ${ms(typical.paint - lastResponse)} to the paint`,
    );
    console.log(`  Unlock -> dashboard painted        ${ms(median(toDashboard))}`);
    console.log(`  dashboard -> inventory rows painted ${ms(median(toInventory))}`);
    console.log(
      `  the two together                   ${ms(median(toDashboard) + median(toInventory))}  ${verdict(median(toDashboard) + median(toInventory), TARGET_FIRST_PAINT_MS)}`,
    );

    // (b) Keystrokes in the filter box.
    await unlockTo(page, DASHBOARD_PAINTED);
    await navigateTo(page, 'inventory', ROWS_PAINTED);
    const search = page.getByTestId('search');
    await search.focus();
    const haystacks = secrets.map((secret) =>
      `${secret.ref} ${secret.metadata?.service ?? ''} ${secret.metadata?.impact ?? ''} ${(secret.metadata?.tags ?? []).join(' ')}`.toLowerCase(),
    );
    const dom: number[] = [];
    const paint: number[] = [];
    for (const key of keystrokePlan(haystacks)) {
      const before = (await page.getByTestId('table-footer').textContent()) ?? '';
      await armProbe(page, 'keydown', footerChanged(before));
      await page.keyboard.press(key);
      const result = await collect(page);
      dom.push(result.dom);
      paint.push(result.paint);
    }
    console.log(`\n(b) filter keystroke -> updated list (${KEYSTROKES} keystrokes)`);
    console.log(
      `  to the DOM        median ${ms(median(dom))}, p90 ${ms(percentile(dom, 90))}, max ${ms(Math.max(...dom))}`,
    );
    console.log(
      `  to the paint      median ${ms(median(paint))}, p90 ${ms(percentile(paint, 90))}, max ${ms(Math.max(...paint))}  ${verdict(median(paint), TARGET_KEYSTROKE_MS)}`,
    );
  } finally {
    await browser.close();
    await stopHost?.();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
