import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterClient } from '../../src/main/app/clusters';
import { verifyHistory } from '../../src/main/history/verify';
import { ensureDeployment } from '../../src/main/vault/changes';
import { addCluster, removeCluster, updateCluster } from '../../src/main/vault/cluster-changes';
import { kubeconfigCredentials } from '../../src/main/vault/cluster-state';
import { addHost, setDeploymentHosts } from '../../src/main/vault/host-changes';
import type { Vault } from '../../src/main/vault/vault';
import { useTempDirs } from '../helpers/temp';
import { createVault, openVault } from '../helpers/vault';

/**
 * Kubernetes clusters in the vault: a context of a kubeconfig kept by path or in the vault
 * (then its credentials are secret values the redactor knows), named like hosts, removable only
 * when nothing names them, and carried through compaction.
 */

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.cluster-admin-token-0123456789abcdef';
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - name: k3s
    cluster: { server: 'https://10.0.0.5:6443' }
users:
  - name: admin
    user: { token: '${TOKEN}' }
contexts:
  - name: k3s-admin
    context: { cluster: k3s, user: admin, namespace: apps }
current-context: k3s-admin
`;

const verify = (vault: Vault) =>
  verifyHistory(vault.vaultIdBytes, vault.eventBlocks, vault.state, vault.recordCount);

describe('Kubernetes clusters in the vault', () => {
  const tempDir = useTempDirs();

  it('adds, changes and removes a cluster; its name is a host name', async () => {
    const vault = await createVault(tempDir(), { autoCompactAfter: Number.POSITIVE_INFINITY });
    await vault.transact((t) =>
      addCluster(t, {
        name: 'k3s',
        kubeconfig: { kind: 'path', path: '/home/ops/.kube/config' },
        context: 'k3s-admin',
        namespace: null,
      }),
    );
    expect(vault.state.clusters.get('k3s')).toMatchObject({
      context: 'k3s-admin',
      namespace: null,
    });
    await expect(
      vault.transact((t) =>
        addHost(
          t,
          'k3s',
          { address: '10.0.0.5', port: 22, user: 'ops', jump: null },
          { kind: 'agent' },
        ),
      ),
    ).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await expect(
      vault.transact((t) =>
        addCluster(t, {
          name: 'local',
          kubeconfig: { kind: 'path', path: '/x' },
          context: 'c',
          namespace: null,
        }),
      ),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });

    await vault.transact((t) => updateCluster(t, 'k3s', { namespace: 'prod' }));
    expect(vault.state.clusters.get('k3s')?.namespace).toBe('prod');

    // A deployment runs on it: it cannot go until the deployment stops naming it.
    await vault.transact((t) => {
      ensureDeployment(t, 'shop');
      setDeploymentHosts(t, 'shop', ['k3s']);
    });
    await expect(vault.transact((t) => removeCluster(t, 'k3s'))).rejects.toMatchObject({
      message: expect.stringMatching(/still used by deployment shop/),
    });
    await vault.transact((t) => setDeploymentHosts(t, 'shop', []));
    await vault.transact((t) => removeCluster(t, 'k3s'));
    expect(vault.state.clusters.size).toBe(0);
    expect(verify(vault).ok).toBe(true);
  });

  it('keeps a kubeconfig in the vault as a secret: redacted, encrypted, through compaction', async () => {
    const dir = tempDir();
    const vault = await createVault(dir);
    expect(kubeconfigCredentials(KUBECONFIG)).toEqual([TOKEN]);
    await vault.transact((t) =>
      addCluster(t, {
        name: 'k3s',
        kubeconfig: { kind: 'vault', text: KUBECONFIG },
        context: 'k3s-admin',
        namespace: null,
      }),
    );
    expect(vault.redactor.redact(`token ${TOKEN} leaked`)).not.toContain(TOKEN);
    await vault.compact();
    const reopened = await openVault(vault.path);
    const cluster = reopened.state.clusters.get('k3s');
    expect(cluster?.kubeconfig.kind === 'vault' ? cluster.kubeconfig.text.reveal() : null).toBe(
      KUBECONFIG,
    );
    expect(reopened.redactor.redact(TOKEN)).not.toContain(TOKEN);
    expect(verify(reopened).ok).toBe(true);
    expect(readFileSync(vault.path).includes(Buffer.from(TOKEN))).toBe(false);
  });

  it('teaches the redactor the credentials of a kubeconfig kept by path once it is used', async () => {
    const dir = tempDir();
    const path = join(dir, 'kubeconfig');
    writeFileSync(path, KUBECONFIG, { mode: 0o600 });
    const vault = await createVault(dir);
    await vault.transact((t) =>
      addCluster(t, {
        name: 'k3s',
        kubeconfig: { kind: 'path', path },
        context: 'k3s-admin',
        namespace: null,
      }),
    );
    // The vault never read the file: the token is not known yet.
    expect(vault.redactor.redact(TOKEN)).toBe(TOKEN);
    const { namespace } = await clusterClient(vault, 'k3s');
    expect(namespace).toBe('apps');
    expect(vault.redactor.redact(`token ${TOKEN} leaked`)).toMatch(
      /^token \[redacted fp:[0-9a-f]{12}\] leaked$/,
    );
  });
});
