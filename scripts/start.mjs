// `npm start`: builds Rekey and opens the desktop window. Electron fetches its runtime on
// first start; where it cannot (an offline machine: the binary is not on the npm registry),
// this says so in one line instead of failing with a download stack trace.
import { spawnSync } from 'node:child_process';

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit' }).status ?? 1;

if (run(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build']) !== 0) {
  process.exit(1);
}

const lookup = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
  encoding: 'utf8',
});
if (lookup.status === 0 && lookup.stdout) process.exit(run(lookup.stdout, ['.']));

console.error(
  'Rekey: the Electron runtime could not be obtained (offline?), so the desktop window cannot ' +
    'start here. The `rekey` command line works: npx rekey --help',
);
process.exit(1);
