import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './processes';

/**
 * A throwaway GnuPG home with one key (Ed25519 + Curve25519, no passphrase) made for the test,
 * and `pass` bound to a store inside it. `stop` ends the agent gpg started and removes it all.
 */
export interface GnupgHome {
  dir: string;
  home: string;
  env: NodeJS.ProcessEnv;
  fingerprint: string;
  gpg(
    args: string[],
    input?: string,
  ): Promise<{ code: number | null; stdout: string; stderr: string }>;
  pass(
    store: string,
    args: string[],
    input?: string,
  ): Promise<{ code: number | null; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

export async function makeGnupgHome(name = 'Rekey Test <test@example.org>'): Promise<GnupgHome> {
  const dir = mkdtempSync(join(tmpdir(), 'rekey-gnupg-'));
  const home = join(dir, 'gnupg');
  mkdirSync(home, { mode: 0o700 });
  const env = { ...process.env, GNUPGHOME: home, LC_ALL: 'C' };
  const gpg = (args: string[], input?: string) =>
    run('gpg', ['--batch', '--pinentry-mode', 'loopback', ...args], {
      env,
      ...(input === undefined ? {} : { input }),
    });
  const made = await gpg(['--passphrase', '', '--quick-gen-key', name, 'ed25519', 'cert', 'never']);
  if (made.code !== 0) throw new Error(`gpg --quick-gen-key failed: ${made.stderr}`);
  const listing = await gpg(['--with-colons', '--list-secret-keys']);
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(listing.stdout)?.[1];
  if (!fingerprint) throw new Error(`no fingerprint in: ${listing.stdout}`);
  const sub = await gpg([
    '--passphrase',
    '',
    '--quick-add-key',
    fingerprint,
    'cv25519',
    'encr',
    'never',
  ]);
  if (sub.code !== 0) throw new Error(`gpg --quick-add-key failed: ${sub.stderr}`);
  return {
    dir,
    home,
    env,
    fingerprint,
    gpg,
    pass: (store, args, input) =>
      run('pass', args, {
        env: { ...env, PASSWORD_STORE_DIR: store },
        ...(input === undefined ? {} : { input }),
      }),
    stop: async () => {
      await run('gpgconf', ['--kill', 'all'], { env }).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
