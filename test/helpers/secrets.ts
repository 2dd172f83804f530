import { addVersion, createSecret } from '../../src/main/vault/changes';
import { DEFAULT_METADATA } from '../../src/shared/model';
import { generatedStrength } from '../../src/main/vault/strength';
import type { Vault } from '../../src/main/vault/vault';

/** Adds a secret with a known value in one transaction, as `rekey secret add` would. */
export async function addSecret(vault: Vault, ref: string, value: string): Promise<void> {
  await addSecrets(vault, [[ref, value]]);
}

/** Adds several secrets in one transaction, as an import would: one record, many events. */
export async function addSecrets(
  vault: Vault,
  entries: readonly (readonly [ref: string, value: string])[],
): Promise<void> {
  await vault.transact((transaction) => {
    for (const [ref, value] of entries) {
      const secret = createSecret(transaction, ref, { ...DEFAULT_METADATA });
      addVersion(transaction, secret, entered(value), (v) => vault.fingerprint(v));
    }
  });
}

export async function setValue(vault: Vault, ref: string, value: string): Promise<void> {
  await vault.transact((transaction) => {
    const id = transaction.state.refs.get(ref);
    const secret = id ? transaction.state.secrets.get(id) : undefined;
    if (!secret) throw new Error(`no ${ref}`);
    addVersion(transaction, secret, entered(value), (v) => vault.fingerprint(v));
  });
}

export function entered(value: string) {
  return {
    value,
    origin: 'entered' as const,
    generator: null,
    strength: generatedStrength(128),
    publicKey: null,
  };
}

/** Every ref with its versions' values and labels: what must survive any reopen. */
export function inventory(vault: Vault): Record<string, { value: string; labels: string[] }[]> {
  const result: Record<string, { value: string; labels: string[] }[]> = {};
  for (const secret of vault.state.secrets.values()) {
    result[`${secret.deployment}/${secret.name}`] = secret.versions.map((v) => ({
      value: v.value.reveal(),
      labels: [...v.labels],
    }));
  }
  return result;
}
