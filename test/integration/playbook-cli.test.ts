import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CliRun, runRekey } from '../helpers/rekey-cli';
import { useTempDirs } from '../helpers/temp';

const BUILTIN = fileURLToPath(new URL('../../resources/playbooks/', import.meta.url));

/** A playbook with three mistakes at known lines. */
const BROKEN = `id: my-app
name: My app
service: my-app
description: The API token of my app.
variables:
  compose_dir:
    description: The compose project.
    default: /srv/my-app
secrets:
  - name: api.token
    description: Signs API tokens.
    impact: API clients log in again.
    difficulty: low
    handling: Restart after the change.
    policy: { kind: interval, days: 90 }
    generator: { kind: hex, length: 32 }
    targets:
      - id: env
        format: dotenv
        path: \${compose_dir}/.env
        key: API_TOKEN
    steps:
      - kind: generate
      - kind: write
        targets: [env]
      - kind: exec
        argv: [my-app, set-token, '\${secret.pending}']
      - kind: reboot
      - kind: verify
        check: { type: http, url: '\${health_url}' }
`;

describe('rekey playbook', () => {
  const tempDir = useTempDirs();

  /** Playbooks need no vault: the commands must not create one either. */
  async function rekey(args: readonly string[]): Promise<CliRun & { vaultCreated: boolean }> {
    const vaultPath = join(tempDir(), 'vault.rekey');
    const run = await runRekey(['--vault', vaultPath, ...args]);
    return { ...run, vaultCreated: existsSync(vaultPath) };
  }

  it('lists the built-in playbooks, one row per secret, guarded ones marked', async () => {
    const run = await rekey(['playbook', 'list']);
    expect(run).toMatchObject({ code: 0, stderr: '', vaultCreated: false });
    const rows = run.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^PLAYBOOK\s+SERVICE\s+SECRET\s+DIFFICULTY\s+ROTATION$/);
    const row = (playbook: string, secret: string) =>
      rows.find((line) => line.startsWith(`${playbook} `) && line.includes(` ${secret} `));
    expect(row('synctv', 'jwt.secret')).toMatch(/medium\s+routine$/);
    expect(row('synctv', 'security.credential_encryption_key')).toMatch(/high\s+guarded$/);
    expect(row('synctv', 'security.opaque_server_setup_secret')).toMatch(/guarded$/);
    expect(row('synctv-kubernetes', 'jwt.secret')).toMatch(/medium\s+routine$/);
    expect(row('livekit', 'api.secret')).toMatch(/medium\s+routine$/);
    expect(row('synapse', 'signing_key')).toMatch(/guarded$/);
    for (const id of ['postgresql', 'redis', 'generic-file']) {
      expect(rows.some((line) => line.startsWith(`${id} `))).toBe(true);
    }

    const json = JSON.parse((await rekey(['playbook', 'list', '--json'])).stdout) as {
      id: string;
      secrets: { name: string; guarded: boolean }[];
    }[];
    expect(json.map((playbook) => playbook.id)).toEqual([
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
  });

  it('shows a playbook as JSON and as text', async () => {
    const run = await rekey(['playbook', 'show', 'livekit', '--json']);
    expect(run).toMatchObject({ code: 0, vaultCreated: false });
    const detail = JSON.parse(run.stdout) as {
      id: string;
      variables: { name: string; default: string | null }[];
      secrets: {
        name: string;
        guarded: boolean;
        generator: { kind: string; length: number };
        targets: { id: string; service: string; path: string; key: string }[];
        checklist: { id: string }[];
        steps: { kind: string; title: string }[];
      }[];
    };
    expect(detail.id).toBe('livekit');
    expect(detail.variables).toContainEqual(
      expect.objectContaining({ name: 'api_key', default: null }),
    );
    const [secret] = detail.secrets;
    expect(secret).toMatchObject({
      name: 'api.secret',
      guarded: false,
      generator: { kind: 'hex', length: 32 },
    });
    expect(secret?.targets.map((target) => [target.service, target.path, target.key])).toEqual([
      ['livekit', '${livekit_dir}/livekit.yaml', 'keys.${api_key}'],
      ['lk-jwt-service', '${compose_dir}/.env', 'LIVEKIT_SECRET'],
    ]);
    expect(secret?.checklist.map((item) => item.id)).toContain('no-calls');
    expect(secret?.steps.map((step) => step.kind)).toEqual([
      'generate',
      'write',
      'restart',
      'verify',
      'verify',
      'confirm',
    ]);

    const text = await rekey(['playbook', 'show', 'synctv']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('synctv: SyncTV (service synctv, built-in)');
    expect(text.stdout).toMatch(/security\.credential_encryption_key {2}\[high; do not rotate/);
    expect(text.stdout).toMatch(/GUARDED: +Provider credentials in the database are encrypted/);
    expect(text.stdout).toContain('migrate_command = (required)');
    expect(text.stdout).toContain(
      '3. migrate: Re-encrypt the data from the old value to the new one',
    );
  });

  it('refuses an unknown playbook with exit code 9', async () => {
    const run = await rekey(['playbook', 'show', 'nextcloud']);
    expect(run.code).toBe(9);
    expect(run.stderr).toMatch(/^rekey: No playbook "nextcloud"; the playbooks are synctv,/);
  });

  it('validates a good file with exit 0', async () => {
    const file = join(tempDir(), 'synctv.yaml');
    writeFileSync(file, readFileSync(join(BUILTIN, 'synctv.yaml')));
    const run = await rekey(['playbook', 'validate', file]);
    expect(run).toMatchObject({
      code: 0,
      stdout: `${file}: valid (playbook synctv, 8 secrets)\n`,
      stderr: '',
    });
  });

  it('validates a bad file with exit 2 and one line per problem: file, line, field, message', async () => {
    const file = join(tempDir(), 'my-app.yaml');
    writeFileSync(file, BROKEN);
    const run = await rekey(['playbook', 'validate', file]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `${file}:27: secrets[0].steps[2].argv[2]: secret values must not be in argv; use stdin or env`,
      `${file}:28: secrets[0].steps[3].kind: unknown step kind; expected one of generate, write, exec, sql, redis, restart, verify, watch, confirm, migrate`,
      `${file}:30: secrets[0].steps[4].check.url: undefined variable \${health_url}; declare it under variables`,
      `rekey: ${file}: 3 problems; the playbook is not valid`,
    ]);
  });

  it('says so when the file cannot be read', async () => {
    const file = join(tempDir(), 'missing.yaml');
    const run = await rekey(['playbook', 'validate', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^rekey: Cannot read ${file}: ENOENT`));
  });
});
