/**
 * A writer that the crash test kills with SIGKILL at random moments. It adds secrets in a
 * loop and prints `ack <ref> <value>` only after the change is durable (appended and
 * fdatasync'ed, compaction included), so everything it acknowledged must survive the kill.
 */
import { randomBytes } from 'node:crypto';
import { Vault } from '../../../src/main/vault/vault';
import { addSecret } from '../secrets';

// The password arrives in the environment: secrets never go on a command line.
const [path, runId] = process.argv.slice(2) as [string, string];
const password = process.env['REKEY_PASSWORD'] ?? '';
const vault = await Vault.open(path, password, {
  source: 'cli',
  command: 'crash-writer',
  autoCompactAfter: 8,
  lockTimeoutMs: 10_000,
});
for (let i = 0; ; i++) {
  const ref = `crash/r${runId}-${i}`;
  const value = randomBytes(18).toString('base64');
  await addSecret(vault, ref, value);
  process.stdout.write(`ack ${ref} ${value}\n`);
}
