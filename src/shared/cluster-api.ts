import { z } from 'zod';
import { deploymentNameSchema, hostNameSchema } from './model';
import { adoptResultSchema, findingBaseSchema, pickBaseSchema, scanSkipSchema } from './scan-api';

/**
 * The Kubernetes part of the contract: clusters as hosts (a context of a kubeconfig), their
 * contexts, a connection test. A kubeconfig kept in the vault goes in and never comes back out.
 */

const namespaceSchema = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a Kubernetes namespace name');

const localPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((path) => path.startsWith('/'), 'expected an absolute path');

/** Where the kubeconfig is: a file on this machine, or its text to keep in the vault. */
export const kubeconfigInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('path'), path: localPath }),
  z.strictObject({ kind: z.literal('vault'), text: z.string().min(1).max(1_000_000) }),
]);

export const kubeContextSchema = z.strictObject({
  name: z.string(),
  cluster: z.string(),
  server: z.string().nullable(),
  user: z.string().nullable(),
  namespace: z.string(),
  current: z.boolean(),
});

export const clusterSummarySchema = z.strictObject({
  name: z.string(),
  kubeconfig: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('path'), path: z.string() }),
    z.strictObject({ kind: z.literal('vault') }),
  ]),
  context: z.string(),
  /** The namespace Rekey uses: the cluster's own setting, else the context's, else default. */
  namespace: z.string(),
  namespaceOverride: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ClusterSummary = z.infer<typeof clusterSummarySchema>;

export const clusterTestSchema = z.strictObject({
  name: z.string(),
  server: z.string(),
  namespace: z.string(),
  /** Secrets the credentials may list in the namespace (proves reach, login and RBAC). */
  secrets: z.number(),
});

/** `namespace/name` of a Secret: how a kubernetes target's path names it. */
export const secretPathSchema = z
  .string()
  .max(64 + 253)
  .regex(
    /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\/[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/,
    'expected a Secret as namespace/name, e.g. apps/db-credentials',
  );

export const WORKLOAD_KIND_NAMES = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;

/** A workload whose pods read a Secret (or one of its keys), and how. */
export const workloadUseSchema = z.strictObject({
  kind: z.enum(WORKLOAD_KIND_NAMES),
  name: z.string(),
  via: z.array(z.enum(['env', 'envFrom', 'volume'])),
});
export type WorkloadUse = z.infer<typeof workloadUseSchema>;

/** One Secret of the namespace as listed: names, type, owners and who reads it; no value. */
export const clusterSecretSchema = z.strictObject({
  path: z.string(),
  name: z.string(),
  type: z.string(),
  keys: z.array(z.string()),
  owners: z.array(z.strictObject({ kind: z.string(), name: z.string() })),
  workloads: z.array(workloadUseSchema),
});
export type ClusterSecret = z.infer<typeof clusterSecretSchema>;

/** One key of a Secret: `path` is `namespace/name`. */
export const clusterFindingSchema = findingBaseSchema.extend({
  format: z.literal('kubernetes'),
  secretType: z.string(),
  /** Other keys of this scan with the same value, as `namespace/name#key`. */
  sameValueIn: z.array(z.string()),
  /** The workloads that read this key: the ones to restart after it changed. */
  workloads: z.array(workloadUseSchema),
});
export type ClusterFinding = z.infer<typeof clusterFindingSchema>;

export const clusterScanReportSchema = z.strictObject({
  host: z.string(),
  namespace: z.string(),
  secrets: z.array(clusterSecretSchema),
  findings: z.array(clusterFindingSchema),
  /** Secrets left out (service-account tokens, Helm releases) and keys not read, with why. */
  skipped: z.array(scanSkipSchema),
  /** Why the workloads could not be listed (RBAC), or null when they were. */
  workloadsError: z.string().nullable(),
});
export type ClusterScanReport = z.infer<typeof clusterScanReportSchema>;

export const clusterAdoptPickSchema = pickBaseSchema.extend({ path: secretPathSchema });

export const clusterAdoptResultSchema = adoptResultSchema;

export const clusterMethods = {
  list: z.strictObject({}),
  /** The contexts of a kubeconfig given, or of the one a cluster of the vault has. */
  contexts: z.union([
    z.strictObject({ kubeconfig: kubeconfigInputSchema }),
    z.strictObject({ cluster: hostNameSchema }),
  ]),
  add: z.strictObject({
    name: hostNameSchema,
    kubeconfig: kubeconfigInputSchema,
    /** The context to use; the kubeconfig's current context when absent. */
    context: z.string().min(1).max(253).optional(),
    namespace: namespaceSchema.nullable().default(null),
  }),
  update: z.strictObject({
    name: hostNameSchema,
    kubeconfig: kubeconfigInputSchema.optional(),
    context: z.string().min(1).max(253).optional(),
    namespace: namespaceSchema.nullable().optional(),
  }),
  remove: z.strictObject({ name: hostNameSchema }),
  test: z.strictObject({ name: hostNameSchema }),
  scan: z.strictObject({ name: hostNameSchema, namespace: namespaceSchema.optional() }),
  adopt: z.strictObject({
    name: hostNameSchema,
    deployment: deploymentNameSchema,
    picks: z.array(clusterAdoptPickSchema).min(1).max(500),
  }),
};
