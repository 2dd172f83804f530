import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type RekeyApp, createApp } from '../../src/main/app';
import { ok } from '../helpers/app';
import { useTempDirs } from '../helpers/temp';
import { FAST_KDF, PASSWORD } from '../helpers/vault';

const FIXTURES = fileURLToPath(new URL('../fixtures/formats/', import.meta.url));
const JWT = 'RfTrUfAdqr7OrWeBjZ2+N3jo2ujYy99gsB/KfGN/SEA=';

describe('discovery on this machine', () => {
  const tempDir = useTempDirs();

  async function stack(): Promise<{ app: RekeyApp; srv: string }> {
    const dir = tempDir();
    const srv = join(dir, 'srv');
    mkdirSync(join(srv, 'matrix'), { recursive: true });
    mkdirSync(join(srv, 'app'), { recursive: true });
    cpSync(join(FIXTURES, 'synctv'), join(srv, 'synctv'), { recursive: true });
    cpSync(join(FIXTURES, 'compose', '.env'), join(srv, 'matrix', '.env'));
    writeFileSync(join(srv, 'app', 'config.yaml'), 'api_token: changeme\nport: 8080\n');
    writeFileSync(
      join(srv, 'matrix', 'compose.yaml'),
      'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: synapse\n      POSTGRES_PASSWORD: Qm9vdHN0cmFwLXBhc3N3b3JkLTAx\n',
    );
    const app = createApp({ vaultPath: join(dir, 'vault.rekey'), source: 'desktop' });
    await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
    return { app, srv };
  }

  it('reports secrets with service, strength and fingerprint, never a value', async () => {
    const { app, srv } = await stack();
    const report = await ok(app, 'hosts.scan', { name: 'local', directories: [srv] });
    expect(report.filesRead).toBe(4);
    const byKey = new Map(report.findings.map((f) => [`${f.path.slice(srv.length)}#${f.key}`, f]));
    expect(byKey.get('/synctv/config.yaml#jwt.secret')).toMatchObject({
      service: 'synctv',
      suggestedName: 'jwt.secret',
      line: 13,
    });
    expect(byKey.get('/synctv/config.yaml#security.opaque_server_setup_secret')?.service).toBe(
      'synctv',
    );
    expect(byKey.get('/matrix/.env#LIVEKIT_SECRET')?.service).toBe('lk-jwt-service');
    expect(byKey.has('/matrix/.env#LIVEKIT_KEY')).toBe(false);
    expect(byKey.has('/matrix/.env#COMPOSE_PROJECT_NAME')).toBe(false);
    expect(byKey.get('/app/config.yaml#api_token')?.strength.rating).toBe('weak');
    expect(
      byKey.get('/matrix/compose.yaml#services.db.environment.POSTGRES_PASSWORD'),
    ).toMatchObject({
      service: null,
      suggestedName: 'db.POSTGRES_PASSWORD',
    });
    expect(byKey.has('/matrix/compose.yaml#services.db.environment.POSTGRES_USER')).toBe(false);

    const output = JSON.stringify(report);
    for (const file of [join(srv, 'synctv', 'config.yaml'), join(srv, 'matrix', '.env')]) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const value = /(?:secret|password|token|key)\s*[:=]\s*["']?([A-Za-z0-9+/=]{24,})/i.exec(
          line,
        )?.[1];
        if (value) expect(output).not.toContain(value);
      }
    }
    expect(output).not.toContain(JWT);
  });

  it('adopts a finding with its target and metadata, and knows it on the next scan', async () => {
    const { app, srv } = await stack();
    const config = join(srv, 'synctv', 'config.yaml');
    const adopted = await ok(app, 'hosts.adopt', {
      name: 'local',
      deployment: 'tv',
      picks: [{ path: config, format: 'yaml', key: 'jwt.secret', name: 'jwt.secret' }],
    });
    expect(adopted).toEqual({ added: ['tv/jwt.secret'], targetAdded: [], skipped: [] });
    const secret = await ok(app, 'secrets.get', { ref: 'tv/jwt.secret' });
    expect(secret.metadata).toMatchObject({
      service: 'synctv',
      difficulty: 'medium',
      targets: [{ host: 'local', path: config, format: 'yaml', key: 'jwt.secret' }],
    });
    expect((await ok(app, 'secrets.reveal', { ref: 'tv/jwt.secret' })).value).toBe(JWT);

    const again = await ok(app, 'hosts.scan', { name: 'local', directories: [srv] });
    const find = (suffix: string, key: string) =>
      again.findings.find((f) => f.path.endsWith(suffix) && f.key === key);
    expect(find('config.yaml', 'jwt.secret')?.trackedBy).toBe('tv/jwt.secret');
    // The same value copied into the compose .env: found as a second place of the same secret.
    expect(find('.env', 'SYNCTV_JWT_SECRET')?.sameValueAs).toEqual(['tv/jwt.secret']);
  });

  it('refuses relative directories and unknown hosts clearly', async () => {
    const { app } = await stack();
    const relative = await app.call('hosts.scan', { name: 'local', directories: ['srv'] });
    expect(relative).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const unknown = await app.call('hosts.scan', { name: 'nowhere', directories: ['/srv'] });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
