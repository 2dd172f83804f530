// `npm start`: builds Rekey and opens the desktop window. Where the Electron runtime cannot
// be obtained (an offline machine: its binary is not on the npm registry), it says so.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const run = (command, args) => spawnSync(command, args, { stdio: 'inherit' }).status ?? 1;

if (run(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build']) !== 0)
  process.exit(1);

let electronPath;
try {
  electronPath = require('electron');
} catch (error) {
  electronPath = null;
  console.error(`Rekey: the Electron runtime is unavailable (${error.message}).`);
}
if (electronPath) process.exit(run(electronPath, ['.']));
console.error(
  'Rekey: the desktop window cannot start here; the `rekey` command line works: npx rekey --help',
);
process.exit(1);
