// `npm start`: builds Rekey and opens the desktop window. Electron fetches its runtime on
// first start; where it cannot (an offline machine: the binary is not on the npm registry),
// Rekey says so in one line and serves the same window in the browser instead.
import { spawnSync } from 'node:child_process';

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit' }).status ?? 1;

if (run(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build']) !== 0) {
  process.exit(1);
}
if (run(process.execPath, ['scripts/build-cli.mjs']) !== 0) process.exit(1);

const lookup = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
  encoding: 'utf8',
});
if (lookup.status === 0 && lookup.stdout) process.exit(run(lookup.stdout, ['.']));

console.error(
  'Rekey: the Electron runtime could not be obtained (offline?); opening Rekey in your browser instead.',
);
process.exit(run(process.execPath, ['out/cli/rekey.js', 'ui', ...process.argv.slice(2)]));
