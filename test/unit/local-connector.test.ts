import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chownSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBackupOf } from '../../src/main/connectors/backup-names';
import { LocalConnector } from '../../src/main/connectors/local';
import { useTempDirs } from '../helpers/temp';

const local = new LocalConnector();
const isRoot = process.getuid?.() === 0;
const sha256 = (value: string | Buffer) => createHash('sha256').update(value).digest('hex');
const BACKUP_NAME = /^\.app\.env\.rekey-backup-\d{8}T\d{6}Z-[0-9a-f]{4}$/;

function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'resolved',
    (error: unknown) => (error as { code?: string }).code ?? String(error),
  );
}

/** Everything beside the target that is not the target, a backup or other test files. */
function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.includes('.rekey-tmp-'));
}

describe('local connector files', () => {
  const tempDir = useTempDirs();

  it('creates a new file with mode 0600 (or the given mode) and no backup', async () => {
    const dir = tempDir();
    const path = join(dir, 'new.env');
    expect(await local.writeFile(path, 'A=1\n')).toEqual({ backupPath: null });
    expect(readFileSync(path, 'utf8')).toBe('A=1\n');
    expect(statSync(path).mode & 0o7777).toBe(0o600);
    await local.writeFile(join(dir, 'shared.env'), 'B=2\n', { mode: 0o640 });
    expect(statSync(join(dir, 'shared.env')).mode & 0o7777).toBe(0o640);
    expect(leftovers(dir)).toEqual([]);
  });

  it('replaces a file keeping mode and owner, and keeps the old content as a backup', async () => {
    const dir = tempDir();
    const path = join(dir, 'app.env');
    writeFileSync(path, 'SECRET=old\n', { mode: 0o640 });
    if (isRoot) chownSync(path, 1234, 5678);
    const before = statSync(path);

    const { backupPath } = await local.writeFile(path, 'SECRET=new\n');

    expect(readFileSync(path, 'utf8')).toBe('SECRET=new\n');
    const after = statSync(path);
    expect(after.mode & 0o7777).toBe(0o640);
    expect([after.uid, after.gid]).toEqual([before.uid, before.gid]);
    expect(after.ino).not.toBe(before.ino); // replaced by rename, not rewritten in place

    expect(backupPath).not.toBeNull();
    const backup = backupPath as string;
    expect(backup.startsWith(`${dir}/`)).toBe(true);
    expect(backup.slice(dir.length + 1)).toMatch(BACKUP_NAME);
    expect(isBackupOf(path, backup)).toBe(true);
    expect(readFileSync(backup, 'utf8')).toBe('SECRET=old\n');
    const backupStat = statSync(backup);
    expect(backupStat.mode & 0o7777).toBe(0o640);
    expect([backupStat.uid, backupStat.gid]).toEqual([before.uid, before.gid]);
    expect(leftovers(dir)).toEqual([]);
  });

  it('restores a backup atomically and keeps the backup', async () => {
    const dir = tempDir();
    const path = join(dir, 'app.env');
    writeFileSync(path, 'SECRET=old\n', { mode: 0o640 });
    const { backupPath } = await local.writeFile(path, 'SECRET=new\n');
    await local.restoreBackup(path, backupPath as string);
    expect(readFileSync(path, 'utf8')).toBe('SECRET=old\n');
    expect(statSync(path).mode & 0o7777).toBe(0o640);
    expect(readFileSync(backupPath as string, 'utf8')).toBe('SECRET=old\n');
    expect(leftovers(dir)).toEqual([]);
  });

  it('refuses to "restore" a file that is not a Rekey backup of the target', async () => {
    const dir = tempDir();
    const path = join(dir, 'app.env');
    writeFileSync(path, 'A=1\n');
    writeFileSync(join(dir, 'other'), 'B=2\n');
    expect(await codeOf(local.restoreBackup(path, join(dir, 'other')))).toBe('INVALID_INPUT');
    expect(await codeOf(local.restoreBackup(path, '/etc/shadow'))).toBe('INVALID_INPUT');
    expect(readFileSync(path, 'utf8')).toBe('A=1\n');
  });

  it('writes through a symlink to its target and leaves the link a link', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'app.env'), 'A=1\n', { mode: 0o640 });
    symlinkSync(join(dir, 'real', 'app.env'), join(dir, 'link.env'));
    const { backupPath } = await local.writeFile(join(dir, 'link.env'), 'A=2\n');
    expect(lstatSync(join(dir, 'link.env')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real', 'app.env'), 'utf8')).toBe('A=2\n');
    expect(backupPath?.startsWith(join(dir, 'real', '.app.env.rekey-backup-'))).toBe(true);
  });

  it('fails clearly, without the content, on a directory or a missing directory', async () => {
    const dir = tempDir();
    const secret = 'do-not-leak-this-value';
    const onDirectory = await local.writeFile(dir, secret).catch((error: unknown) => error);
    expect(onDirectory).toMatchObject({ code: 'IO' });
    const missing = await local
      .writeFile(join(dir, 'nope', 'app.env'), secret)
      .catch((error: unknown) => error);
    expect(missing).toMatchObject({ code: 'NOT_FOUND' });
    for (const error of [onDirectory, missing]) {
      expect(String((error as Error).message)).not.toContain(secret);
      expect(String((error as Error).message)).toContain(dir);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('stats and lists', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'b.env'), 'xyz', { mode: 0o604 });
    mkdirSync(join(dir, 'a-dir'));
    const stat = await local.stat(join(dir, 'b.env'));
    expect(stat).toMatchObject({ size: 3, isFile: true, isDirectory: false });
    expect((stat?.mode ?? 0) & 0o7777).toBe(0o604);
    expect(stat?.mtimeMs).toBeCloseTo(statSync(join(dir, 'b.env')).mtimeMs, -1);
    expect(await local.stat(join(dir, 'a-dir'))).toMatchObject({ isDirectory: true });
    expect(await local.stat(join(dir, 'missing'))).toBeNull();
    expect(await local.list(dir)).toEqual(['a-dir', 'b.env']);
    expect(await codeOf(local.list(join(dir, 'missing')))).toBe('NOT_FOUND');
    expect(await codeOf(local.readFile(join(dir, 'missing')))).toBe('NOT_FOUND');
  });

  it('fingerprints a file and a value with SHA-256', async () => {
    const dir = tempDir();
    const content = Buffer.from('line\n\0\xff', 'latin1');
    writeFileSync(join(dir, 'f'), content);
    expect(await local.fingerprint({ kind: 'file', path: join(dir, 'f') })).toBe(sha256(content));
    expect(await local.fingerprint({ kind: 'value', value: 'pässwörd' })).toBe(sha256('pässwörd'));
    expect(await codeOf(local.fingerprint({ kind: 'file', path: join(dir, 'missing') }))).toBe(
      'NOT_FOUND',
    );
  });
});

