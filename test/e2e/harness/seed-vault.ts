import { randomBytes } from 'node:crypto';
import { addVersion, createSecret } from '../../../src/main/vault/changes';
import { assessStrength, generatedStrength } from '../../../src/main/vault/strength';
import { DEFAULT_AUTO_COMPACT_AFTER_EVENTS, Vault } from '../../../src/main/vault/vault';
import { DEFAULT_METADATA, type SecretMetadata } from '../../../src/shared/model';
import { FAST_KDF, PASSWORD, TEST_OPTIONS } from '../../helpers/vault';

/**
 * Vaults prepared with the library before the UI opens (the fixture's `prepare` hook): the
 * cheapest Argon2id cost and one transaction per batch, so a thousand secrets take well under a
 * second and tests spend their time in the UI, not in key stretching.
 */

export { PASSWORD };

export interface SeedSecret {
  ref: string;
  value: string;
  metadata?: Partial<SecretMetadata>;
  /** Rate the value as the UI would (slower); otherwise it counts as a strong random value. */
  assess?: boolean;
  /** How long ago the value was stored: makes secrets due or overdue against their policy. */
  ageDays?: number;
}

const DAY_MS = 86_400_000;
const BATCH = 2_000;

export async function seedVault(path: string, secrets: readonly SeedSecret[]): Promise<void> {
  // Each transaction is stamped with the clock: batches of one age share a transaction.
  let clock = new Date();
  const vault = await Vault.create(path, PASSWORD, FAST_KDF, {
    ...TEST_OPTIONS,
    // Compacting between batches would only cost time; the vault is compacted once at the end.
    autoCompactAfter: Infinity,
    autoCompactAfterEvents: Infinity,
    now: () => clock,
  });
  try {
    const fingerprint = (value: string) => vault.fingerprint(value);
    const strengths = await Promise.all(
      secrets.map((secret) =>
        secret.assess
          ? assessStrength(secret.value, { names: secret.ref.split('/') })
          : generatedStrength(192),
      ),
    );
    const byAge = new Map<number, number[]>();
    secrets.forEach((secret, index) => {
      const age = secret.ageDays ?? 0;
      byAge.set(age, [...(byAge.get(age) ?? []), index]);
    });
    // Oldest first, so the history reads in time order.
    for (const age of [...byAge.keys()].sort((a, b) => b - a)) {
      const indexes = byAge.get(age) ?? [];
      clock = new Date(Date.now() - age * DAY_MS);
      for (let first = 0; first < indexes.length; first += BATCH) {
        await vault.transact((transaction) => {
          for (const index of indexes.slice(first, first + BATCH)) {
            const secret = secrets[index] as SeedSecret;
            const record = createSecret(transaction, secret.ref, {
              ...DEFAULT_METADATA,
              ...secret.metadata,
            });
            addVersion(
              transaction,
              record,
              {
                value: secret.value,
                origin: 'entered',
                generator: null,
                strength: strengths[index] ?? generatedStrength(192),
                publicKey: null,
              },
              fingerprint,
            );
          }
        });
      }
    }
    // A vault this size that Rekey had written would have compacted itself on the way.
    if (vault.eventsSinceSnapshot >= DEFAULT_AUTO_COMPACT_AFTER_EVENTS) await vault.compact();
  } finally {
    vault.close();
  }
}

/** A value no test text, ref or fingerprint can contain by accident. */
export function knownValue(): string {
  return `v${randomBytes(18).toString('base64url')}`;
}

/** `count` secrets across a few deployments and services, each with a distinct known value. */
export function manySecrets(count: number): SeedSecret[] {
  const deployments = [
    'matrix-vps1',
    'livekit-vps1',
    'synctv-prod',
    'postgres-main',
    'redis-cache',
  ];
  const services = ['synapse', 'livekit', 'synctv', 'postgresql', 'redis'];
  return Array.from({ length: count }, (_, i) => {
    const which = i % deployments.length;
    return {
      ref: `${deployments[which]}/secret-${String(i).padStart(5, '0')}`,
      value: knownValue(),
      metadata: {
        service: services[which] as string,
        impact: i % 7 === 0 ? 'Users are logged out' : '',
        policy: i % 3 === 0 ? { kind: 'interval', days: 90 } : { kind: 'none' },
        tags: i % 11 === 0 ? ['ci'] : [],
      },
    };
  });
}

/** A small, realistic stack: a dashboard with something in every tile. */
export const SAMPLE_STACK: readonly SeedSecret[] = [
  {
    ref: 'matrix-vps1/synapse.macaroon_secret_key',
    value: knownValue(),
    metadata: {
      service: 'synapse',
      impact: 'All access tokens become invalid; users log in again',
      difficulty: 'low',
      policy: { kind: 'interval', days: 180 },
      tags: ['auth'],
    },
    ageDays: 400,
  },
  {
    ref: 'matrix-vps1/postgres.password',
    value: 'password2024',
    assess: true,
    metadata: {
      service: 'postgresql',
      impact: 'Synapse cannot reach its database until the password matches',
      difficulty: 'medium',
      policy: { kind: 'interval', days: 90 },
    },
    ageDays: 80,
  },
  {
    ref: 'matrix-vps1/synapse.signing_key',
    value: knownValue(),
    metadata: {
      service: 'synapse',
      impact: 'Other servers reject our events; federation breaks',
      difficulty: 'high',
      policy: { kind: 'manual' },
      tags: ['federation'],
    },
    ageDays: 700,
  },
  {
    ref: 'livekit-vps1/api.secret',
    value: knownValue(),
    metadata: {
      service: 'livekit',
      impact: 'Calls cannot start until the new key is in Synapse and LiveKit',
      difficulty: 'medium',
      policy: { kind: 'interval', days: 90 },
      compromised: true,
    },
    ageDays: 30,
  },
  {
    ref: 'livekit-vps1/turn.password',
    value: knownValue(),
    metadata: { service: 'livekit', difficulty: 'low', policy: { kind: 'interval', days: 365 } },
    ageDays: 10,
  },
  {
    ref: 'synctv-prod/jwt.secret',
    value: knownValue(),
    metadata: {
      service: 'synctv',
      impact: 'Existing sessions end; users log in again',
      difficulty: 'low',
      policy: { kind: 'interval', days: 90 },
    },
    ageDays: 120,
  },
  {
    ref: 'synctv-prod/redis.password',
    value: knownValue(),
    metadata: { service: 'redis', difficulty: 'medium' },
    ageDays: 5,
  },
];
