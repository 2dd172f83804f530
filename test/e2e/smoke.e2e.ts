import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/main/security/csp';
import { screenshot, useRekeyUi } from './harness/fixture';
import { BasePage } from './pages/base-page';

/**
 * Proves the harness end to end: built CLI -> `rekey ui` -> Debian's Chromium -> our page,
 * served with our CSP, loading without console errors. Depends on no renderer content but
 * its title.
 */
describe('E2E harness smoke', () => {
  const ui = useRekeyUi();

  it('serves the renderer to Chromium with the CSP header', async () => {
    const { page, errors, response } = await ui.open();

    expect(await page.title()).toBe('Rekey');
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    await screenshot(page, 'smoke');
    // Catches CSP violations, failed requests (a missing favicon) and uncaught exceptions.
    new BasePage(page, errors).expectNoConsoleErrors();
  });
});
