import type { ParsedInput, ScanFinding } from '../../shared/api';
import { RekeyError } from '../../shared/errors';
import { DEFAULT_METADATA, LOCAL_HOST, type Strength, type Target } from '../../shared/model';
import { DEFAULT_LIMITS, scanHost, suggestedName } from '../discovery/scan';
import { type KnownSecret, knownSecretFor } from '../discovery/known-secrets';
import { formatByName } from '../formats/format';
import { addVersion, createSecret, ensureDeployment, updateMetadata } from '../vault/changes';
import { findHost } from '../vault/host-changes';
import { currentVersion, refOf } from '../vault/state';
import { assessStrength } from '../vault/strength';
import type { Vault } from '../vault/vault';
import type { HostConnections } from './host-connections';

/**
 * Discovery as the contract offers it: scan a host's config files (read-only) and adopt the
 * picked findings into the inventory. Values are read on the host, compared and stored in
 * the main process; the report carries strength and fingerprints only.
 */

/** The host's connector, after checking that the vault knows the host (or it is `local`). */
async function connectorOf(vault: Vault, connections: HostConnections, name: string) {
  await vault.refresh();
  if (name !== LOCAL_HOST) findHost(vault.state, name);
  return connections.connector(name);
}

export async function scan(
  vault: Vault,
  connections: HostConnections,
  input: ParsedInput<'hosts.scan'>,
) {
  const connector = await connectorOf(vault, connections, input.name);
  const report = await scanHost(connector, input.directories, {
    ...DEFAULT_LIMITS,
    maxDepth: input.maxDepth ?? DEFAULT_LIMITS.maxDepth,
  });
  const byValue = new Map<string, string[]>();
  for (const secret of vault.state.secrets.values()) {
    const current = currentVersion(secret);
    if (!current) continue;
    const fingerprint = vault.fingerprint(current.value);
    byValue.set(fingerprint, [...(byValue.get(fingerprint) ?? []), refOf(secret)]);
  }
  const findings: ScanFinding[] = [];
  for (const found of report.found) {
    // Values found on a host are secrets from now on: keep them out of every output.
    vault.redactor.add(found.value);
    const fingerprint = vault.fingerprint(found.value);
    const name = suggestedName(found);
    const tracked = [...vault.state.secrets.values()].find((secret) =>
      secret.metadata.targets.some(
        (target) =>
          target.host === input.name && target.path === found.path && target.key === found.key,
      ),
    );
    findings.push({
      path: found.path,
      format: found.format,
      key: found.key,
      line: found.line,
      service: found.known?.service ?? null,
      suggestedName: name,
      strength: await assessStrength(found.value, {
        names: [name, found.known?.service ?? '', ...found.path.split('/')],
      }),
      fingerprint,
      sameValueAs: byValue.get(fingerprint) ?? [],
      trackedBy: tracked ? refOf(tracked) : null,
    });
  }
  return { host: input.name, filesRead: report.filesRead, findings, skipped: report.skipped };
}

export async function adopt(
  vault: Vault,
  connections: HostConnections,
  input: ParsedInput<'hosts.adopt'>,
) {
  const connector = await connectorOf(vault, connections, input.name);
  const picked: {
    ref: string;
    value: string;
    known: KnownSecret | undefined;
    target: Target;
    strength: Strength;
  }[] = [];
  for (const pick of input.picks) {
    const text = (await connector.readFile(pick.path)).toString('utf8');
    const value = formatByName(pick.format).get(text, pick.key);
    if (value === undefined || value === '') {
      throw new RekeyError(
        'NOT_FOUND',
        `${pick.path} on ${input.name} has no value at "${pick.key}" any more`,
      );
    }
    const fileName = pick.path.split('/').pop() ?? '';
    const known = knownSecretFor(fileName, pick.key);
    const ref = `${input.deployment}/${pick.name}`;
    const target: Target = {
      host: input.name,
      path: pick.path,
      format: pick.format,
      key: pick.key,
    };
    const strength = await assessStrength(value, { names: [pick.name, known?.service ?? ''] });
    picked.push({ ref, value, known, target, strength });
  }

  return vault.transact((transaction) => {
    const result = {
      added: [] as string[],
      targetAdded: [] as string[],
      skipped: [] as { name: string; reason: string }[],
    };
    ensureDeployment(transaction, input.deployment);
    for (const { ref, value, known, target, strength } of picked) {
      transaction.introduce(value);
      const id = transaction.state.refs.get(ref);
      const existing = id === undefined ? undefined : transaction.state.secrets.get(id);
      if (existing) {
        // The same secret in a second place (LiveKit's secret in livekit.yaml and the .env):
        // one more target. A different value under the same name is never merged silently.
        if (currentVersion(existing)?.value.reveal() !== value) {
          result.skipped.push({
            name: ref,
            reason: 'a secret of this name exists with a different value',
          });
          continue;
        }
        const targets = existing.metadata.targets;
        if (
          !targets.some(
            (t) => t.host === target.host && t.path === target.path && t.key === target.key,
          )
        ) {
          updateMetadata(transaction, existing, { targets: [...targets, target] });
          result.targetAdded.push(ref);
        }
        continue;
      }
      const secret = createSecret(transaction, ref, {
        ...DEFAULT_METADATA,
        ...known?.metadata,
        targets: [target],
      });
      addVersion(
        transaction,
        secret,
        { value, origin: 'imported', generator: null, strength, publicKey: null },
        (v) => vault.fingerprint(v),
      );
      result.added.push(ref);
    }
    return result;
  });
}
