import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chownSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type SshEndpoint, SshPool, connectSsh, probeHostKey } from '../../src/main/connectors/ssh';
import {
  acceptedLogins,
  endpointOf,
  failureOf,
  messagesOf,
  processArgs,
  silentServer,
  useConnections,
  waitFor,
} from '../helpers/ssh-client';
import { CLIENT_KEY_PASSPHRASE, useSshAgent, useSshd } from '../helpers/sshd';
import { freeLoopbackPort } from '../helpers/sshd-server';
import { useTempDirs } from '../helpers/temp';

/**
 * The SSH connector against a real OpenSSH sshd on loopback: login, files, commands, failures,
 * concurrency, pooling and jump hosts. Host key pinning and secret exposure have their own
 * `*.security.test.ts` files.
 */

const sha256 = (value: string | Buffer) => createHash('sha256').update(value).digest('hex');
const isRoot = process.getuid?.() === 0;
/** A value that must not show up in an error message. */
const SECRET = `rekey-secret-${randomBytes(12).toString('hex')}`;

describe('ssh connector: trust and login', () => {
  const sshd = useSshd();
  const agent = useSshAgent(() => [sshd().clientKeys.plain]);
  const connect = useConnections();

  it('probes the host key exactly as ssh-keygen -lf prints it, without logging in', async () => {
    const logins = acceptedLogins(sshd());
    const { auth: _auth, pinnedFingerprint: _pin, ...target } = endpointOf(sshd());
    const key = await probeHostKey(target);
    expect(key).toEqual({ algorithm: 'ssh-ed25519', fingerprint: sshd().hostKeyFingerprint });
    expect(acceptedLogins(sshd())).toBe(logins);
  });

  it('logs in with a key, with a passphrase-protected key and through ssh-agent', async () => {
    const endpoints: SshEndpoint[] = [
      endpointOf(sshd()),
      endpointOf(sshd(), {
        auth: {
          kind: 'key',
          privateKey: readFileSync(sshd().clientKeys.protected, 'utf8'),
          passphrase: CLIENT_KEY_PASSPHRASE,
        },
      }),
      endpointOf(sshd(), { auth: { kind: 'agent', socket: agent().socket } }),
    ];
    for (const endpoint of endpoints) {
      const connector = await connect(endpoint);
      const result = await connector.exec({ argv: ['id', '-un'] });
      expect(result).toMatchObject({ code: 0, stdout: `${sshd().user}\n` });
    }
  });

  it('maps a refused key, a wrong passphrase, a closed port and a silent server', async () => {
    const stranger = await failureOf(
      connect(
        endpointOf(sshd(), {
          auth: { kind: 'key', privateKey: readFileSync(sshd().clientKeys.stranger, 'utf8') },
        }),
      ),
    );
    expect(stranger.code).toBe('AUTH_FAILED');
    expect(stranger.message).toContain('vps-test');

    const badPassphrase = await failureOf(
      connect(
        endpointOf(sshd(), {
          auth: {
            kind: 'key',
            privateKey: readFileSync(sshd().clientKeys.protected, 'utf8'),
            passphrase: SECRET,
          },
        }),
      ),
    );
    expect(badPassphrase.code).toBe('AUTH_FAILED');
    expect(messagesOf(badPassphrase)).not.toContain(SECRET);

    const closedPort = await freeLoopbackPort();
    const refused = await failureOf(connect(endpointOf(sshd(), { port: closedPort })));
    expect(refused.code).toBe('CONNECTION_REFUSED');
    expect(refused.message).toContain(`127.0.0.1:${closedPort}`);

    const silent = await silentServer();
    try {
      const started = Date.now();
      const timeout = await failureOf(
        connect(endpointOf(sshd(), { port: silent.port, readyTimeoutMs: 400 })),
      );
      expect(timeout.code).toBe('CONNECTION_TIMEOUT');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await silent.close();
    }
  });
});

