import type { ParsedInput } from '../../shared/api';
import type { ClusterFinding, ClusterScanReport } from '../../shared/cluster-api';
import { RekeyError } from '../../shared/errors';
import { KUBERNETES_TARGET, type Target } from '../../shared/model';
import {
  clusterHandling,
  secretPath,
  splitSecretPath,
  suggestedClusterName,
  systemSecretReason,
  textValue,
  workloadUses,
} from '../discovery/cluster-secrets';
import type { KubeCluster, WorkloadSecrets } from '../kube';
import { assessStrength } from '../vault/strength';
import type { Vault } from '../vault/vault';
import { type AdoptCandidate, adoptCandidates, inventoryByValue, trackingSecret } from './adoption';
import { clusterClient } from './clusters';

/**
 * Discovery in a cluster as the contract offers it: the keys of a namespace's Secrets as
 * findings (strength and fingerprint, never the value), the workloads that read them, and
 * adoption into the inventory with kubernetes targets. Values are read, compared and stored
 * in the main process only.
 */

/** The workloads of a namespace, or why they could not be listed (the scan goes on). */
async function workloadsOf(cluster: KubeCluster, namespace: string) {
  try {
    return { workloads: await cluster.workloadsUsingSecrets(namespace), error: null };
  } catch (error) {
    if (!(error instanceof RekeyError)) throw error;
    return { workloads: [] as WorkloadSecrets[], error: error.message };
  }
}

export async function scanCluster(
  vault: Vault,
  input: ParsedInput<'clusters.scan'>,
): Promise<ClusterScanReport> {
  await vault.refresh();
  const { cluster, namespace: own } = await clusterClient(vault, input.name);
  const namespace = input.namespace ?? own;
  const listed = await cluster.secretKeys(namespace);
  const { workloads, error: workloadsError } = await workloadsOf(cluster, namespace);
  const byValue = inventoryByValue(vault);
  const report: ClusterScanReport = {
    host: input.name,
    namespace,
    secrets: [],
    findings: [],
    skipped: [],
    workloadsError,
  };
  for (const secret of listed) {
    const path = secretPath(secret.namespace, secret.name);
    const systemReason = systemSecretReason(secret.type);
    if (systemReason) {
      report.skipped.push({ path, reason: systemReason });
      continue;
    }
    report.secrets.push({
      path,
      name: secret.name,
      type: secret.type,
      keys: [...secret.keys],
      owners: secret.ownerReferences.map(({ kind, name }) => ({ kind, name })),
      workloads: workloadUses(workloads, secret.name),
    });
    for (const key of secret.keys) {
      const raw = secret.value(key);
      if (raw === null || raw.length === 0) continue;
      const value = textValue(raw);
      if (value === null) {
        report.skipped.push({ path: `${path}#${key}`, reason: 'binary value (Rekey keeps text)' });
        continue;
      }
      // Values found in a cluster are secrets from now on: keep them out of every output.
      vault.redactor.add(value);
      const fingerprint = vault.fingerprint(value);
      const suggestedName = suggestedClusterName(secret.name, key);
      report.findings.push({
        path,
        key,
        format: KUBERNETES_TARGET,
        secretType: secret.type,
        service: null,
        suggestedName,
        strength: await assessStrength(value, {
          names: [suggestedName, secret.name, key, namespace],
        }),
        fingerprint,
        sameValueAs: byValue.get(fingerprint) ?? [],
        sameValueIn: [],
        trackedBy: trackingSecret(vault.state, { host: input.name, path, key }),
        workloads: workloadUses(workloads, secret.name, key),
      });
    }
  }
  linkTwins(report.findings);
  return report;
}

/** Each finding names the other keys of the scan that hold the same value. */
function linkTwins(findings: ClusterFinding[]): void {
  const byFingerprint = new Map<string, ClusterFinding[]>();
  for (const finding of findings) {
    byFingerprint.set(finding.fingerprint, [
      ...(byFingerprint.get(finding.fingerprint) ?? []),
      finding,
    ]);
  }
  for (const finding of findings) {
    finding.sameValueIn = (byFingerprint.get(finding.fingerprint) ?? [])
      .filter((other) => other !== finding)
      .map((other) => `${other.path}#${other.key}`);
  }
}

type SecretSummary = Awaited<ReturnType<KubeCluster['secretKeys']>>[number];

/** A namespace read once per adoption: its Secrets (values behind `value()`) and workloads. */
interface NamespaceView {
  secrets: Map<string, SecretSummary>;
  workloads: WorkloadSecrets[];
  workloadsError: string | null;
}

async function namespaceView(cluster: KubeCluster, namespace: string): Promise<NamespaceView> {
  const secrets = await cluster.secretKeys(namespace);
  const { workloads, error } = await workloadsOf(cluster, namespace);
  return {
    secrets: new Map(secrets.map((secret) => [secret.name, secret])),
    workloads,
    workloadsError: error,
  };
}

export async function adoptFromCluster(vault: Vault, input: ParsedInput<'clusters.adopt'>) {
  await vault.refresh();
  const { cluster } = await clusterClient(vault, input.name);
  const views = new Map<string, NamespaceView>();
  const candidates: AdoptCandidate[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const pick of input.picks) {
    const { namespace, name } = splitSecretPath(pick.path);
    let view = views.get(namespace);
    if (!view) {
      view = await namespaceView(cluster, namespace);
      views.set(namespace, view);
    }
    const ref = `${input.deployment}/${pick.name}`;
    const secret = view.secrets.get(name);
    const raw = secret?.value(pick.key) ?? null;
    if (raw === null || raw.length === 0) {
      throw new RekeyError(
        'NOT_FOUND',
        secret
          ? `Secret ${pick.path} on ${input.name} has no value at "${pick.key}" any more`
          : `Secret ${pick.path} does not exist on ${input.name} any more`,
      );
    }
    const value = textValue(raw);
    if (value === null) {
      skipped.push({ name: ref, reason: 'a binary value: Rekey keeps text values' });
      continue;
    }
    const target: Target = {
      host: input.name,
      format: KUBERNETES_TARGET,
      path: pick.path,
      key: pick.key,
    };
    const handling = clusterHandling({
      path: pick.path,
      key: pick.key,
      uses: workloadUses(view.workloads, name, pick.key),
      owners: secret?.ownerReferences ?? [],
      workloadsError: view.workloadsError,
    });
    candidates.push({
      ref,
      value,
      target,
      strength: await assessStrength(value, { names: [pick.name, name, pick.key, namespace] }),
      metadata: {
        description: `Key ${pick.key} of Kubernetes Secret ${pick.path} on cluster ${input.name}.`,
        handling,
        tags: ['kubernetes'],
      },
    });
  }
  return adoptCandidates(vault, input.deployment, candidates, skipped);
}
