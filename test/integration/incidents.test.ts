import { randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RekeyApp, createApp } from '../../src/main/app';
import { formatByName } from '../../src/main/formats/format';
import { verifyHistory } from '../../src/main/history/verify';
import { ok } from '../helpers/app';
import { forgeRecords } from '../helpers/forge';
import { useSshd } from '../helpers/sshd';
import { useTempDirs } from '../helpers/temp';
import { FAST_KDF, PASSWORD, openVault } from '../helpers/vault';

/**
 * Incidents end to end in the core: a timeline in the order things happened (back-dated
 * entries included, edits keeping the original), the entries Rekey adds by itself from a real
 * rotation over SSH, the leak response for an exposed secret, a compromised host's secrets
 * ranked and planned, the report without any value, and a tampered entry caught.
 */

const sshd = useSshd();
const tempDir = useTempDirs();
const hex = () => randomBytes(20).toString('hex');

async function newApp(dir: string): Promise<RekeyApp> {
  const app = createApp({ vaultPath: join(dir, 'vault.rekey'), source: 'cli' });
  await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
  return app;
}

async function addSshHost(app: RekeyApp, name: string): Promise<void> {
  const server = sshd();
  await ok(app, 'hosts.add', {
    name,
    address: '127.0.0.1',
    port: server.port,
    user: server.user,
    login: { kind: 'import', privateKey: readFileSync(server.clientKeys.plain, 'utf8') },
  });
  await ok(app, 'hosts.trust', { name, fingerprint: server.hostKeyFingerprint });
}

/** A secret whose value lives in a .env on the sshd host: rotated by its target alone. */
async function secretOnHost(app: RekeyApp, dir: string, ref: string, value: string) {
  const file = join(dir, `${ref.replace('/', '-')}.env`);
  writeFileSync(file, `TOKEN=${value}\n`);
  await ok(app, 'secrets.add', {
    ref,
    value: { kind: 'enter', value },
    metadata: {
      impact: 'Clients using the old token are refused.',
      targets: [{ host: 'vps', path: file, format: 'dotenv', key: 'TOKEN' }],
    },
  });
  return file;
}

async function rotate(app: RekeyApp, ref: string) {
  const plan = await ok(app, 'rotations.plan', { refs: [ref] });
  return ok(app, 'rotations.start', {
    refs: [ref],
    confirmed: plan.checklist.map((item) => item.id),
    wait: true,
  });
}

