import { z } from 'zod';
import { clusterEventSchemas } from './cluster-events';
import { healthEventSchemas } from './health-events';
import { incidentEventSchemas } from './incident-events';
import {
  deploymentNameSchema,
  hostAddressSchema,
  hostNameSchema,
  portSchema,
  sshFingerprintSchema,
  sshUserSchema,
  generatorSpecSchema,
  labelSchema,
  secretMetadataSchema,
  secretNameSchema,
  sourceSchema,
  strengthSchema,
  versionOriginSchema,
} from '../../shared/model';
import { sha256 } from './crypto';
import {
  rotationFinishedSchema,
  rotationResumedSchema,
  rotationStartedSchema,
  rotationStepSchema,
} from './rotation-records';

/**
 * Every change to a vault is an event, and the events are the history: the state is what
 * replaying them yields. Each event names the hash of the one before it, so the chain of
 * events survives compaction byte for byte and `history verify` can check it end to end.
 */

const id = z.string().min(1).max(64);

export const versionMetaSchema = z.strictObject({
  id,
  origin: versionOriginSchema,
  generator: generatorSpecSchema.nullable(),
  strength: strengthSchema,
  publicKey: z.string().nullable(),
});
export type VersionMeta = z.infer<typeof versionMetaSchema>;

const empty = z.strictObject({});

/** A host's login as stored: the private key and its passphrase are secret values. */
export const hostAuthSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('agent') }),
  z.strictObject({
    kind: z.literal('key'),
    privateKey: z.string().min(1).max(16384),
    passphrase: z.string().max(1024).nullable(),
    publicKey: z.string().max(16384),
  }),
]);
export type HostAuth = z.infer<typeof hostAuthSchema>;

const hostEndpointSchema = z.strictObject({
  address: hostAddressSchema,
  port: portSchema,
  user: sshUserSchema,
  jump: hostNameSchema.nullable(),
});

