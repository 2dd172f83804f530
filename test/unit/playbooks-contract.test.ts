import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RekeyApp, createApp } from '../../src/main/app';
import { knownSecretFor, knownSecrets } from '../../src/main/discovery/known-secrets';
import { BUILTIN_PLAYBOOK_FILES, builtinPlaybook } from '../../src/main/rotation/builtin-playbooks';
import type { Playbook } from '../../src/main/rotation/playbook';
import { resolveVariables } from '../../src/main/rotation/playbook-variables';
import { expandTemplate } from '../../src/main/rotation/templates';
import { ok } from '../helpers/app';
import { useTempDirs } from '../helpers/temp';

describe('playbooks in the contract', () => {
  const tempDir = useTempDirs();

  /** No vault is created: playbooks hold no values and need none. */
  function appWithoutVault(): RekeyApp {
    return createApp({ vaultPath: join(tempDir(), 'vault.rekey'), source: 'desktop' });
  }

  it('lists the built-in playbooks with their secrets and guarded flags, without a vault', async () => {
    const list = await ok(appWithoutVault(), 'playbooks.list', {});
    expect(list.map((playbook) => playbook.id)).toEqual([
      'synctv',
      'synctv-kubernetes',
      'livekit',
      'livekit-kubernetes',
      'synapse',
      'synapse-kubernetes',
      'postgresql',
      'redis',
      'generic-file',
    ]);
    const synctv = list.find((playbook) => playbook.id === 'synctv');
    expect(synctv).toMatchObject({ name: 'SyncTV', service: 'synctv', source: 'builtin' });
    expect(synctv?.secrets).toContainEqual({
      name: 'security.opaque_server_setup_secret',
      difficulty: 'high',
      guarded: true,
    });
    expect(synctv?.secrets).toContainEqual({
      name: 'jwt.secret',
      difficulty: 'medium',
      guarded: false,
    });
  });

  it('gives a playbook in the JSON shape the wizard reads, placeholders as written', async () => {
    const detail = await ok(appWithoutVault(), 'playbooks.get', { id: 'livekit' });
    expect(JSON.parse(JSON.stringify(detail))).toEqual(detail);
    expect(detail.variables).toContainEqual({
      name: 'api_key',
      description: expect.stringContaining('API key'),
      default: null,
    });
    const [secret] = detail.secrets;
    expect(secret?.targets).toEqual([
      {
        id: 'livekit-config',
        service: 'livekit',
        format: 'yaml',
        path: '${livekit_dir}/livekit.yaml',
        key: 'keys.${api_key}',
      },
      {
        id: 'compose-env',
        service: 'lk-jwt-service',
        format: 'dotenv',
        path: '${compose_dir}/.env',
        key: 'LIVEKIT_SECRET',
      },
    ]);
    expect(secret?.steps.map((step) => step.kind)).toEqual([
      'generate',
      'write',
      'restart',
      'verify',
      'verify',
      'confirm',
    ]);
    expect(secret?.steps[2]).toMatchObject({
      title: 'Restart LiveKit, then lk-jwt-service',
      detail: expect.stringMatching(/\$\{livekit_service\}; then .*\$\{jwt_service\}$/),
    });
    const key = (await ok(appWithoutVault(), 'playbooks.get', { id: 'synctv' })).secrets.find(
      (candidate) => candidate.name === 'security.credential_encryption_key',
    );
    expect(key).toMatchObject({ guarded: true, guardReason: expect.stringMatching(/migration/) });
    // Environment variables are named in a step's detail, never shown with their content.
    const migrate = key?.steps.find((step) => step.kind === 'migrate');
    expect(migrate?.detail).toBe('${migrate_command}; env OLD_KEY, NEW_KEY');
  });

  it('answers NOT_FOUND for an unknown playbook', async () => {
    const result = await appWithoutVault().call('playbooks.get', { id: 'nextcloud' });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('validates a playbook text: a summary when valid, every problem when not', async () => {
    const app = appWithoutVault();
    const text = BUILTIN_PLAYBOOK_FILES['redis.yaml'] ?? '';
    expect(await ok(app, 'playbooks.validate', { text, fileName: 'redis.yaml' })).toEqual({
      valid: true,
      playbook: expect.objectContaining({ id: 'redis', source: 'file' }),
    });
    const broken = text.replace(
      '      - kind: generate\n',
      '      - kind: generate\n        argv: [x]\n',
    );
    const line = broken.split('\n').indexOf('        argv: [x]') + 1;
    const result = await ok(app, 'playbooks.validate', { text: broken, fileName: 'mine.yaml' });
    expect(result).toEqual({
      valid: false,
      problems: [
        {
          line,
          path: 'secrets[0].steps[0].argv',
          message: 'unknown field',
          text: `mine.yaml:${line}: secrets[0].steps[0].argv: unknown field`,
        },
      ],
    });
  });
});

describe('discovery knows what the playbooks say', () => {
  it('recognises every fixed file and key of a built-in playbook, with its metadata', () => {
    const jwt = knownSecretFor('config.yml', 'jwt.secret');
    const playbook = builtinPlaybook('synctv') as Playbook;
    const secret = playbook.secrets.find((candidate) => candidate.name === 'jwt.secret');
    expect(jwt).toMatchObject({ service: 'synctv', name: 'jwt.secret', format: 'yaml' });
    expect(jwt?.metadata).toEqual({
      service: 'synctv',
      description: secret?.description,
      impact: secret?.impact,
      difficulty: 'medium',
      handling: secret?.handling,
      policy: { kind: 'interval', days: 180 },
      generator: { kind: 'base64', length: 32 },
      tags: ['auth'],
    });
    expect(knownSecretFor('config.yaml', 'cluster.secret')?.name).toBe('server.cluster_secret');
    expect(knownSecretFor('livekit.yaml', 'keys.APIq7CmhW4RfKzN')).toMatchObject({
      service: 'livekit',
      name: 'api.secret',
    });
    expect(knownSecretFor('.env', 'LIVEKIT_SECRET')).toMatchObject({
      service: 'lk-jwt-service',
      name: 'api.secret',
      metadata: { service: 'livekit' },
    });
    expect(knownSecretFor('homeserver.yaml', 'database.args.password')?.name).toBe(
      'database.password',
    );
    expect(knownSecretFor('database_password', '')?.service).toBe('synctv');
  });

  it('leaves out targets whose file or key is only a variable', () => {
    // postgresql.yaml writes `${env_key}` of a .env: that would claim every variable of every .env.
    expect(knownSecretFor('.env', 'POSTGRES_PASSWORD')).toBeUndefined();
    expect(knownSecretFor('.env', 'REDIS_PASSWORD')).toBeUndefined();
    expect(knownSecretFor('livekit.yaml', 'keys')).toBeUndefined();
    expect(knownSecrets().some((known) => known.name === 'signing_key')).toBe(false);
    expect(knownSecrets().some((known) => known.name === 'app.secret')).toBe(false);
  });
});

describe('variables', () => {
  const livekit = builtinPlaybook('livekit') as Playbook;

  it('resolve from the deployment, else the defaults; a missing or unknown one is named', () => {
    const values = resolveVariables(livekit, { api_key: 'APIq7CmhW4RfKzN', compose_dir: '/opt/m' });
    expect(values.get('compose_dir')).toBe('/opt/m');
    expect(values.get('livekit_service')).toBe('livekit');
    expect(expandTemplate('${compose_dir}/.env', { variables: values })).toBe('/opt/m/.env');
    expect(expandTemplate('keys.${api_key}', { variables: values })).toBe('keys.APIq7CmhW4RfKzN');
    expect(() => resolveVariables(livekit, {})).toThrow(
      'Playbook livekit needs a value for api_key (no default)',
    );
    expect(() => resolveVariables(livekit, { api_key: 'A', compose_dirr: '/x' })).toThrow(
      /has no variable compose_dirr/,
    );
  });

  it('expand once, with $${ for a literal ${ and a clear error for an undefined name', () => {
    const variables = new Map([['dir', '/srv/${not_expanded}']]);
    expect(expandTemplate('$${HOME} ${dir}', { variables })).toBe('${HOME} /srv/${not_expanded}');
    expect(() => expandTemplate('${nope}/x', { variables })).toThrow(
      'undefined variable ${nope}; declare it under variables',
    );
    expect(
      expandTemplate('Bearer ${secret.pending}', { variables, secret: { pending: 'new' } }),
    ).toBe('Bearer new');
    expect(() => expandTemplate('${secret.pending}', { variables })).toThrow(/not available/);
  });
});