describe('ssh connector: files', () => {
  const sshd = useSshd();
  const tempDir = useTempDirs();
  const connect = useConnections();

  it('replaces a 0640 file keeping mode and owner, with a backup, and restores it', async () => {
    const dir = tempDir();
    const path = join(dir, 'app.env');
    writeFileSync(path, 'SECRET=old\n', { mode: 0o640 });
    if (isRoot) chownSync(path, 1234, 5678);
    const before = statSync(path);
    const connector = await connect(endpointOf(sshd()));

    const { backupPath } = await connector.writeFile(path, 'SECRET=new\n');

    expect(readFileSync(path, 'utf8')).toBe('SECRET=new\n');
    const after = statSync(path);
    expect(after.mode & 0o7777).toBe(0o640);
    expect([after.uid, after.gid]).toEqual([before.uid, before.gid]);
    expect(backupPath).toMatch(/\/\.app\.env\.rekey-backup-\d{8}T\d{6}Z-[0-9a-f]{4}$/);
    const backup = backupPath as string;
    expect(readFileSync(backup, 'utf8')).toBe('SECRET=old\n');
    const backupStat = statSync(backup);
    expect(backupStat.mode & 0o7777).toBe(0o640);
    expect([backupStat.uid, backupStat.gid]).toEqual([before.uid, before.gid]);

    await connector.restoreBackup(path, backup);
    expect(readFileSync(path, 'utf8')).toBe('SECRET=old\n');
    expect(statSync(path).mode & 0o7777).toBe(0o640);
    expect([statSync(path).uid, statSync(path).gid]).toEqual([before.uid, before.gid]);
    expect(readFileSync(backup, 'utf8')).toBe('SECRET=old\n');
    expect(readdirSync(dir).filter((name) => name.includes('.rekey-tmp-'))).toEqual([]);
    expect((await failureOf(connector.restoreBackup(path, join(dir, 'other')))).code).toBe(
      'INVALID_INPUT',
    );
  });

  it('creates new files 0600 by default, writes through symlinks, reads, stats and lists', async () => {
    const dir = tempDir();
    const connector = await connect(endpointOf(sshd()));
    expect(await connector.writeFile(join(dir, 'new.env'), 'A=1\n')).toEqual({ backupPath: null });
    expect(statSync(join(dir, 'new.env')).mode & 0o7777).toBe(0o600);
    await connector.writeFile(join(dir, 'group.env'), 'B=2\n', { mode: 0o640 });
    expect(statSync(join(dir, 'group.env')).mode & 0o7777).toBe(0o640);

    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'c.env'), 'C=1\n');
    symlinkSync(join(dir, 'real', 'c.env'), join(dir, 'link.env'));
    await connector.writeFile(join(dir, 'link.env'), 'C=2\n');
    expect(readFileSync(join(dir, 'real', 'c.env'), 'utf8')).toBe('C=2\n');
    expect(execFileSync('stat', ['-c', '%F', join(dir, 'link.env')], { encoding: 'utf8' })).toBe(
      'symbolic link\n',
    );

    expect((await connector.readFile(join(dir, 'new.env'))).toString()).toBe('A=1\n');
    const stat = await connector.stat(join(dir, 'group.env'));
    const local = statSync(join(dir, 'group.env'));
    expect(stat).toMatchObject({
      uid: local.uid,
      gid: local.gid,
      size: 4,
      isFile: true,
      isDirectory: false,
      mtimeMs: Math.floor(local.mtimeMs / 1000) * 1000,
    });
    expect((stat?.mode ?? 0) & 0o7777).toBe(0o640);
    expect(await connector.stat(join(dir, 'real'))).toMatchObject({ isDirectory: true });
    expect(await connector.stat(join(dir, 'missing'))).toBeNull();
    expect(await connector.list(dir)).toEqual(
      readdirSync(dir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    expect((await failureOf(connector.list(join(dir, 'missing')))).code).toBe('NOT_FOUND');
    expect((await failureOf(connector.readFile(join(dir, 'missing')))).code).toBe('NOT_FOUND');
  });

  it('fingerprints a file and a value on the host, equal to sha256', async () => {
    const dir = tempDir();
    const content = Buffer.from('TOKEN=abc\n\0\xff', 'latin1');
    writeFileSync(join(dir, 'odd name\nwith newline'), content);
    const connector = await connect(endpointOf(sshd()));
    expect(
      await connector.fingerprint({ kind: 'file', path: join(dir, 'odd name\nwith newline') }),
    ).toBe(sha256(content));
    expect(await connector.fingerprint({ kind: 'value', value: 'pässwörd\n' })).toBe(
      sha256('pässwörd\n'),
    );
    expect(
      (await failureOf(connector.fingerprint({ kind: 'file', path: join(dir, 'missing') }))).code,
    ).toBe('NOT_FOUND');
  });

  it('leaves the old or the new file, never a mix, when the connection dies mid-write', async () => {
    const dir = tempDir();
    const path = join(dir, 'big.env');
    const oldContent = Buffer.from('OLD=1\n');
    const newContent = Buffer.alloc(48 * 1024 * 1024, 'NEW=2\n');
    writeFileSync(path, oldContent, { mode: 0o640 });
    const connector = await connect(endpointOf(sshd()));
    const writing = connector.writeFile(path, newContent).then(
      () => null,
      (error: unknown) => error as Error & { code?: string },
    );
    // Kill sshd's processes for this connection while the temporary file is being filled.
    await waitFor('the temporary file to fill', () => {
      const temp = readdirSync(dir).find((name) => name.includes('.rekey-tmp-'));
      if (!temp) return undefined;
      try {
        return statSync(join(dir, temp)).size > 1024 * 1024 ? temp : undefined;
      } catch {
        return undefined;
      }
    });
    expect(sshd().dropConnections()).toBeGreaterThan(0);
    const error = await writing;

    expect(error?.code).toBe('CONNECTION_LOST');
    expect(error?.message).toContain('vps-test');
    const now = readFileSync(path);
    expect(now.equals(oldContent)).toBe(true);
    expect(statSync(path).mode & 0o7777).toBe(0o640);
    expect(
      readdirSync(dir).filter((name) => name.includes('.rekey-tmp-')).length,
    ).toBeLessThanOrEqual(1);
    expect(connector.isOpen).toBe(false);
    expect((await failureOf(connector.stat(path))).code).toBe('CONNECTION_LOST');
  });
});

