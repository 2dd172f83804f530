import { z } from 'zod';
import { hostNameSchema } from '../../shared/model';

/**
 * Kubernetes clusters as hosts: a context of a kubeconfig. The kubeconfig is a file on this
 * machine (its path is kept), or its text is kept in the vault: kubeconfigs hold credentials,
 * so that text is a secret value (never shown, redacted, encrypted with the vault).
 */

const kubeconfigSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('path'), path: z.string().min(1).max(4096) }),
  z.strictObject({ kind: z.literal('vault'), text: z.string().min(1).max(1_000_000) }),
]);
export type StoredKubeconfig = z.infer<typeof kubeconfigSchema>;

const contextName = z.string().min(1).max(253);
const namespaceName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a Kubernetes namespace name');

export const clusterEventSchemas = [
  z.strictObject({
    kind: z.literal('cluster.added'),
    data: z.strictObject({
      name: hostNameSchema,
      kubeconfig: kubeconfigSchema,
      context: contextName,
      /** Overrides the context's namespace; null: the context's (else `default`). */
      namespace: namespaceName.nullable(),
    }),
  }),
  z.strictObject({
    kind: z.literal('cluster.updated'),
    data: z.strictObject({
      name: hostNameSchema,
      changes: z.strictObject({
        kubeconfig: kubeconfigSchema.optional(),
        context: contextName.optional(),
        namespace: namespaceName.nullable().optional(),
      }),
    }),
  }),
  z.strictObject({
    kind: z.literal('cluster.removed'),
    data: z.strictObject({ name: hostNameSchema }),
  }),
] as const;
