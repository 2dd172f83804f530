import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RekeyApp, createApp } from '../../src/main/app';
import { ok } from '../helpers/app';
import { useTempDirs } from '../helpers/temp';
import { FAST_KDF, PASSWORD } from '../helpers/vault';

/**
 * The leak response follows the secret's playbook: SyncTV's OPAQUE setup secret is guarded, so
 * instead of a routine rotation it calls for a forced password reset and a new JWT secret (as
 * SyncTV's hardening guide says); the JWT secret itself is rotated, with a look for forged
 * tokens; a secret without a playbook gets assess, rotate, audit.
 */
describe('leak response', () => {
  const tempDir = useTempDirs();

  async function syncTv(): Promise<RekeyApp> {
    const app = createApp({ vaultPath: join(tempDir(), 'vault.rekey'), source: 'cli' });
    await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
    for (const name of ['jwt.secret', 'security.opaque_server_setup_secret']) {
      await ok(app, 'secrets.add', { ref: `tv/${name}` });
    }
    await ok(app, 'deployments.setPlaybook', {
      name: 'tv',
      playbook: 'synctv',
      variables: {
        config_dir: '/opt/synctv',
        compose_dir: '/opt/synctv',
        base_url: 'https://tv.test',
      },
    });
    return app;
  }

  it('offers a reset and a new JWT secret for the guarded OPAQUE secret, not a rotation', async () => {
    const app = await syncTv();
    const result = await ok(app, 'incidents.exposed', {
      ref: 'tv/security.opaque_server_setup_secret',
    });
    expect(result.steps.map((step) => [step.id, step.action, step.refs])).toEqual([
      ['assess', 'assess', []],
      ['password-reset', 'manual', []],
      ['rotate-jwt', 'rotate-other', ['tv/jwt.secret']],
      ['audit', 'audit', []],
    ]);
    // Skipping is an answer too, and the timeline says so.
    const skipped = await ok(app, 'incidents.respond', {
      id: result.incident.id,
      ref: 'tv/security.opaque_server_setup_secret',
      step: 'password-reset',
      outcome: 'skipped',
      note: 'No user has a password yet',
    });
    expect(skipped.steps[1]?.outcome).toBe('skipped');
    expect(skipped.incident.timeline.at(-1)).toMatchObject({
      kind: 'decision',
      text: 'Force a password reset (or recreate the OPAQUE records): skipped. No user has a password yet',
    });
    const unknown = await app.call('incidents.respond', {
      id: result.incident.id,
      ref: 'tv/security.opaque_server_setup_secret',
      step: 'rotate',
      outcome: 'done',
    });
    expect(unknown.ok ? null : unknown.error.code).toBe('NOT_FOUND');
  });

  it('rotates the JWT secret and looks for forged tokens; joins an open incident', async () => {
    const app = await syncTv();
    const first = await ok(app, 'incidents.exposed', { ref: 'tv/jwt.secret' });
    expect(first.steps.map((step) => step.id)).toEqual([
      'assess',
      'rotate',
      'tokens-forged',
      'audit',
    ]);
    const joined = await ok(app, 'incidents.exposed', {
      ref: 'tv/security.opaque_server_setup_secret',
      incident: first.incident.id,
    });
    expect(joined.incident.id).toBe(first.incident.id);
    expect(joined.incident.affectedSecrets.map((secret) => secret.ref)).toEqual([
      'tv/jwt.secret',
      'tv/security.opaque_server_setup_secret',
    ]);
    expect(await ok(app, 'incidents.list', {})).toHaveLength(1);
  });

  it('refuses a playbook whose exposure step names a secret it does not describe', async () => {
    const app = createApp({ vaultPath: join(tempDir(), 'vault.rekey'), source: 'cli' });
    await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
    const text = `id: broken
name: Broken
service: app
description: An exposure step pointing nowhere.
checklist: [backup]
secrets:
  - name: token
    description: A token.
    impact: Clients are refused.
    difficulty: low
    handling: Write it.
    policy: { kind: interval, days: 90 }
    generator: { kind: hex, length: 24 }
    targets:
      - { id: env, format: dotenv, path: /srv/app/.env, key: TOKEN }
    steps:
      - kind: generate
      - kind: write
        targets: [env]
    on_exposure:
      - id: other
        title: Rotate the other one
        rotate: [nothing.here]
`;
    const refused = await app.call('playbooks.add', { text, fileName: 'broken.yaml' });
    expect(refused.ok ? null : refused.error.message).toMatch(
      /no secret of this playbook is named nothing\.here/,
    );
  });
});