describe('local connector commands', () => {
  const tempDir = useTempDirs();

  it('passes argv literally, env and stdin exactly, in the given directory', async () => {
    const dir = tempDir();
    const stdin = Buffer.from('in\0put\n\xfe', 'latin1');
    const result = await local.exec({
      argv: [
        'sh',
        '-c',
        'pwd; printf "[%s]" "$1"; echo; printf %s "$TOKEN" | sha256sum; sha256sum',
        'x',
        '$(id); `id`',
      ],
      env: { TOKEN: "it's a\nsecret" },
      stdin,
      cwd: dir,
    });
    const lines = result.stdout.split('\n');
    expect(result).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect(lines[0]).toBe(dir);
    expect(lines[1]).toBe('[$(id); `id`]');
    expect(lines[2]?.split(' ')[0]).toBe(sha256("it's a\nsecret"));
    expect(lines[3]?.split(' ')[0]).toBe(sha256(stdin));
  });

  it('reports exit codes and signals', async () => {
    expect(await local.exec({ argv: ['sh', '-c', 'echo oops >&2; exit 3'] })).toMatchObject({
      code: 3,
      signal: null,
      stderr: 'oops\n',
    });
    expect(await local.exec({ argv: ['sh', '-c', 'kill -TERM $$'] })).toMatchObject({
      code: null,
      signal: 'SIGTERM',
    });
  });

  it('reports a missing program as exit 127, as a remote shell would', async () => {
    const result = await local.exec({ argv: ['rekey-no-such-program-here'] });
    expect(result.code).toBe(127);
  });

  it('kills a command that outlives its timeout, children included', async () => {
    const marker = `rekey-local-timeout-${process.pid}`;
    const started = Date.now();
    const error = await local
      .exec({ argv: ['sh', '-c', `sleep 30 & exec sleep 31`, marker], timeoutMs: 300 })
      .catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'CONNECTION_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(5_000);
    const running = execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' });
    expect(running).not.toMatch(/^sleep 3[01]$/m);
  });

  it('refuses invalid environment names and an empty argv', async () => {
    expect(await codeOf(local.exec({ argv: [] }))).toBe('INVALID_INPUT');
    expect(await codeOf(local.exec({ argv: ['true'], env: { 'A-B': 'x' } }))).toBe('INVALID_INPUT');
  });
});
