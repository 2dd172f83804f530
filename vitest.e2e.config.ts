import { defineConfig } from 'vitest/config';

/**
 * End-to-end UI tests: the built renderer served by `rekey ui` (the browser host) and driven
 * in Debian's Chromium through playwright-core. Kept apart from the unit config because these
 * need the full build and a browser, and run slower.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/harness/global-setup.ts'],
    testTimeout: 60_000,
    // Launching Chromium and starting the host happen in hooks.
    hookTimeout: 120_000,
    // One file at a time: each already runs Chromium (several processes) and a host, which
    // fill two cores; parallel files would only add timing noise.
    maxWorkers: 1,
  },
});