export const eventBodySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('vault.created'), data: empty }),
  z.strictObject({ kind: z.literal('vault.password-changed'), data: empty }),
  z.strictObject({ kind: z.literal('vault.compacted'), data: empty }),
  // "Remember on this device": which machine's keychain holds the vault key (its host name).
  z.strictObject({
    kind: z.literal('vault.device-remembered'),
    data: z.strictObject({ device: z.string().max(255) }),
  }),
  z.strictObject({
    kind: z.literal('vault.device-forgotten'),
    data: z.strictObject({ device: z.string().max(255) }),
  }),
  z.strictObject({
    kind: z.literal('deployment.created'),
    data: z.strictObject({ name: deploymentNameSchema, description: z.string().max(4000) }),
  }),
  z.strictObject({
    kind: z.literal('secret.created'),
    data: z.strictObject({
      id,
      deployment: deploymentNameSchema,
      name: secretNameSchema,
      metadata: secretMetadataSchema,
    }),
  }),
  z.strictObject({
    kind: z.literal('secret.updated'),
    data: z.strictObject({ id, changes: secretMetadataSchema.partial() }),
  }),
  z.strictObject({ kind: z.literal('secret.removed'), data: z.strictObject({ id }) }),
  z.strictObject({
    kind: z.literal('version.added'),
    data: z.strictObject({
      secretId: id,
      version: versionMetaSchema,
      value: z.string(),
      label: labelSchema.exclude(['previous']),
    }),
  }),
  z.strictObject({
    kind: z.literal('secret.revealed'),
    data: z.strictObject({ secretId: id, versionId: id }),
  }),
  z.strictObject({
    kind: z.literal('secret.copied'),
    data: z.strictObject({ secretId: id, versionId: id }),
  }),
  z.strictObject({
    kind: z.literal('deployment.hosts-set'),
    data: z.strictObject({ name: deploymentNameSchema, hosts: z.array(hostNameSchema).max(64) }),
  }),
  z.strictObject({
    kind: z.literal('host.added'),
    data: z.strictObject({
      name: hostNameSchema,
      ...hostEndpointSchema.shape,
      auth: hostAuthSchema,
    }),
  }),
  z.strictObject({
    kind: z.literal('host.updated'),
    data: z.strictObject({
      name: hostNameSchema,
      changes: hostEndpointSchema.partial().extend({ auth: hostAuthSchema.optional() }),
    }),
  }),
  z.strictObject({
    kind: z.literal('host.removed'),
    data: z.strictObject({ name: hostNameSchema }),
  }),
  z.strictObject({
    kind: z.literal('host.trusted'),
    data: z.strictObject({
      name: hostNameSchema,
      algorithm: z.string().max(64),
      fingerprint: sshFingerprintSchema,
      /** The pin this one replaced: an explicit re-trust after a key change. */
      replaced: sshFingerprintSchema.nullable(),
    }),
  }),
  z.strictObject({
    kind: z.literal('host.key-refused'),
    data: z.strictObject({
      name: hostNameSchema,
      expected: sshFingerprintSchema,
      presented: sshFingerprintSchema,
    }),
  }),
  z.strictObject({
    /** A version brought back from a backup bundle, with its original time and labels. */
    kind: z.literal('version.restored'),
    data: z.strictObject({
      secretId: id,
      version: versionMetaSchema,
      value: z.string(),
      labels: z.array(labelSchema),
      createdAt: z.iso.datetime(),
    }),
  }),
  z.strictObject({
    /** Labels set as a restore chose: each label given is taken from every other version. */
    kind: z.literal('version.relabeled'),
    data: z.strictObject({ secretId: id, versionId: id, labels: z.array(labelSchema) }),
  }),
  z.strictObject({
    kind: z.literal('version.promoted'),
    data: z.strictObject({ secretId: id, versionId: id }),
  }),
  z.strictObject({
    kind: z.literal('version.pending-dropped'),
    data: z.strictObject({ secretId: id, versionId: id }),
  }),
  z.strictObject({
    kind: z.literal('playbook.saved'),
    data: z.strictObject({ id: z.string().min(1).max(64), text: z.string().max(1_000_000) }),
  }),
  z.strictObject({
    kind: z.literal('playbook.removed'),
    data: z.strictObject({ id: z.string().min(1).max(64) }),
  }),
  z.strictObject({
    kind: z.literal('deployment.playbook-set'),
    data: z.strictObject({
      name: deploymentNameSchema,
      /** null: the deployment's secrets rotate by their targets alone. */
      playbook: z.string().min(1).max(64).nullable(),
      variables: z.record(z.string().max(64), z.string().max(4096)),
      /** Playbook target id -> host, where a target is not on the deployment's first host. */
      targetHosts: z.record(z.string().max(64), hostNameSchema),
    }),
  }),
  z.strictObject({ kind: z.literal('rotation.started'), data: rotationStartedSchema }),
  z.strictObject({ kind: z.literal('rotation.step'), data: rotationStepSchema }),
  z.strictObject({ kind: z.literal('rotation.resumed'), data: rotationResumedSchema }),
  z.strictObject({ kind: z.literal('rotation.finished'), data: rotationFinishedSchema }),
  z.strictObject({
    kind: z.literal('backup.created'),
    data: z.strictObject({
      id,
      deployment: deploymentNameSchema,
      file: z.string().max(4096),
      size: z.number().int().min(0),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      contents: z.array(z.strictObject({ name: z.string().max(1024), size: z.number().int() })),
      passphrase: z.boolean(),
      recipients: z.array(z.string().max(128)),
    }),
  }),
  z.strictObject({
    kind: z.literal('backup.verified'),
    data: z.strictObject({
      file: z.string().max(4096),
      ok: z.boolean(),
      problems: z.array(z.string().max(1000)).max(100),
    }),
  }),
  z.strictObject({
    kind: z.literal('backup.restored'),
    data: z.strictObject({
      file: z.string().max(4096),
      databases: z.array(z.string().max(300)),
      files: z.array(z.string().max(4096)),
      secrets: z.array(z.string().max(300)),
    }),
  }),
  z.strictObject({
    /** An OpenPGP key for encrypting bundles; the private part (if kept) is a secret value. */
    kind: z.literal('pgp-key.added'),
    data: z.strictObject({
      fingerprint: z.string().regex(/^[0-9A-F]{40}$/),
      name: z.string().max(300),
      publicKey: z.string().max(100_000),
      privateKey: z.string().max(100_000).nullable(),
    }),
  }),
  z.strictObject({
    kind: z.literal('pgp-key.removed'),
    data: z.strictObject({ fingerprint: z.string().regex(/^[0-9A-F]{40}$/) }),
  }),
  ...incidentEventSchemas,
  ...clusterEventSchemas,
  ...healthEventSchemas,
  z.strictObject({
    kind: z.literal('secrets.imported'),
    data: z.strictObject({
      deployment: deploymentNameSchema,
      from: z.string().max(4096),
      count: z.number().int().min(0),
    }),
  }),
  z.strictObject({
    /** Secrets written out of the vault (a pass store, KeePass XML, a .env): where and how. */
    kind: z.literal('secrets.exported'),
    data: z.strictObject({
      format: z.enum(['pass', 'keepass', 'env']),
      path: z.string().max(4096),
      refs: z.array(z.string().max(300)).max(100_000),
      /** Written in clear (KeePass XML, .env) rather than encrypted to recipients. */
      plaintext: z.boolean(),
      recipients: z.array(z.string().max(128)),
    }),
  }),
]);
export type EventBody = z.infer<typeof eventBodySchema>;
export type EventKind = EventBody['kind'];
export type EventOf<K extends EventKind> = Extract<EventBody, { kind: K }>;

