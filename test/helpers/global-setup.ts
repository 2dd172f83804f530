import { execFileSync } from 'node:child_process';

/** Tests spawn the real `rekey` bundle, so build it once before any suite runs. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
}
