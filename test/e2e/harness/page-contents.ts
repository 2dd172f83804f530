import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Everything the page holds that a value could leak into: its text, its HTML (attributes and
 * hidden nodes included) and the zustand stores (exposed to tests as `window.__rekeyStores`).
 */
export async function pageContents(page: Page): Promise<string> {
  const [text, html, stores] = await Promise.all([
    page.evaluate<string>('document.body.innerText'),
    page.evaluate<string>('document.documentElement.outerHTML'),
    page.evaluate<string>('JSON.stringify(window.__rekeyStores?.() ?? null)'),
  ]);
  return `${text}\n${html}\n${stores}`;
}

/** None of `values` in any snapshot; each value long enough that a miss means something. */
export function expectNoValues(snapshots: readonly string[], values: readonly string[]): void {
  for (const value of values) {
    expect(value.length).toBeGreaterThan(8);
    for (const snapshot of snapshots) expect(snapshot).not.toContain(value);
  }
}
