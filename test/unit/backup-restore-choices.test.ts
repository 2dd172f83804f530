import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import { bundleParts } from '../../src/main/backup/bundle-parts';
import { ok } from '../helpers/app';
import { useTempDirs } from '../helpers/temp';
import { FAST_KDF, PASSWORD } from '../helpers/vault';

/**
 * What a restore is chosen from: the parts of a bundle with their origin (from the manifest,
 * else from the entry names), and the databases a deployment's playbook reaches, offered when a
 * bundle is made.
 */

const entry = (name: string, size = 10) => ({ name, size, sha256: '0'.repeat(64) });

describe('bundle parts', () => {
  it('gives each dump its origin from the manifest, config files their host and path', () => {
    const manifest = {
      contents: [
        {
          name: 'dumps/shop.dump',
          source: {
            kind: 'database',
            host: 'db-host',
            database: 'shop',
            connection: { user: 'postgres' },
            via: ['docker', 'compose', 'exec', '-T', 'db'],
            passwordRef: 'shop/db.password',
          },
        },
      ],
    };
    const parts = bundleParts(manifest, [
      entry('dumps/shop.dump', 4096),
      entry('config/web-1/srv/shop/.env'),
      entry('secrets.json'),
      entry('notes.txt'),
      entry('MANIFEST.json'),
      entry('SHA256SUMS'),
    ]);
    expect(parts).toEqual([
      {
        kind: 'database',
        entry: 'dumps/shop.dump',
        size: 4096,
        name: 'shop',
        source: {
          host: 'db-host',
          database: 'shop',
          connection: { user: 'postgres' },
          via: ['docker', 'compose', 'exec', '-T', 'db'],
          passwordRef: 'shop/db.password',
        },
      },
      {
        kind: 'config',
        entry: 'config/web-1/srv/shop/.env',
        size: 10,
        host: 'web-1',
        path: '/srv/shop/.env',
      },
      { kind: 'secrets', entry: 'secrets.json', size: 10 },
      { kind: 'other', entry: 'notes.txt', size: 10 },
    ]);
  });

  it('reads a bundle without a usable manifest from its entry names alone', () => {
    for (const manifest of [null, { contents: 'nope' }, { contents: [{ name: 'x' }] }]) {
      const parts = bundleParts(manifest, [entry('dumps/app.dump'), entry('dumps/bad name.dump')]);
      expect(parts).toEqual([
        { kind: 'database', entry: 'dumps/app.dump', size: 10, name: 'app', source: null },
        { kind: 'other', entry: 'dumps/bad name.dump', size: 10 },
      ]);
    }
  });
});

describe('databases offered for a backup', () => {
  const tempDir = useTempDirs();

  it("comes from the playbook's sql steps, bound to the deployment's variables, once each", async () => {
    const app = createApp({ vaultPath: join(tempDir(), 'vault.rekey'), source: 'cli' });
    await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
    await ok(app, 'secrets.add', { ref: 'shop/db.password' });
    await ok(app, 'secrets.add', { ref: 'blog/api.key' });
    expect(await ok(app, 'backups.databases', { deployment: 'shop' })).toEqual([]);

    await ok(app, 'deployments.setPlaybook', {
      name: 'shop',
      playbook: 'postgresql',
      variables: { compose_dir: '/srv/shop', db_role: 'shop', db_name: 'shopdb' },
    });
    expect(await ok(app, 'backups.databases', { deployment: 'shop' })).toEqual([
      {
        name: 'shopdb',
        host: 'local',
        database: 'shopdb',
        connection: { user: 'postgres' },
        via: ['docker', 'compose', '--project-directory', '/srv/shop', 'exec', '-T', 'db'],
      },
    ]);
    // A deployment whose secrets have no sql step offers nothing; an unknown one is refused.
    expect(await ok(app, 'backups.databases', { deployment: 'blog' })).toEqual([]);
    const unknown = await app.call('backups.databases', { deployment: 'nowhere' });
    expect(unknown.ok ? null : unknown.error.code).toBe('NOT_FOUND');
  });
});

describe('a destination folder for a bundle', () => {
  const tempDir = useTempDirs();

  it('is checked for being a writable folder, its free space, and the vault disk', async () => {
    const dir = tempDir();
    const app = createApp({ vaultPath: join(dir, 'vault.rekey'), source: 'cli' });
    await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
    mkdirSync(join(dir, 'usb'));
    writeFileSync(join(dir, 'a-file'), 'x');

    const beside = await ok(app, 'backups.destination', { to: join(dir, 'usb') });
    expect(beside).toMatchObject({ directory: true, writable: true, sameDiskAsVault: true });
    expect(beside.freeBytes).toBeGreaterThan(0);
    for (const to of [join(dir, 'missing'), join(dir, 'a-file')]) {
      expect(await ok(app, 'backups.destination', { to })).toEqual({
        directory: false,
        writable: false,
        sameDiskAsVault: false,
        freeBytes: null,
      });
    }
    const relative = await app.call('backups.destination', { to: 'usb' });
    expect(relative.ok ? null : relative.error.code).toBe('INVALID_INPUT');
    // Another file system (a tmpfs here) is another disk.
    expect(await ok(app, 'backups.destination', { to: '/dev/shm' })).toMatchObject({
      directory: true,
      sameDiskAsVault: false,
    });
  });
});