describe('ssh connector: commands', () => {
  const sshd = useSshd();
  const connect = useConnections();

  it('passes argv literally, runs in cwd and reports exit status and signals', async () => {
    const connector = await connect(endpointOf(sshd()));
    const hostile = ["it's", '$(touch /tmp/rekey-pwned)', '`id`', '; exit 9', 'a\nb', ''];
    const echoed = await connector.exec({
      argv: ['sh', '-c', 'pwd; printf "[%s]" "$@"', 'sh', ...hostile],
      cwd: '/tmp',
    });
    expect(echoed.stdout).toBe(`/tmp\n${hostile.map((word) => `[${word}]`).join('')}`);
    expect(await connector.exec({ argv: ['sh', '-c', 'echo oops >&2; exit 3'] })).toMatchObject({
      code: 3,
      signal: null,
      stderr: 'oops\n',
      stdout: '',
    });
    expect(await connector.exec({ argv: ['sh', '-c', 'kill -TERM $$'] })).toMatchObject({
      code: null,
      signal: 'SIGTERM',
    });
    expect((await connector.exec({ argv: ['rekey-no-such-program'] })).code).toBe(127);
  });

  it('kills a command that outlives its timeout and fails with CONNECTION_TIMEOUT', async () => {
    const connector = await connect(endpointOf(sshd()));
    const marker = `rekey-timeout-${randomBytes(4).toString('hex')}`;
    const started = Date.now();
    const error = await failureOf(
      connector.exec({
        argv: ['sh', '-c', 'sleep 30 & sleep 31; true', marker],
        env: { REKEY_TOKEN: SECRET },
        stdin: SECRET,
        timeoutMs: 500,
      }),
    );
    expect(error.code).toBe('CONNECTION_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(messagesOf(error)).not.toContain(SECRET);
    await waitFor('the timed-out command to be killed', () =>
      processArgs().includes(marker) ? undefined : true,
    );
    // The connection is still good for the next step.
    expect((await connector.exec({ argv: ['true'] })).code).toBe(0);
  });

  it('notices a host that stops answering (keepalive) and fails with CONNECTION_LOST', async () => {
    const connector = await connect(endpointOf(sshd(), { keepaliveIntervalMs: 200 }));
    expect((await connector.exec({ argv: ['true'] })).code).toBe(0);
    const frozen = sshd().sessionPids();
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    try {
      const started = Date.now();
      const error = await failureOf(connector.exec({ argv: ['sleep', '20'] }));
      expect(error.code).toBe('CONNECTION_LOST');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      for (const pid of frozen) process.kill(pid, 'SIGKILL');
    }
  });
});

describe('ssh connector: concurrency on one connection', () => {
  // sshd's default channel limit: the connector must queue, not fail.
  const sshd = useSshd({ maxSessions: 10 });
  const tempDir = useTempDirs();
  const connect = useConnections();

  it('runs 30 concurrent operations on one connection', async () => {
    const dir = tempDir();
    const logins = acceptedLogins(sshd());
    const connector = await connect(endpointOf(sshd()));
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, `read-${i}`), `R=${i}\n`);
    const operations: Promise<unknown>[] = [];
    for (let i = 0; i < 12; i++) {
      operations.push(
        connector
          .exec({ argv: ['sh', '-c', 'sleep 0.2; printf %s "$N"'], env: { N: String(i) } })
          .then((result) => expect(result.stdout).toBe(String(i))),
      );
    }
    for (let i = 0; i < 8; i++) {
      operations.push(connector.writeFile(join(dir, `write-${i}`), `W=${i}\n`));
    }
    for (let i = 0; i < 5; i++) {
      operations.push(
        connector
          .readFile(join(dir, `read-${i}`))
          .then((content) => expect(content.toString()).toBe(`R=${i}\n`)),
      );
    }
    for (let i = 0; i < 5; i++) {
      operations.push(
        connector
          .fingerprint({ kind: 'value', value: `V${i}` })
          .then((hex) => expect(hex).toBe(sha256(`V${i}`))),
      );
    }
    expect(operations).toHaveLength(30);
    await Promise.all(operations);
    for (let i = 0; i < 8; i++) {
      expect(readFileSync(join(dir, `write-${i}`), 'utf8')).toBe(`W=${i}\n`);
    }
    expect(acceptedLogins(sshd())).toBe(logins + 1);
  });
});

