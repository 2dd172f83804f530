import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acquireVaultLock } from '../../src/main/vault/lock';
import { forgeRecords } from '../helpers/forge';
import {
  CLI_BUNDLE,
  FAST_KDF_FLAGS,
  type CliVault,
  cliVault,
  initCliVault,
  runRekey,
} from '../helpers/rekey-cli';
import { useTempDirs } from '../helpers/temp';
import { inTerminal } from '../helpers/terminal';
import { PASSWORD } from '../helpers/vault';

const JWT = 'dGhpcyBpcyBhIHRlc3Qgand0IHNlY3JldCBmb3IgcmVrZXk=';

describe('rekey command line', () => {
  const tempDir = useTempDirs();

  async function vaultWithSecrets(): Promise<CliVault> {
    const vault = await initCliVault(tempDir());
    expect(
      (
        await vault.rekey(
          [
            'secret',
            'add',
            'synctv-prod/jwt.secret',
            '--value-stdin',
            '--service',
            'synctv',
            '--rotate-every',
            '90d',
            '--tag',
            'auth',
          ],
          { stdin: `${JWT}\n` },
        )
      ).code,
    ).toBe(0);
    expect(
      (
        await vault.rekey([
          'secret',
          'add',
          'synctv-prod/cluster.secret',
          '--generate',
          'hex:32',
          '--difficulty',
          'high',
        ])
      ).code,
    ).toBe(0);
    return vault;
  }

  it('documents its exit codes in --help', async () => {
    const help = await runRekey(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
    expect(help.stdout).toMatch(/3\s+wrong password/);
    expect((await runRekey(['no-such-command'])).code).toBe(2);
    expect((await runRekey(['secret', 'list', '--no-such-flag'])).code).toBe(2);
  });

  it('adds, lists, shows, reveals and changes secrets', async () => {
    const vault = await vaultWithSecrets();
    const list = await vault.rekey(['secret', 'list']);
    expect(list.stdout).toMatch(/synctv-prod\/jwt\.secret\s+synctv\s+0d\s+ok\s+strong/);
    const json = JSON.parse(
      (await vault.rekey(['secret', 'list', '--json', '--tag', 'auth'])).stdout,
    ) as { ref: string }[];
    expect(json.map((s) => s.ref)).toEqual(['synctv-prod/jwt.secret']);

    const show = await vault.rekey(['secret', 'show', 'synctv-prod/cluster.secret']);
    expect(show.stdout).toContain('difficulty:   high');
    expect(show.stdout).toMatch(/fp:[0-9a-f]{12} .* generated, strong \(256 bits\) \[current\]/);

    expect((await vault.rekey(['secret', 'reveal', 'synctv-prod/jwt.secret'])).stdout).toBe(
      `${JWT}\n`,
    );
    const set = await vault.rekey(['secret', 'set', 'synctv-prod/jwt.secret', '--generate']);
    expect(set.code).toBe(0);
    expect(
      (await vault.rekey(['secret', 'reveal', 'synctv-prod/jwt.secret', 'previous'])).stdout,
    ).toBe(`${JWT}\n`);
    const current = (
      await vault.rekey(['secret', 'reveal', 'synctv-prod/jwt.secret'])
    ).stdout.trim();
    expect(Buffer.from(current, 'base64')).toHaveLength(32);

    expect(
      (
        await vault.rekey([
          'secret',
          'edit',
          'synctv-prod/jwt.secret',
          '--compromised',
          '--impact',
          'all sessions end',
        ])
      ).code,
    ).toBe(0);
    const compromised = JSON.parse(
      (await vault.rekey(['secret', 'list', '--compromised', '--json'])).stdout,
    ) as { ref: string; impact: string }[];
    expect(compromised).toMatchObject([
      { ref: 'synctv-prod/jwt.secret', impact: 'all sessions end' },
    ]);
    expect((await vault.rekey(['secret', 'edit', 'synctv-prod/jwt.secret'])).code).toBe(2);

    expect((await vault.rekey(['secret', 'rm', 'synctv-prod/cluster.secret'])).code).toBe(2);
    expect((await vault.rekey(['secret', 'rm', 'synctv-prod/cluster.secret', '--yes'])).code).toBe(
      0,
    );
    expect((await vault.rekey(['secret', 'show', 'synctv-prod/cluster.secret'])).code).toBe(9);
    expect((await vault.rekey(['secret', 'add', 'synctv-prod/jwt.secret'])).code).toBe(10);
  });

  it('warns about weak values without printing them', async () => {
    const vault = await initCliVault(tempDir());
    const weak = await vault.rekey(['secret', 'add', 'synctv-prod/db.password', '--value-stdin'], {
      stdin: 'changeme',
    });
    expect(weak.code).toBe(0);
    expect(weak.stderr).toContain('placeholder or default value');
    expect(weak.stdout + weak.stderr).not.toContain('changeme');
    const listed = JSON.parse(
      (await vault.rekey(['secret', 'list', '--weak', '--json'])).stdout,
    ) as unknown[];
    expect(listed).toHaveLength(1);
    expect(
      (await vault.rekey(['secret', 'add', 'd/empty', '--value-stdin'], { stdin: '\n' })).code,
    ).toBe(2);
  });

  it('imports a compose .env, with a dry run first', async () => {
    const vault = await initCliVault(tempDir());
    const env = join(vault.dir, '.env');
    writeFileSync(
      env,
      '# livekit\nLIVEKIT_URL=wss://lk.example.org\nLIVEKIT_KEY=APIabc\nLIVEKIT_SECRET="0123456789abcdef0123456789abcdef"\nPOSTGRES_PASSWORD=pw#with-hash-0123456789\n',
    );
    const dry = await vault.rekey([
      'import',
      'env',
      env,
      '--deployment',
      'matrix',
      '--dry-run',
      '--json',
    ]);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      dryRun: true,
      added: ['matrix/LIVEKIT_KEY', 'matrix/LIVEKIT_SECRET', 'matrix/POSTGRES_PASSWORD'],
    });
    expect(JSON.parse((await vault.rekey(['secret', 'list', '--json'])).stdout)).toEqual([]);
    const real = await vault.rekey([
      'import',
      'env',
      env,
      '--deployment',
      'matrix',
      '--service',
      'livekit',
    ]);
    expect(real.stdout).toContain('Imported into matrix: 3 new');
    expect(real.stdout).toContain('LIVEKIT_URL: does not look like a secret');
    expect((await vault.rekey(['secret', 'reveal', 'matrix/POSTGRES_PASSWORD'])).stdout).toBe(
      'pw#with-hash-0123456789\n',
    );
  });

  it('shows and verifies the history, and compacts without losing it', async () => {
    const vault = await vaultWithSecrets();
    await vault.rekey(['secret', 'reveal', 'synctv-prod/jwt.secret']);
    const history = JSON.parse(
      (await vault.rekey(['history', '--secret', 'synctv-prod/jwt.secret', '--json'])).stdout,
    ) as { kind: string; source: string }[];
    expect(history.map((e) => e.kind)).toEqual([
      'secret.revealed',
      'version.added',
      'secret.created',
    ]);
    expect(history.every((e) => e.source === 'cli')).toBe(true);
    expect(
      JSON.parse(
        (await vault.rekey(['history', '--kind', 'deployment', '--since', '1h', '--json'])).stdout,
      ),
    ).toHaveLength(1);
    expect((await vault.rekey(['history', '--since', 'yesterday-ish'])).code).toBe(2);
    const verify = await vault.rekey(['history', 'verify']);
    expect(verify.code).toBe(0);
    const head = /Chain head: ([0-9a-f]{64})/.exec(verify.stdout)?.[1];
    const compact = await vault.rekey(['compact']);
    expect(compact.stdout).toMatch(/Compacted .*: \d+ -> \d+ bytes/);
    const afterCompact = await vault.rekey(['history', '--json', '--oldest-first']);
    expect((JSON.parse(afterCompact.stdout) as { hash: string }[]).at(-2)?.hash).toBe(head);
    expect((await vault.rekey(['history', 'verify'])).code).toBe(0);
  });

  it('generates values without a vault', async () => {
    const run = await runRekey(['generate', 'hex:16', '--count', '3']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(lines).size).toBe(3);
    expect((await runRekey(['generate', 'passphrase:5'])).stdout.trim().split('-')).toHaveLength(5);
    expect((await runRekey(['generate', 'rot13:5'])).code).toBe(2);
  });

  it('changes the password: the old one stops working', async () => {
    const vault = await vaultWithSecrets();
    const newPassword = join(vault.dir, 'new-password');
    writeFileSync(newPassword, 'a much better password\n');
    expect(
      (await vault.rekey(['passwd', '--new-password-file', newPassword, ...FAST_KDF_FLAGS])).code,
    ).toBe(0);
    expect((await vault.rekey(['secret', 'list'])).code).toBe(3);
    const run = await runRekey([
      '--vault',
      vault.vaultPath,
      '--password-file',
      newPassword,
      'secret',
      'reveal',
      'synctv-prod/jwt.secret',
    ]);
    expect(run.stdout).toBe(`${JWT}\n`);
  });

  it('takes the password from every documented source, never from arguments', async () => {
    const vault = await vaultWithSecrets();
    const base = ['--vault', vault.vaultPath, 'secret', 'list', '--json'];
    const okWith = async (env: NodeJS.ProcessEnv) => (await runRekey(base, { env })).code;
    expect(await okWith({ REKEY_PASSWORD: PASSWORD })).toBe(0);
    expect(await okWith({ REKEY_PASSWORD_FILE: vault.passwordFile })).toBe(0);
    expect(await okWith({ REKEY_PASSWORD_COMMAND: `cat '${vault.passwordFile}'` })).toBe(0);
    expect(await okWith({ REKEY_PASSWORD_COMMAND: 'exit 3' })).toBe(2);
    expect(await okWith({ REKEY_PASSWORD: 'wrong' })).toBe(3);
    expect(
      (
        await runRekey(['secret', 'list'], {
          env: { REKEY_VAULT: vault.vaultPath, REKEY_PASSWORD: PASSWORD },
        })
      ).code,
    ).toBe(0);
    const noSource = await runRekey(base);
    expect(noSource.code).toBe(2);
    expect(noSource.stderr).toContain('REKEY_PASSWORD_FILE');
  });

  it('asks on the terminal when there is one, twice for a new vault, without echo', async () => {
    const dir = tempDir();
    const rekey = `${process.execPath} ${CLI_BUNDLE} --vault ${join(dir, 'vault.rekey')}`;
    const init = `${rekey} init ${FAST_KDF_FLAGS.join(' ')}`;
    const mismatch = await inTerminal(init, [
      { prompt: 'New vault password: ', answer: 'first password' },
      { prompt: 'Repeat the password: ', answer: 'second password' },
    ]);
    expect(mismatch.output).toContain('The passwords do not match');
    const created = await inTerminal(init, [
      { prompt: 'New vault password: ', answer: 'terminal password' },
      { prompt: 'Repeat the password: ', answer: 'terminal password' },
    ]);
    expect(created.output).toContain('Created vault');
    expect(created.output).not.toContain('terminal password');
    const listed = await inTerminal(`${rekey} secret list`, [
      { prompt: 'Vault password: ', answer: 'terminal password' },
    ]);
    expect(listed.output).toContain('No secrets match.');
    const removed = await inTerminal(`${rekey} secret rm d/none`, [
      { prompt: 'Type its name to confirm: ', answer: 'something else' },
    ]);
    expect(removed.output).toContain('Not confirmed; nothing was changed');
  });

  it('gives each failure its documented exit code', async () => {
    const dir = tempDir();
    const missing = cliVault(dir);
    expect((await missing.rekey(['secret', 'list'])).code).toBe(4);
    const vault = await initCliVault(tempDir());
    expect((await vault.rekey(['init', ...FAST_KDF_FLAGS])).code).toBe(10);

    writeFileSync(join(dir, 'notes.txt'), 'not a vault at all\n');
    expect(
      (
        await runRekey([
          '--vault',
          join(dir, 'notes.txt'),
          '--password-file',
          vault.passwordFile,
          'secret',
          'list',
        ])
      ).code,
    ).toBe(5);

    const newer = join(dir, 'newer.rekey');
    const bytes = readFileSync(vault.vaultPath);
    bytes.writeUInt16LE(9, 8);
    bytes.writeUInt32LE(crc32(bytes.subarray(0, 12)), 12);
    writeFileSync(newer, bytes);
    const newerRun = await runRekey([
      '--vault',
      newer,
      '--password-file',
      vault.passwordFile,
      'secret',
      'list',
    ]);
    expect(newerRun.code).toBe(6);
    expect(newerRun.stderr).toContain('format version 9');

    const damaged = join(dir, 'damaged.rekey');
    const flipped = readFileSync(vault.vaultPath);
    flipped[flipped.length - 20] = (flipped[flipped.length - 20] as number) ^ 0xff;
    writeFileSync(damaged, flipped);
    const damagedRun = await runRekey([
      '--vault',
      damaged,
      '--password-file',
      vault.passwordFile,
      'secret',
      'list',
    ]);
    expect(damagedRun.code).toBe(7);
    expect(damagedRun.stderr).toMatch(/record 0 at byte \d+/);

    const lock = await acquireVaultLock(vault.vaultPath, {
      command: 'a long import',
      shared: false,
    });
    try {
      const busy = await vault.rekey(['--lock-timeout', '0.3', 'secret', 'add', 'd/s']);
      expect(busy.code).toBe(8);
      expect(busy.stderr).toContain('a long import');
    } finally {
      lock.release();
    }

    await vault.rekey(['secret', 'add', 'd/s']);
    await vault.rekey(['compact']);
    await forgeRecords(vault.vaultPath, (plaintexts) =>
      plaintexts.map((p, i) =>
        i === 0
          ? Buffer.from(p.toString('latin1').replace('Vault created', 'Vault c-eated'), 'latin1')
          : p,
      ),
    );
    const tampered = await vault.rekey(['history', 'verify']);
    expect(tampered.code).toBe(11);
    expect(tampered.stderr).toContain('does not chain');
  });
});
