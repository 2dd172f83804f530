import { execFileSync } from 'node:child_process';
import { bundleNode } from '../../scripts/bundle.mjs';

/**
 * Tests spawn the real `rekey` bundle and helper processes (children killed on purpose),
 * so build them once before any suite runs.
 */
export default async function setup(): Promise<void> {
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
  await bundleNode({
    entryPoints: { 'crash-writer': 'test/helpers/children/crash-writer.ts' },
    outdir: 'out/test',
  });
}
