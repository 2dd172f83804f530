import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/shared/errors';
import { useKubeApiServer } from '../helpers/kube-apiserver';
import { type CliRun, initCliVault } from '../helpers/rekey-cli';
import { useTempDirs } from '../helpers/temp';

/**
 * `rekey cluster` through the built CLI against the Kubernetes stand-in (test/helpers): a
 * kubeconfig's contexts, clusters added by path and kept in the vault, a connection test that
 * proves reach, login and RBAC (and says which failed), names shared with hosts, and removal
 * refused while a deployment runs there. The kept kubeconfig's token never shows.
 */

const server = useKubeApiServer();
const tempDir = useTempDirs();
const OPS_TOKEN = 'ops-token-7f3a9c2e51b84d06a1c3';
const EXPIRED_TOKEN = 'expired-token-2b9e4f7a0c6d';

function ok(run: CliRun): CliRun {
  if (run.code !== 0) throw new Error(`exit ${run.code}: ${run.stderr}\n${run.stdout}`);
  return run;
}

describe('rekey cluster', () => {
  it('adds clusters from a kubeconfig, tests them, and keeps their names apart from hosts', async () => {
    const api = server();
    api.addToken(OPS_TOKEN, {
      user: 'ops',
      rules: [{ verbs: ['get', 'list', 'watch'], resources: ['secrets'], namespaces: ['apps'] }],
    });
    api.addToken(EXPIRED_TOKEN, { user: 'old', rules: [], expired: true });
    for (const name of ['db', 'api']) {
      api.put({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace: 'apps' },
        type: 'Opaque',
        data: { password: Buffer.from(`${name}-value-0123456789`).toString('base64') },
      });
    }
    const dir = tempDir();
    const kubeconfig = api.writeKubeconfig(dir, [
      { context: 'k3s-ops', token: OPS_TOKEN, namespace: 'apps' },
      { context: 'k3s-old', token: EXPIRED_TOKEN, namespace: 'apps' },
    ]);
    const vault = await initCliVault(dir);
    const runs: CliRun[] = [];
    const rekey = async (args: readonly string[]) => {
      const run = await vault.rekey(args, { timeoutMs: 60_000 });
      runs.push(run);
      return run;
    };

    const contexts = ok(await rekey(['cluster', 'contexts', '--kubeconfig', kubeconfig]));
    expect(contexts.stdout).toMatch(/\*\s+k3s-ops\s+https:\/\/127\.0\.0\.1:\d+\s+ops\s+apps/);
    expect(contexts.stdout).toContain('k3s-old');

    ok(await rekey(['cluster', 'add', 'k3s', '--kubeconfig', kubeconfig]));
    ok(
      await rekey([
        'cluster',
        'add',
        'k3s-kept',
        '--keep-kubeconfig',
        kubeconfig,
        '--context',
        'k3s-old',
      ]),
    );
    const missing = await rekey([
      'cluster',
      'add',
      'k3s-typo',
      '--kubeconfig',
      kubeconfig,
      '--context',
      'k3s-nope',
    ]);
    expect(missing.code).toBe(EXIT_CODES.NOT_FOUND);
    expect(missing.stderr).toContain('k3s-ops');
    const listed = JSON.parse(ok(await rekey(['cluster', 'list', '--json'])).stdout);
    expect(listed).toEqual([
      expect.objectContaining({ name: 'k3s', context: 'k3s-ops', namespace: 'apps' }),
      expect.objectContaining({
        name: 'k3s-kept',
        context: 'k3s-old',
        kubeconfig: { kind: 'vault' },
      }),
    ]);

    const tested = ok(await rekey(['cluster', 'test', 'k3s']));
    expect(tested.stdout).toMatch(
      /^OK: https:\/\/127\.0\.0\.1:\d+, namespace apps: 2 Secrets readable/,
    );
    const refused = await rekey(['cluster', 'test', 'k3s-kept']);
    expect(refused.code).toBe(EXIT_CODES.AUTH_FAILED);
    expect(refused.stderr).toMatch(/credentials of context k3s-old were refused \(401\)/);

    // A cluster's name is a host name: taken, and usable by a deployment.
    const clash = await rekey([
      'host',
      'add',
      'k3s',
      '--address',
      '10.0.0.5',
      '--user',
      'ops',
      '--agent',
    ]);
    expect(clash.code).not.toBe(0);
    expect(clash.stderr).toContain('already exists');
    ok(await rekey(['secret', 'add', 'shop/db.password', '--generate']));
    ok(await rekey(['deployment', 'hosts', 'shop', 'k3s']));
    const busy = await rekey(['cluster', 'rm', 'k3s']);
    expect(busy.code).not.toBe(0);
    expect(busy.stderr).toContain('still used by deployment shop');
    ok(await rekey(['deployment', 'hosts', 'shop']));
    ok(await rekey(['cluster', 'rm', 'k3s']));

    ok(await rekey(['history']));
    for (const run of runs) {
      for (const token of [OPS_TOKEN, EXPIRED_TOKEN]) {
        expect(run.stdout).not.toContain(token);
        expect(run.stderr).not.toContain(token);
      }
    }
    expect(readFileSync(vault.vaultPath).includes(Buffer.from(EXPIRED_TOKEN))).toBe(false);
  }, 120_000);
});
