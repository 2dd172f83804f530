import { z } from 'zod';
import { hostNameSchema } from './model';

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

export const clusterMethods = {
  list: z.strictObject({}),
  contexts: z.strictObject({ kubeconfig: kubeconfigInputSchema }),
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
};