const eventEnvelopeSchema = z.strictObject({
  n: z.number().int().min(0),
  at: z.iso.datetime(),
  src: sourceSchema,
  ref: z.string().max(256).nullable(),
  summary: z.string().max(4000),
  prev: z.string().regex(/^[0-9a-f]{64}$/),
});

/** An event as drafted by a change, before the journal gives it a number and a chain link. */
export type EventDraft = EventBody & {
  at: string;
  src: z.infer<typeof sourceSchema>;
  ref: string | null;
  summary: string;
};

export type VaultEvent = EventDraft & { n: number; prev: string; hash: string };

const KNOWN_KINDS: ReadonlySet<string> = new Set(
  eventBodySchema.options.map((option) => option.shape.kind.value),
);

/** An event whose kind this version does not know: written by a newer Rekey. */
export class UnknownEventKindError extends Error {
  constructor(readonly kind: string) {
    super(`unknown event kind ${kind}`);
  }
}

/** Field order is fixed here so that an event's bytes, and so its hash, are reproducible. */
export function encodeEvent(
  draft: EventDraft,
  n: number,
  prev: string,
): { line: string; event: VaultEvent } {
  const line = JSON.stringify({
    n,
    at: draft.at,
    src: draft.src,
    kind: draft.kind,
    ref: draft.ref,
    summary: draft.summary,
    data: draft.data,
    prev,
  });
  return { line, event: { ...draft, n, prev, hash: hashEventLine(line) } };
}

export function hashEventLine(line: string): string {
  return sha256(Buffer.from(line, 'utf8')).toString('hex');
}

/** Parses one stored event line; throws a plain Error the caller turns into damage. */
export function decodeEvent(line: string): VaultEvent {
  const raw: unknown = JSON.parse(line);
  if (typeof raw !== 'object' || raw === null) throw new Error('event is not an object');
  const { kind, data, ...envelope } = raw as Record<string, unknown>;
  if (typeof kind === 'string' && !KNOWN_KINDS.has(kind)) throw new UnknownEventKindError(kind);
  const body = eventBodySchema.parse({ kind, data });
  return { ...eventEnvelopeSchema.parse(envelope), ...body, hash: hashEventLine(line) };
}

export function genesisEventHash(vaultId: Buffer): string {
  return sha256(Buffer.from('rekey-events-genesis-v1', 'latin1'), vaultId).toString('hex');
}
