import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RekeyApp, createApp } from '../../src/main/app';
import { lineDiff } from '../../src/main/rotation/dry-run';
import { ok } from '../helpers/app';
import { useTempDirs } from '../helpers/temp';
import { FAST_KDF, PASSWORD } from '../helpers/vault';

/** Plans from the built-in playbooks, bound to a deployment's variables and hosts. */
describe('rotation plans', () => {
  const tempDir = useTempDirs();

  async function syncTv(): Promise<RekeyApp> {
    const app = createApp({ vaultPath: join(tempDir(), 'vault.rekey'), source: 'cli' });
    await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
    for (const name of [
      'jwt.secret',
      'server.cluster_secret',
      'security.opaque_server_setup_secret',
    ]) {
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

  it('binds the SyncTV playbook to the deployment: paths, services and checks filled in', async () => {
    const app = await syncTv();
    const plan = await ok(app, 'rotations.plan', { refs: ['tv/jwt.secret'] });
    expect(plan.procedure).toBe('playbook synctv');
    expect(plan.steps.map((step) => step.kind)).toEqual([
      'generate',
      'write',
      'restart',
      'verify',
      'verify',
      'watch',
      'confirm',
    ]);
    expect(plan.steps[1]?.title).toBe(
      'Write tv/jwt.secret into jwt.secret in /opt/synctv/config.yaml on local',
    );
    expect(plan.steps[2]?.title).toContain('compose in /opt/synctv');
    expect(plan.steps[4]?.title).toContain('https://tv.test/');
    expect(plan.checklist.map((item) => item.id)).toContain('expect-relogin');
    expect(plan.guarded).toEqual([]);
  });

  it('merges two secrets: values first, one restart for both', async () => {
    const app = await syncTv();
    const plan = await ok(app, 'rotations.plan', {
      refs: ['tv/jwt.secret', 'tv/server.cluster_secret'],
    });
    const kinds = plan.steps.map((step) => step.kind);
    expect(kinds.slice(0, 4)).toEqual(['generate', 'generate', 'write', 'write']);
    expect(kinds.filter((kind) => kind === 'restart')).toHaveLength(1);
  });

  it('refuses a guarded secret unless its ref is typed, and explains why', async () => {
    const app = await syncTv();
    const ref = 'tv/security.opaque_server_setup_secret';
    const plan = await ok(app, 'rotations.plan', { refs: [ref] });
    expect(plan.guarded).toHaveLength(1);
    expect(plan.guarded[0]?.reason.length).toBeGreaterThan(20);
    const all = plan.checklist.map((item) => item.id);
    const refused = await app.call('rotations.start', { refs: [ref], confirmed: all });
    expect(refused.ok ? '' : refused.error.message).toMatch(
      /Guarded secrets refuse routine rotation/,
    );
    expect(await ok(app, 'rotations.list', {})).toEqual([]);
  });

  it('lets a guarded key rotate by its migration command, and says what is missing without one', async () => {
    const app = await syncTv();
    const ref = 'tv/security.credential_encryption_key';
    await ok(app, 'secrets.add', { ref });
    const missing = await app.call('rotations.plan', { refs: [ref] });
    expect(missing.ok ? '' : missing.error.message).toMatch(/re-encrypting[\s\S]*migrate_command/);
    await ok(app, 'deployments.setPlaybook', {
      name: 'tv',
      playbook: 'synctv',
      variables: {
        config_dir: '/opt/synctv',
        compose_dir: '/opt/synctv',
        migrate_command: '/usr/local/bin/recrypt',
      },
    });
    const plan = await ok(app, 'rotations.plan', { refs: [ref] });
    expect(plan.guarded).toEqual([]);
    expect(plan.warnings.join(' ')).toMatch(/safe path/);
    expect(plan.steps.map((step) => step.kind)).toContain('migrate');
  });

  it('refuses secrets of two deployments in one run, and a secret Rekey cannot place', async () => {
    const app = await syncTv();
    await ok(app, 'secrets.add', { ref: 'other/token' });
    const mixed = await app.call('rotations.plan', { refs: ['tv/jwt.secret', 'other/token'] });
    expect(mixed.ok ? '' : mixed.error.message).toMatch(/one deployment/);
    const nowhere = await app.call('rotations.plan', { refs: ['other/token'] });
    expect(nowhere.ok ? '' : nowhere.error.message).toMatch(/no targets/);
  });
});

describe('preview diffs', () => {
  it('shows the changed line with one line of context on each side', () => {
    const before = 'a: 1\nsecret: old\nb: 2\nc: 3\n';
    const after = 'a: 1\nsecret: new\nb: 2\nc: 3\n';
    expect(lineDiff(before, after)).toEqual([
      '@@ line 2 @@',
      ' a: 1',
      '-secret: old',
      '+secret: new',
      ' b: 2',
    ]);
  });

  it('shows an added line at the end, and nothing for no change', () => {
    expect(lineDiff('A=1\n', 'A=1\nB=2\n')).toEqual(['@@ line 2 @@', ' A=1', '+B=2', ' ']);
    expect(lineDiff('same\n', 'same\n')).toEqual([]);
  });
});
