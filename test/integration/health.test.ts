import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RekeyApp, createApp } from '../../src/main/app';
import { parseSsListeners } from '../../src/main/health/ports';
import type { AppEvent } from '../../src/shared/methods';
import { ok } from '../helpers/app';
import { useSshd } from '../helpers/sshd';
import { useTempDirs } from '../helpers/temp';
import { FAST_KDF, PASSWORD } from '../helpers/vault';

/**
 * Host checks over SSH against the real sshd harness: a `.env` readable by others is flagged
 * and tightened by health.fix (the mode checked on disk afterwards, the fix in the history), a
 * `.env` inside a `git init` work tree is flagged, a value copied from `.env.example` is
 * flagged, and the host's real `ss -tlnH` output is parsed with a loopback listener on a
 * well-known port NOT flagged. (Non-loopback listeners are covered by a recorded `ss` output
 * in test/unit/health-ports.test.ts: tests never listen on the network.)
 */

const sshd = useSshd();
const tempDir = useTempDirs();
const VALUE = 'Hf1Jg5Ks0PaZq7Lm2Xv9Rt4Yb8Nc3Wd6';
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

async function newApp(dir: string): Promise<RekeyApp> {
  const app = createApp({ vaultPath: join(dir, 'vault.rekey'), source: 'cli' });
  await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
  const server = sshd();
  await ok(app, 'hosts.add', {
    name: 'vps',
    address: '127.0.0.1',
    port: server.port,
    user: server.user,
    login: { kind: 'import', privateKey: readFileSync(server.clientKeys.plain, 'utf8') },
  });
  await ok(app, 'hosts.trust', { name: 'vps', fingerprint: server.hostKeyFingerprint });
  return app;
}

async function envSecret(app: RekeyApp, ref: string, path: string, value = VALUE) {
  writeFileSync(path, `TOKEN=${value}\n`);
  await ok(app, 'secrets.add', {
    ref,
    value: { kind: 'enter', value },
    metadata: { targets: [{ host: 'vps', path, format: 'dotenv', key: 'TOKEN' }] },
  });
}

/** Listens on 127.0.0.1 on the first free well-known port of the table, or null. */
async function loopbackListener(): Promise<number | null> {
  for (const port of [9100, 9121, 9187, 6789, 11211, 8500]) {
    const server = createServer();
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (listening) {
      servers.push(server);
      return port;
    }
  }
  return null;
}

describe('health host checks over SSH', () => {
  it('flags a .env readable by others and tightens it with health.fix, recorded', async () => {
    const dir = tempDir();
    const app = await newApp(dir);
    const path = join(dir, 'app.env');
    await envSecret(app, 'app/token', path);
    chmodSync(path, 0o644);
    const events: AppEvent[] = [];
    app.onEvent((event) => events.push(event));

    const report = await ok(app, 'health.report', { hosts: true });
    expect(report.hosts).toEqual([
      expect.objectContaining({ host: 'vps', error: null, filesChecked: 1 }),
    ]);
    const finding = report.findings.find((f) => f.kind === 'readable-file');
    expect(finding).toMatchObject({
      id: `readable-file:vps:${path}`,
      severity: 'high',
      subject: { type: 'host', name: 'vps' },
      fixAction: { kind: 'tighten-mode', host: 'vps', path },
    });
    expect(events).toContainEqual({ type: 'health.progress', host: 'vps', done: 0, total: 1 });
    expect(events).toContainEqual({ type: 'health.progress', host: null, done: 1, total: 1 });
    expect(JSON.stringify(report)).not.toContain(VALUE);

    const fixed = await ok(app, 'health.fix', { action: 'tighten-mode', host: 'vps', path });
    expect(fixed).toEqual({ host: 'vps', path, modeBefore: '644', modeAfter: '600' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe(`TOKEN=${VALUE}\n`);
    const history = await ok(app, 'history.list', { kinds: ['health.fixed'] });
    expect(history.map((event) => event.summary)).toEqual([
      `Health fix on vps: ${path} mode 644 -> 600`,
    ]);
    const after = await ok(app, 'health.report', { hosts: true });
    expect(after.findings.filter((f) => f.kind === 'readable-file')).toEqual([]);
  });

  it('flags a .env inside a git work tree, and a value copied from .env.example', async () => {
    const dir = tempDir();
    const app = await newApp(dir);
    const repo = join(dir, 'repo');
    mkdirSync(join(repo, 'deploy'), { recursive: true });
    execFileSync('git', ['-C', repo, 'init', '-q']);
    const path = join(repo, 'deploy', '.env');
    await envSecret(app, 'app/token', path, 'copied-from-the-example-value');
    chmodSync(path, 0o600);
    writeFileSync(join(repo, 'deploy', '.env.example'), 'TOKEN=copied-from-the-example-value\n');

    const report = await ok(app, 'health.report', { hosts: true, only: ['vps'] });
    const byKind = Object.fromEntries(report.findings.map((f) => [f.kind, f]));
    expect(byKind['env-in-git']).toMatchObject({
      id: `env-in-git:vps:git:${path}`,
      severity: 'high',
      subject: { type: 'host', name: 'vps' },
    });
    expect(byKind['env-in-git']?.title).toContain(repo);
    expect(byKind['example-value']).toMatchObject({
      severity: 'high',
      subject: { type: 'secret', ref: 'app/token' },
      fixAction: { kind: 'rotate', ref: 'app/token' },
    });
    expect(JSON.stringify(report)).not.toContain('copied-from-the-example-value');
  });

  it('parses the host real ss output; a loopback listener on a well-known port is not flagged', async () => {
    const dir = tempDir();
    const app = await newApp(dir);
    const port = await loopbackListener();
    await envSecret(app, 'app/token', join(dir, 'x.env'));
    chmodSync(join(dir, 'x.env'), 0o600);
    const real = parseSsListeners(execFileSync('ss', ['-tlnH'], { encoding: 'utf8' }));
    // The harness's sshd listens on loopback: the parser sees it, as the report does.
    expect(real).toContainEqual({ address: '127.0.0.1', port: sshd().port });
    const report = await ok(app, 'health.report', { hosts: true });
    expect(report.hosts?.[0]?.listeners).toBeGreaterThanOrEqual(1);
    expect(report.hosts?.[0]?.error).toBeNull();
    const exposed = report.findings.filter((f) => f.kind === 'exposed-port');
    expect(exposed.filter((f) => f.id.includes('@127.') || f.id.includes('@::1'))).toEqual([]);
    if (port !== null) {
      expect(real).toContainEqual({ address: '127.0.0.1', port });
      expect(exposed.filter((f) => f.id.startsWith(`exposed-port:vps:${port}@`))).toEqual([]);
    }
  });

  it('reports a host that cannot be reached as unchecked, not as healthy', async () => {
    const dir = tempDir();
    const app = await newApp(dir);
    await ok(app, 'hosts.add', {
      name: 'gone',
      address: '127.0.0.1',
      port: 1,
      user: 'nobody',
      login: { kind: 'agent' },
    });
    await ok(app, 'secrets.add', {
      ref: 'app/token',
      value: { kind: 'enter', value: VALUE },
      metadata: { targets: [{ host: 'gone', path: '/srv/.env', format: 'dotenv', key: 'T' }] },
    });
    const report = await ok(app, 'health.report', { hosts: true, only: ['gone'] });
    expect(report.hosts).toEqual([expect.objectContaining({ host: 'gone' })]);
    expect(report.hosts?.[0]?.error).toBeTruthy();
    expect(report.findings.map((f) => [f.kind, f.severity])).toContainEqual([
      'host-unchecked',
      'info',
    ]);
  });
});
