import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalConnector } from '../../src/main/connectors/local';
import { type HostTarget, checkHost } from '../../src/main/health/host-checks';
import { useTempDirs } from '../helpers/temp';

/**
 * Host checks on this machine through the local connector, with real files, modes and a real
 * `git init`: what the SSH connector does on a server, minus the transport (the integration
 * test covers that). Listeners come from the real `ss`; this machine's own are not asserted.
 */

const tempDir = useTempDirs();
const VALUE = 'k3Jd8QpZ1xLm5VbN7cRt2WyH4sFg9AeU';

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-C', dir, ...args], {
    stdio: 'ignore',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    },
  });
}

function envTarget(ref: string, path: string, value: string | null = VALUE): HostTarget {
  return { ref, target: { host: 'local', path, format: 'dotenv', key: 'TOKEN' }, value };
}

const kinds = (result: Awaited<ReturnType<typeof checkHost>>) =>
  result.findings.filter((f) => f.kind !== 'exposed-port').map((f) => [f.kind, f.severity, f.id]);

describe('host checks', () => {
  it('flags a secret file readable by group or others, with a tighten-mode fix', async () => {
    const dir = tempDir();
    const open = join(dir, 'open.env');
    const group = join(dir, 'group.env');
    const tight = join(dir, 'tight.env');
    for (const [path, mode] of [
      [open, 0o644],
      [group, 0o640],
      [tight, 0o600],
    ] as const) {
      writeFileSync(path, `TOKEN=${VALUE}\n`);
      chmodSync(path, mode);
    }
    const result = await checkHost(new LocalConnector(), 'local', [
      envTarget('a/open', open),
      envTarget('a/group', group),
      envTarget('a/tight', tight),
      envTarget('a/missing', join(dir, 'missing.env')),
    ]);
    expect(result.filesChecked).toBe(3);
    expect(kinds(result)).toEqual([
      ['readable-file', 'medium', `readable-file:local:${group}`],
      ['readable-file', 'high', `readable-file:local:${open}`],
    ]);
    const finding = result.findings.find((f) => f.id === `readable-file:local:${open}`);
    expect(finding?.fixAction).toEqual({ kind: 'tighten-mode', host: 'local', path: open });
    expect(finding?.title).toContain('644');
    // Read-only: nothing was changed.
    expect(statSync(open).mode & 0o777).toBe(0o644);
  });

  it('flags a .env in a git work tree: untracked (high), committed (critical), ignored not', async () => {
    const repo = tempDir();
    git(repo, 'init', '-q');
    mkdirSync(join(repo, 'stack'));
    mkdirSync(join(repo, 'ignored'));
    mkdirSync(join(repo, 'committed'));
    writeFileSync(join(repo, '.gitignore'), 'ignored/.env\n');
    const paths = ['stack', 'ignored', 'committed'].map((name) => join(repo, name, '.env'));
    for (const path of paths) {
      writeFileSync(path, `TOKEN=${VALUE}\n`);
      chmodSync(path, 0o600);
    }
    git(repo, 'add', '--', 'committed/.env');
    git(repo, 'commit', '-q', '-m', 'oops');
    const [stack, ignored, committed] = paths as [string, string, string];
    const result = await checkHost(new LocalConnector(), 'local', [
      envTarget('a/stack', stack),
      envTarget('a/ignored', ignored),
      envTarget('a/committed', committed),
    ]);
    expect(kinds(result)).toEqual([
      ['env-in-git', 'critical', `env-in-git:local:git:${committed}`],
      ['env-in-git', 'high', `env-in-git:local:git:${stack}`],
    ]);
  });

  it('leaves a .env outside any work tree alone', async () => {
    const dir = tempDir();
    const path = join(dir, '.env');
    writeFileSync(path, `TOKEN=${VALUE}\n`, { mode: 0o600 });
    expect(kinds(await checkHost(new LocalConnector(), 'local', [envTarget('a/t', path)]))).toEqual(
      [],
    );
  });

  it('flags a secret equal to a value of the .env.example beside its target', async () => {
    const dir = tempDir();
    const path = join(dir, '.env');
    writeFileSync(path, 'TOKEN=from-the-example-123\nOTHER=x\n', { mode: 0o600 });
    writeFileSync(join(dir, '.env.example'), '# copy me\nTOKEN="from-the-example-123"\nEMPTY=\n');
    const result = await checkHost(new LocalConnector(), 'local', [
      envTarget('a/copied', path, 'from-the-example-123'),
      envTarget('a/own', path, VALUE),
    ]);
    expect(kinds(result)).toEqual([
      ['example-value', 'high', `example-value:a/copied:local:${dir}`],
    ]);
    expect(JSON.stringify(result)).not.toContain('from-the-example-123');
  });
});
