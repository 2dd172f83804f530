import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/main/security/csp';
import { screenshot, useRekeyUi } from './harness/fixture';

/**
 * Proves the harness end to end: built CLI -> `rekey ui` -> Debian's Chromium -> our page,
 * served with our CSP. Depends on nothing of the renderer but its title.
 */
describe('E2E harness smoke', () => {
  const ui = useRekeyUi();

  it('serves the renderer to Chromium with the CSP header', async () => {
    const { page, response } = await ui.open();

    expect(await page.title()).toBe('Rekey');
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    await screenshot(page, 'smoke');
  });
});
