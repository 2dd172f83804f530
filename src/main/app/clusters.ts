import { readFile } from 'node:fs/promises';
import type { StoredKubeconfig } from '../vault/cluster-events';
import { addCluster, findCluster, removeCluster, updateCluster } from '../vault/cluster-changes';
import { type ClusterRecord, kubeconfigCredentials } from '../vault/cluster-state';
import type { Vault } from '../vault/vault';
import { adoptFromCluster, scanCluster } from './cluster-discovery';
import type { Implementation } from './handle';
import type { AppSession } from './session';

/**
 * Kubernetes clusters as the contract offers them. The Kubernetes client is loaded only when a
 * cluster is used, so the CLI starts as fast without one.
 */

type ClusterMethodName = Extract<keyof Implementation, `clusters.${string}`>;

const kube = () => import('../kube');

async function loadKubeconfig(kubeconfig: StoredKubeconfig) {
  const { parseKubeconfig, readKubeconfigFile } = await kube();
  return kubeconfig.kind === 'path'
    ? readKubeconfigFile(kubeconfig.path)
    : parseKubeconfig(kubeconfig.text);
}

function stored(record: ClusterRecord): StoredKubeconfig {
  return record.kubeconfig.kind === 'path'
    ? record.kubeconfig
    : { kind: 'vault', text: record.kubeconfig.text.reveal() };
}

/**
 * The client of a cluster of the vault, on its context and namespace. The credentials of a
 * kubeconfig kept by path are taught to the redactor as it is read (those kept in the vault
 * it knows from the start), so that no error or history line can carry them.
 */
export async function clusterClient(vault: Vault, name: string) {
  const record = findCluster(vault.state, name);
  const { KubeCluster } = await kube();
  const source = stored(record);
  const config = await loadKubeconfig(source);
  if (source.kind === 'path') await learnCredentials(vault, source.path);
  const cluster = new KubeCluster(config, record.context);
  return { cluster, namespace: record.namespace ?? cluster.namespace };
}

async function learnCredentials(vault: Vault, path: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return; // It was read a moment ago; a file gone since has nothing left to leak.
  }
  for (const credential of kubeconfigCredentials(text)) vault.redactor.add(credential);
}

async function summary(record: ClusterRecord) {
  // The context's namespace comes from the kubeconfig; one that cannot be read says `default`.
  let contextNamespace = 'default';
  try {
    const config = await loadKubeconfig(stored(record));
    contextNamespace =
      config.contexts.find((context) => context.name === record.context)?.namespace ??
      contextNamespace;
  } catch {
    // Shown as it is stored; `clusters.test` says what is wrong with the kubeconfig.
  }
  return {
    name: record.name,
    kubeconfig:
      record.kubeconfig.kind === 'path'
        ? { kind: 'path' as const, path: record.kubeconfig.path }
        : { kind: 'vault' as const },
    context: record.context,
    namespace: record.namespace ?? contextNamespace,
    namespaceOverride: record.namespace,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** The context asked for, or the kubeconfig's current one; refused when it is not there. */
async function contextOf(kubeconfig: StoredKubeconfig, wanted: string | undefined) {
  const { selectContext } = await kube();
  return selectContext(await loadKubeconfig(kubeconfig), wanted).context.name;
}

export function clusterMethods(session: AppSession): Pick<Implementation, ClusterMethodName> {
  const unlocked = async (): Promise<Vault> => {
    const vault = session.requireVault();
    await vault.refresh();
    return vault;
  };

  return {
    'clusters.list': async () => {
      const vault = await unlocked();
      return Promise.all([...vault.state.clusters.values()].map(summary));
    },
    'clusters.contexts': async (input) => {
      const loaded = await loadKubeconfig(
        'cluster' in input
          ? stored(findCluster((await unlocked()).state, input.cluster))
          : input.kubeconfig,
      );
      return loaded.contexts.map((context) => ({ ...context }));
    },
    'clusters.add': async (input) => {
      const vault = await unlocked();
      const context = await contextOf(input.kubeconfig, input.context);
      const record = await vault.transact((t) =>
        addCluster(t, {
          name: input.name,
          kubeconfig: input.kubeconfig,
          context,
          namespace: input.namespace,
        }),
      );
      return summary(record);
    },
    'clusters.update': async ({ name, ...changes }) => {
      const vault = await unlocked();
      const current = findCluster(vault.state, name);
      const kubeconfig = changes.kubeconfig ?? stored(current);
      // A new kubeconfig or context must hold the context the cluster will use.
      const context =
        changes.kubeconfig !== undefined || changes.context !== undefined
          ? await contextOf(kubeconfig, changes.context ?? current.context)
          : undefined;
      const record = await vault.transact((t) =>
        updateCluster(t, name, {
          ...(changes.kubeconfig !== undefined ? { kubeconfig: changes.kubeconfig } : {}),
          ...(context !== undefined && context !== current.context ? { context } : {}),
          ...(changes.namespace !== undefined ? { namespace: changes.namespace } : {}),
        }),
      );
      return summary(record);
    },
    'clusters.remove': async ({ name }) => {
      const vault = await unlocked();
      await vault.transact((t) => removeCluster(t, name));
      return {};
    },
    'clusters.scan': async (input) => scanCluster(session.requireVault(), input),
    'clusters.adopt': async (input) => adoptFromCluster(session.requireVault(), input),
    'clusters.test': async ({ name }) => {
      const vault = await unlocked();
      const { cluster, namespace } = await clusterClient(vault, name);
      const secrets = await cluster.secretKeys(namespace);
      return { name, server: cluster.server, namespace, secrets: secrets.length };
    },
  };
}