describe('incidents', () => {
  it('keeps the timeline in the order things happened, edits with their originals', async () => {
    const app = await newApp(tempDir());
    const opened = await ok(app, 'incidents.open', {
      title: 'Token pasted in a public chat',
      severity: 2,
      detectedAt: '2026-11-20T08:00:00Z',
    });
    const id = opened.id;
    await ok(app, 'incidents.addEntry', { id, kind: 'action', text: 'Chat message deleted' });
    await ok(app, 'incidents.addEntry', {
      id,
      kind: 'detection',
      text: 'A colleague saw the token in the chat',
      at: '2026-11-20T07:45:00Z',
    });
    await ok(app, 'incidents.addEntry', {
      id,
      kind: 'communication',
      text: 'Team told',
      at: '2026-11-20T09:30:00+01:00',
    });
    const detail = await ok(app, 'incidents.get', { id });
    expect(detail.timeline.map((entry) => [entry.at, entry.text])).toEqual([
      ['2026-11-20T07:45:00.000Z', 'A colleague saw the token in the chat'],
      ['2026-11-20T08:00:00.000Z', 'Opened, severity 2 (high)'],
      ['2026-11-20T08:30:00.000Z', 'Team told'],
      [expect.any(String), 'Chat message deleted'],
    ]);

    // An edit moves the entry and keeps the wording it replaced.
    const told = detail.timeline[2]?.id ?? '';
    const edited = await ok(app, 'incidents.editEntry', {
      id,
      entryId: told,
      text: 'Team and users told',
      at: '2026-11-20T07:50:00Z',
    });
    expect(edited.timeline[1]).toMatchObject({
      id: told,
      text: 'Team and users told',
      revisions: [{ text: 'Team told', at: '2026-11-20T08:30:00.000Z', kind: 'communication' }],
    });
    const removed = await ok(app, 'incidents.removeEntry', { id, entryId: told });
    expect(removed.timeline.map((entry) => entry.id)).not.toContain(told);
    const history = JSON.stringify(await ok(app, 'history.list', {}));
    expect(history).toContain('was \\"Team told\\"');

    // What cannot be: an entry dated ahead, closing without a summary.
    const ahead = await app.call('incidents.addEntry', {
      id,
      text: 'later',
      at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(ahead.ok ? null : ahead.error.message).toMatch(/in the future/);
    const bare = await app.call('incidents.setStatus', { id, status: 'closed' });
    expect(bare.ok ? null : bare.error.message).toMatch(/needs a summary/);
    const closed = await ok(app, 'incidents.setStatus', {
      id,
      status: 'closed',
      summary: 'Token rotated, no misuse found.',
      followUps: ['Add a secret scanner to the chat'],
    });
    expect(closed.status).toBe('closed');
    expect(closed.followUps).toEqual([
      { id: expect.stringMatching(/^f_/), text: 'Add a secret scanner to the chat', done: false },
    ]);
    expect(closed.statusHistory.map((item) => item.status)).toEqual(['open', 'closed']);
  });

  it('adds a real rotation of an exposed secret to the timeline and clears the exposure', async () => {
    const dir = tempDir();
    const app = await newApp(dir);
    await addSshHost(app, 'vps');
    const old = hex();
    const file = await secretOnHost(app, dir, 'app/token', old);
    const exposed = await ok(app, 'incidents.exposed', {
      ref: 'app/token',
      text: 'found in a public repository',
    });
    const id = exposed.incident.id;
    expect(exposed.incident.affectedSecrets).toEqual([
      expect.objectContaining({ ref: 'app/token', stillExposed: true }),
    ]);
    expect(exposed.steps.map((step) => [step.id, step.action])).toEqual([
      ['assess', 'assess'],
      ['rotate', 'rotate'],
      ['audit', 'audit'],
    ]);
    expect(exposed.steps[0]?.detail).toContain(`${file} (TOKEN) on vps`);
    const listed = await ok(app, 'secrets.list', {});
    expect(listed.find((secret) => secret.ref === 'app/token')?.compromised).toBe(true);

    const assessed = await ok(app, 'incidents.respond', {
      id,
      ref: 'app/token',
      step: 'assess',
      outcome: 'done',
      note: 'Only the one repository',
    });
    expect(assessed.steps[0]?.outcome).toBe('done');

    const run = await rotate(app, 'app/token');
    expect(run.status).toBe('rotated');
    const fresh = formatByName('dotenv').get(readFileSync(file, 'utf8'), 'TOKEN') ?? '';
    expect(fresh).not.toBe(old);

    const detail = await ok(app, 'incidents.get', { id });
    const automatic = detail.timeline.filter((entry) => entry.auto);
    expect(automatic.map((entry) => entry.text)).toEqual([
      `Rotation run ${run.id} started for app/token`,
      `Rotation run ${run.id} finished: the new value is current`,
    ]);
    expect(automatic[0]?.links).toContainEqual({ type: 'rotation', id: run.id });
    expect(automatic[0]?.links).toContainEqual({ type: 'secret', id: 'app/token' });
    // Rekey's own entries are facts from the history: not editable.
    const edit = await app.call('incidents.editEntry', {
      id,
      entryId: automatic[0]?.id ?? '',
      text: 'nothing happened',
    });
    expect(edit.ok ? null : edit.error.message).toMatch(/cannot be changed/);
    // The exposed version is no longer current: not exposed, not compromised any more.
    expect(detail.affectedSecrets[0]?.stillExposed).toBe(false);
    expect(detail.stillExposed).toBe(0);
    const after = await ok(app, 'secrets.list', {});
    expect(after.find((secret) => secret.ref === 'app/token')?.compromised).toBe(false);

    // A closed incident no longer collects entries.
    await ok(app, 'incidents.setStatus', { id, status: 'closed', summary: 'Rotated.' });
    await ok(app, 'secrets.reveal', { ref: 'app/token' });
    const closed = await ok(app, 'incidents.get', { id });
    expect(closed.timeline.filter((entry) => entry.auto)).toHaveLength(2);

    // The report: every entry, no value, the run's result by fingerprint.
    const report = await ok(app, 'incidents.export', {
      id,
      format: 'markdown',
      timeZone: 'Europe/Berlin',
    });
    for (const entry of closed.timeline)
      expect(report.content).toContain(entry.text.split('\n')[0]);
    expect(report.content).toContain('| Time (UTC) | Local time (Europe/Berlin) |');
    expect(report.content).toContain(`Run ${run.id}: rotated`);
    expect(report.content).toContain('- [x] Assess the scope (done)');
    const json = await ok(app, 'incidents.export', { id, format: 'json' });
    expect(JSON.parse(json.content).incident.timeline).toHaveLength(closed.timeline.length);
    for (const value of [old, fresh]) {
      expect(report.content).not.toContain(value);
      expect(json.content).not.toContain(value);
    }
    expect(JSON.stringify(await ok(app, 'history.list', {}))).toContain('report exported');
  });

  it('ranks every secret a compromised host held and plans a rotation per deployment', async () => {
    const dir = tempDir();
    const app = await newApp(dir);
    await addSshHost(app, 'vps');
    for (const name of ['web-1', 'web-2']) {
      await ok(app, 'hosts.add', {
        name,
        address: '127.0.0.1',
        port: 22,
        user: 'deploy',
        login: { kind: 'agent' },
      });
    }
    const target = (host: string, path: string) => ({
      targets: [{ host, path, format: 'dotenv', key: 'VALUE' }],
    });
    await ok(app, 'secrets.add', {
      ref: 'shop/db.password',
      value: { kind: 'enter', value: hex() },
      metadata: { difficulty: 'medium', ...target('web-1', '/srv/shop/.env') },
    });
    await ok(app, 'secrets.add', {
      ref: 'shop/api.key',
      value: { kind: 'enter', value: hex() },
      metadata: { difficulty: 'low', ...target('web-1', '/srv/shop/api.env') },
    });
    await ok(app, 'secrets.add', {
      ref: 'blog/admin.token',
      value: { kind: 'enter', value: hex() },
      metadata: { difficulty: 'high', ...target('web-1', '/srv/blog/.env') },
    });
    await ok(app, 'secrets.add', {
      ref: 'blog/other.token',
      value: { kind: 'enter', value: hex() },
      metadata: target('web-2', '/srv/blog/other.env'),
    });
    // Written to vps by a real rotation, then moved elsewhere: vps may still hold a copy.
    await secretOnHost(app, dir, 'mail/smtp.password', hex());
    expect((await rotate(app, 'mail/smtp.password')).status).toBe('rotated');
    await ok(app, 'secrets.update', {
      ref: 'mail/smtp.password',
      changes: target('web-2', '/srv/mail/.env'),
    });

    const web1 = await ok(app, 'incidents.hostCompromised', {
      host: 'web-1',
      text: 'root login from an unknown address',
    });
    expect(web1.secrets.map((secret) => [secret.ref, secret.difficulty])).toEqual([
      ['blog/admin.token', 'high'],
      ['shop/db.password', 'medium'],
      ['shop/api.key', 'low'],
    ]);
    expect(web1.plans).toEqual([
      { deployment: 'blog', refs: ['blog/admin.token'], problems: [] },
      { deployment: 'shop', refs: ['shop/db.password', 'shop/api.key'], problems: [] },
    ]);
    expect(web1.incident.hosts).toEqual(['web-1']);
    expect(web1.incident.affectedSecrets.every((secret) => secret.stillExposed)).toBe(true);
    expect(web1.incident.timeline.at(-1)?.text).toContain('3 secrets had a value there');

    const vps = await ok(app, 'incidents.hostCompromised', {
      host: 'vps',
      incident: web1.incident.id,
    });
    expect(vps.incident.id).toBe(web1.incident.id);
    expect(vps.secrets).toEqual([
      expect.objectContaining({
        ref: 'mail/smtp.password',
        reason: expect.stringMatching(/^written to .*mail-smtp\.password\.env on vps by run r_/),
      }),
    ]);
    expect(vps.incident.hosts).toEqual(['web-1', 'vps']);
  });

  it('catches a rewritten timeline entry: on open while recent, by history verify once archived', async () => {
    const dir = tempDir();
    const app = await newApp(dir);
    const opened = await ok(app, 'incidents.open', { title: 'Suspicious login' });
    await ok(app, 'incidents.addEntry', { id: opened.id, text: 'Checked the auth log: nothing' });
    await ok(app, 'incidents.addEntry', { id: opened.id, text: 'Asked the provider' });
    const path = join(dir, 'vault.rekey');
    const copy = join(dir, 'copy.rekey');
    copyFileSync(path, copy);
    // Whoever holds the key re-seals every record with the entry's text rewritten.
    const forge = (file: string) =>
      forgeRecords(file, (plaintexts) =>
        plaintexts.map((plaintext) =>
          Buffer.from(
            plaintext
              .toString('latin1')
              .replaceAll('Checked the auth log: nothing', 'Checked the auth log: all fine'),
            'latin1',
          ),
        ),
      );
    await forge(copy);
    await expect(openVault(copy)).rejects.toMatchObject({
      code: 'VAULT_DAMAGED',
      message: expect.stringMatching(/history chain/),
    });

    const vault = await openVault(path);
    await vault.compact();
    const verify = (opened: Awaited<ReturnType<typeof openVault>>) =>
      verifyHistory(opened.vaultIdBytes, opened.eventBlocks, opened.state, opened.recordCount);
    expect(verify(vault).ok).toBe(true);
    await forge(path);
    const report = verify(await openVault(path));
    expect(report.ok).toBe(false);
    expect(report.problems.join(' ')).toMatch(/does not chain/);
  });
});
