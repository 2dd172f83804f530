import { describe, expect, it } from 'vitest';
import { applySecretsRestore, planSecretsRestore } from '../../src/main/backup/restore-secrets';
import { parseSecretsDocument, secretsDocument } from '../../src/main/backup/secrets-document';
import { addVersion, createSecret, findSecret } from '../../src/main/vault/changes';
import type { Vault } from '../../src/main/vault/vault';
import { generatedStrength } from '../../src/main/vault/strength';
import { useTempDirs } from '../helpers/temp';
import { createVault } from '../helpers/vault';

/** secrets.json out of one vault and back into it, or into a fresh one. */
describe('restoring the secrets of a bundle', () => {
  const tempDir = useTempDirs();
  const value = (text: string) => ({
    value: text,
    origin: 'entered' as const,
    generator: null,
    strength: generatedStrength(128),
    publicKey: null,
  });

  async function vaultWith(versions: string[]): Promise<Vault> {
    const vault = await createVault(tempDir());
    await vault.transact((t) => {
      const secret = createSecret(t, 'tv/jwt.secret', {
        service: 'synctv',
        description: 'Signs tokens',
        impact: 'Logins',
        difficulty: 'medium',
        handling: '',
        policy: { kind: 'interval', days: 90 },
        generator: null,
        targets: [],
        tags: [],
        compromised: false,
      });
      for (const text of versions) addVersion(t, secret, value(text), (v) => vault.fingerprint(v));
    });
    return vault;
  }

  const labelsByValue = (vault: Vault) =>
    Object.fromEntries(
      findSecret(vault.state, 'tv/jwt.secret').versions.map((v) => [v.value.reveal(), v.labels]),
    );

  it('creates missing secrets with every version, label and time', async () => {
    const source = await vaultWith(['first-value-000', 'second-value-111']);
    const document = parseSecretsDocument(secretsDocument(source.state, 'tv', new Date()));
    const fresh = await createVault(tempDir());
    expect(planSecretsRestore(fresh.state, document, (v) => fresh.fingerprint(v))).toEqual([
      { ref: 'tv/jwt.secret', kind: 'create', versions: 2 },
    ]);
    await fresh.transact((t) => applySecretsRestore(t, document, {}, (v) => fresh.fingerprint(v)));
    expect(labelsByValue(fresh)).toEqual({
      'first-value-000': ['previous'],
      'second-value-111': ['current'],
    });
    const [a, b] = findSecret(fresh.state, 'tv/jwt.secret').versions;
    const [c, d] = findSecret(source.state, 'tv/jwt.secret').versions;
    expect([a?.createdAt, b?.createdAt]).toEqual([c?.createdAt, d?.createdAt]);
    expect(findSecret(fresh.state, 'tv/jwt.secret').metadata.service).toBe('synctv');
  });

  it('asks before changing a current value, and keeps every value whatever is chosen', async () => {
    const vault = await vaultWith(['first-value-000']);
    const document = parseSecretsDocument(secretsDocument(vault.state, 'tv', new Date()));
    await vault.transact((t) =>
      addVersion(t, findSecret(t.state, 'tv/jwt.secret'), value('rotated-value-222'), (v) =>
        vault.fingerprint(v),
      ),
    );
    const plan = planSecretsRestore(vault.state, document, (v) => vault.fingerprint(v));
    expect(plan).toMatchObject([{ kind: 'conflict', vaultIsNewer: true, versionsToAdd: 0 }]);

    await expect(
      vault.transact((t) => applySecretsRestore(t, document, {}, (v) => vault.fingerprint(v))),
    ).rejects.toThrow(/Choose for each secret/);
    expect(labelsByValue(vault)['rotated-value-222']).toEqual(['current']);

    await vault.transact((t) =>
      applySecretsRestore(t, document, { 'tv/jwt.secret': 'use-bundle' }, (v) =>
        vault.fingerprint(v),
      ),
    );
    // The displaced value is one step back, as after any new value.
    expect(labelsByValue(vault)).toEqual({
      'first-value-000': ['current'],
      'rotated-value-222': ['previous'],
    });
  });

  it('adds versions the vault lacks without touching its labels when the current agrees', async () => {
    const bundleSource = await vaultWith(['old-value-000', 'shared-value-111']);
    const document = parseSecretsDocument(secretsDocument(bundleSource.state, 'tv', new Date()));
    const vault = await vaultWith(['shared-value-111']);
    expect(planSecretsRestore(vault.state, document, (v) => vault.fingerprint(v))).toEqual([
      { ref: 'tv/jwt.secret', kind: 'same', versionsToAdd: 1 },
    ]);
    await vault.transact((t) => applySecretsRestore(t, document, {}, (v) => vault.fingerprint(v)));
    expect(labelsByValue(vault)).toEqual({
      'shared-value-111': ['current'],
      'old-value-000': [],
    });
  });
});
