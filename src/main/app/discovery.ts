import type { ParsedInput, ScanFinding } from '../../shared/api';
import { RekeyError } from '../../shared/errors';
import { LOCAL_HOST, type Target } from '../../shared/model';
import { DEFAULT_LIMITS, scanHost, suggestedName } from '../discovery/scan';
import { knownSecretFor } from '../discovery/known-secrets';
import { formatByName } from '../formats/format';
import { findHost } from '../vault/host-changes';
import { assessStrength } from '../vault/strength';
import type { Vault } from '../vault/vault';
import { type AdoptCandidate, adoptCandidates, inventoryByValue, trackingSecret } from './adoption';
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
  const byValue = inventoryByValue(vault);
  const findings: ScanFinding[] = [];
  for (const found of report.found) {
    // Values found on a host are secrets from now on: keep them out of every output.
    vault.redactor.add(found.value);
    const fingerprint = vault.fingerprint(found.value);
    const name = suggestedName(found);
    const trackedBy = trackingSecret(vault.state, {
      host: input.name,
      path: found.path,
      key: found.key,
    });
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
      trackedBy,
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
  const picked: AdoptCandidate[] = [];
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
    picked.push({ ref, value, target, strength, metadata: known?.metadata ?? {} });
  }

  return adoptCandidates(vault, input.deployment, picked);
}
