/**
 * The Kubernetes connector: kubeconfigs and contexts, Secret key references, and a cluster
 * client (Secrets, rollbacks, rollouts, which workloads read which Secret).
 */
export { KubeCluster, type KubeClusterOptions } from './kube-client';
export {
  type KubeContextSummary,
  type Kubeconfig,
  type SelectedContext,
  parseKubeconfig,
  readKubeconfigFile,
  selectContext,
} from './kube-config';
export { RESTARTED_AT, type RolloutProgress, type RolloutWaitOptions } from './rollout';
export { type RolloutState, type WorkloadKind, WORKLOAD_KINDS } from './rollout-status';
export type {
  KubeOwnerReference,
  KubeSecretContent,
  KubeSecretSummary,
  KubeWriteResult,
  SecretSnapshot,
} from './secret-data';
export {
  type KubeSecretKeyRef,
  formatSecretKeyRef,
  namespaceProblem,
  parseSecretKeyRef,
  secretKeyProblem,
  secretNameProblem,
} from './secret-ref';
export type { SecretWriteOptions } from './secret-writes';
export { type SecretReference, type WorkloadSecrets, usesSecret } from './workload-secrets';