describe('ssh connector: pool and jump host', () => {
  const target = useSshd();
  const jump = useSshd();

  it('keeps one connection per host for a run and reconnects after a loss', async () => {
    const pool = new SshPool();
    try {
      const logins = acceptedLogins(target());
      const [first, second] = await Promise.all([
        pool.get(endpointOf(target())),
        pool.get(endpointOf(target())),
      ]);
      expect(second).toBe(first);
      expect(await pool.get(endpointOf(target()))).toBe(first);
      // sshd's log line of the login may land a moment after the client is in.
      await waitFor("the login in sshd's log", () =>
        acceptedLogins(target()) > logins ? true : undefined,
      );
      expect(acceptedLogins(target())).toBe(logins + 1);

      target().dropConnections();
      await waitFor('the pool to notice the loss', () => (first.isOpen ? undefined : true));
      const again = await pool.get(endpointOf(target()));
      expect(again).not.toBe(first);
      expect((await again.exec({ argv: ['true'] })).code).toBe(0);
    } finally {
      await pool.closeAll();
    }
  });

  it('reaches a host through a jump host, over a tunnel that ends with it', async () => {
    const jumpEndpoint = endpointOf(jump(), { name: 'bastion' });
    const through = endpointOf(target(), { jump: jumpEndpoint });
    const { auth: _auth, pinnedFingerprint: _pin, ...probeTarget } = through;
    expect((await probeHostKey(probeTarget)).fingerprint).toBe(target().hostKeyFingerprint);

    const connector = await connectSsh(through);
    try {
      expect((await connector.exec({ argv: ['id', '-un'] })).stdout).toBe(`${target().user}\n`);
      // The target connection lives inside the bastion's: dropping the bastion ends it.
      expect(jump().dropConnections()).toBeGreaterThan(0);
      await waitFor('the tunnelled connection to end', () => (connector.isOpen ? undefined : true));
      expect((await failureOf(connector.exec({ argv: ['true'] }))).code).toBe('CONNECTION_LOST');
    } finally {
      await connector.close();
    }
  });
});
