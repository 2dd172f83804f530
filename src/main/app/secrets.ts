import type { NewValueInput, SecretFilter } from '../../shared/api';
import {
  DEFAULT_METADATA,
  type DeploymentSummary,
  type SecretMetadata,
  type SecretSummary,
  splitRef,
} from '../../shared/model';
import {
  type NewValue,
  addVersion,
  createSecret,
  findSecret,
  findVersion,
  recordDisclosure,
  removeSecret,
  updateMetadata,
} from '../vault/changes';
import { DEFAULT_LENGTHS, generateSecret } from '../vault/generate';
import { type DeploymentRecord, type SecretRecord, refOf } from '../vault/state';
import { assessStrength, generatedStrength } from '../vault/strength';
import type { Vault } from '../vault/vault';
import type { Implementation } from './handle';
import type { AppSession } from './session';
import { detail, summarize } from './views';

const DEFAULT_GENERATOR = { kind: 'base64', length: DEFAULT_LENGTHS.base64 } as const;

export function deploymentSummary(
  deployment: DeploymentRecord,
  secrets: number,
): DeploymentSummary {
  return {
    name: deployment.name,
    description: deployment.description,
    hosts: deployment.hosts,
    secrets,
    playbook: deployment.playbook,
    createdAt: deployment.createdAt,
  };
}

/** Names a value should not contain: the secret's own, its deployment's and its service's. */
export function namesAround(ref: string, service: string): string[] {
  const { deployment, name } = splitRef(ref);
  return [deployment, ...deployment.split(/[-_.]/), name, ...name.split(/[-_./]/), service];
}

/** Generates or assesses a value. Runs before the vault lock is taken: it can be slow. */
export async function prepareValue(
  input: NewValueInput,
  ref: string,
  metadata: SecretMetadata,
  origin: 'entered' | 'imported' = 'entered',
): Promise<NewValue> {
  if (input.kind === 'enter') {
    return {
      value: input.value,
      origin,
      generator: null,
      strength: await assessStrength(input.value, { names: namesAround(ref, metadata.service) }),
      publicKey: null,
    };
  }
  const spec = input.spec ?? metadata.generator ?? DEFAULT_GENERATOR;
  const generated = await generateSecret(spec);
  return {
    value: generated.value,
    origin: 'generated',
    generator: spec,
    strength: generatedStrength(generated.bits),
    publicKey: generated.publicKey,
  };
}

export function matchesFilter(summary: SecretSummary, filter: SecretFilter): boolean {
  if (filter.deployment !== undefined && summary.deployment !== filter.deployment) return false;
  if (filter.due && summary.rotation !== 'due' && summary.rotation !== 'overdue') return false;
  if (filter.weak && !summary.weak) return false;
  if (filter.compromised && !summary.compromised) return false;
  if (filter.tag !== undefined && !summary.tags.includes(filter.tag)) return false;
  if (filter.text) {
    const text = filter.text.toLowerCase();
    const haystack = [summary.ref, summary.service, ...summary.tags].join(' ').toLowerCase();
    if (!haystack.includes(text)) return false;
  }
  return true;
}

function secretDetail(session: AppSession, vault: Vault, ref: string) {
  return detail(vault, findSecret(vault.state, ref), session.now());
}

export function secretMethods(
  session: AppSession,
): Pick<
  Implementation,
  | 'deployments.list'
  | 'secrets.list'
  | 'secrets.get'
  | 'secrets.add'
  | 'secrets.update'
  | 'secrets.setValue'
  | 'secrets.remove'
  | 'secrets.reveal'
  | 'secrets.copy'
> {
  const fingerprintOf = (vault: Vault) => (value: string) => vault.fingerprint(value);
  return {
    'deployments.list': async () => {
      const vault = session.requireVault();
      await vault.refresh();
      const counts = new Map<string, number>();
      for (const secret of vault.state.secrets.values()) {
        counts.set(secret.deployment, (counts.get(secret.deployment) ?? 0) + 1);
      }
      return [...vault.state.deployments.values()].map((deployment) =>
        deploymentSummary(deployment, counts.get(deployment.name) ?? 0),
      );
    },
    'secrets.list': async (filter) => {
      const vault = session.requireVault();
      await vault.refresh();
      const now = session.now();
      const summaries: SecretSummary[] = [];
      for (const secret of vault.state.secrets.values()) {
        const summary = summarize(vault, secret, now);
        if (matchesFilter(summary, filter)) summaries.push(summary);
      }
      return summaries.sort((a, b) => a.ref.localeCompare(b.ref));
    },
    'secrets.get': async ({ ref }) => {
      const vault = session.requireVault();
      await vault.refresh();
      return secretDetail(session, vault, ref);
    },
    'secrets.add': async ({ ref, metadata: changes, value }) => {
      const vault = session.requireVault();
      const metadata: SecretMetadata = { ...DEFAULT_METADATA, ...changes };
      const newValue = await prepareValue(value ?? { kind: 'generate' }, ref, metadata);
      if (newValue.generator && !metadata.generator) metadata.generator = newValue.generator;
      await vault.transact((transaction) => {
        const secret = createSecret(transaction, ref, metadata);
        addVersion(transaction, secret, newValue, fingerprintOf(vault));
      });
      return secretDetail(session, vault, ref);
    },
    'secrets.update': async ({ ref, changes }) => {
      const vault = session.requireVault();
      await vault.transact((transaction) => {
        updateMetadata(transaction, findSecret(transaction.state, ref), changes);
      });
      return secretDetail(session, vault, ref);
    },
    'secrets.setValue': async ({ ref, value }) => {
      const vault = session.requireVault();
      await vault.refresh();
      const existing: SecretRecord = findSecret(vault.state, ref);
      const newValue = await prepareValue(value, ref, existing.metadata);
      await vault.transact((transaction) => {
        addVersion(transaction, findSecret(transaction.state, ref), newValue, fingerprintOf(vault));
      });
      return secretDetail(session, vault, ref);
    },
    'secrets.remove': async ({ ref }) => {
      const vault = session.requireVault();
      await vault.transact((transaction) => {
        removeSecret(transaction, findSecret(transaction.state, ref));
      });
      return { ref };
    },
    'secrets.reveal': async ({ ref, version: selector }) => {
      const vault = session.requireVault();
      return vault.transact((transaction) => {
        const secret = findSecret(transaction.state, ref);
        const version = findVersion(secret, selector, (v) => vault.fingerprint(v.value));
        recordDisclosure(transaction, secret, version, 'revealed', fingerprintOf(vault));
        return {
          ref: refOf(secret),
          versionId: version.id,
          fingerprint: vault.fingerprint(version.value),
          value: version.value.reveal(),
        };
      });
    },
    'secrets.copy': async ({ ref, version: selector }) => {
      const vault = session.requireVault();
      const clearAfterSeconds = session.preferences.current.preferences.clipboardClearSeconds;
      const { value, fingerprint } = await vault.transact((transaction) => {
        const secret = findSecret(transaction.state, ref);
        const version = findVersion(secret, selector, (v) => vault.fingerprint(v.value));
        recordDisclosure(transaction, secret, version, 'copied', fingerprintOf(vault));
        return { value: version.value.reveal(), fingerprint: vault.fingerprint(version.value) };
      });
      if (session.clipboard) {
        await session.clipboard.copy(value, clearAfterSeconds * 1000);
        return { by: 'main' as const, fingerprint, clearAfterSeconds };
      }
      return { by: 'renderer' as const, fingerprint, clearAfterSeconds, value };
    },
  };
}
