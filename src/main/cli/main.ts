import { runCli } from './program';

declare const REKEY_VERSION: string;

/** Entry point of the `rekey` command (bundled to out/cli/rekey.js). */
const code = await runCli(
  process.argv.slice(2),
  {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  },
  typeof REKEY_VERSION === 'string' ? REKEY_VERSION : 'dev',
);
process.exitCode = code;
