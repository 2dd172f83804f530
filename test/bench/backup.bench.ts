/**
 * Entry of `npm run bench:backup`: registers the `?raw` hooks the sources need under plain tsx,
 * then loads the benchmark (backup-bench-run.ts).
 */
import { register } from 'node:module';

register('./raw-text-hooks.mjs', import.meta.url);
await import('./backup-bench-run');
