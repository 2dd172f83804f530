/**
 * Entry of `npm run bench:rotation`: registers the `?raw` hooks the playbook sources need
 * under plain tsx, then loads the benchmark (rotation-bench-run.ts).
 */
import { register } from 'node:module';

register('./raw-text-hooks.mjs', import.meta.url);
await import('./rotation-bench-run');
