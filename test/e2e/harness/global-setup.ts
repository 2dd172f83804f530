import { execFileSync } from 'node:child_process';

/**
 * The E2E suite tests what users run: the built renderer (out/renderer) served by the built
 * CLI bundle (out/cli/rekey.js). Build both once, before any test file starts.
 */
export default function setup(): void {
  const build = (script: string, ...args: string[]) =>
    execFileSync(process.execPath, [script, ...args], { stdio: 'inherit' });
  build('node_modules/electron-vite/bin/electron-vite.js', 'build');
  build('scripts/build-cli.mjs');
}
