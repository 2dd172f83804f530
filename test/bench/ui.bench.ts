/**
 * Entry of `npm run bench:ui`. The vault sources import their word list with Vite's `?raw`
 * suffix, which tsx does not understand: register hooks for it first, then load the benchmark.
 */
import { register } from 'node:module';

register('./raw-text-hooks.mjs', import.meta.url);
await import('./ui-bench-run');
