import type { ImportReport, ParsedInput } from '../../shared/api';
import { RekeyError } from '../../shared/errors';
import { DEFAULT_METADATA, type SecretMetadata } from '../../shared/model';
import { selectEnvEntries } from '../interchange/env-reader';
import { type NewValue, addVersion, createSecret } from '../vault/changes';
import { currentVersion } from '../vault/state';
import type { Vault } from '../vault/vault';
import { prepareValue } from './secrets';

interface Candidate {
  key: string;
  ref: string;
  value: NewValue;
}

/**
 * Imports a `.env` file into a deployment as one atomic change: either every selected key
 * lands (with an `imported` history event) or none does. Existing secrets are never
 * overwritten silently: an equal value is reported unchanged, a different one is skipped
 * unless the caller asked for a new version.
 */
export async function importEnv(
  vault: Vault,
  input: ParsedInput<'secrets.importEnv'>,
): Promise<ImportReport> {
  const { entries, skipped } = selectEnvEntries(input.content, input.all ?? false);
  const report: ImportReport = {
    deployment: input.deployment,
    dryRun: input.dryRun ?? false,
    added: [],
    updated: [],
    unchanged: [],
    skipped,
  };
  const metadata: SecretMetadata = { ...DEFAULT_METADATA, ...input.metadata };
  const candidates: Candidate[] = [];
  for (const entry of entries) {
    const ref = `${input.deployment}/${entry.key}`;
    const value = await prepareValue(
      { kind: 'enter', value: entry.value },
      ref,
      metadata,
      'imported',
    );
    candidates.push({ key: entry.key, ref, value });
  }

  await vault.refresh();
  if (report.dryRun) return withPlan(report, planImport(vault.state, candidates, input.onExisting));

  return vault.transact((transaction) => {
    const plan = planImport(transaction.state, candidates, input.onExisting);
    for (const { candidate, existing } of plan.actions) {
      const secret = existing
        ? transaction.state.secrets.get(existing)
        : createSecret(transaction, candidate.ref, metadata);
      if (!secret) throw new RekeyError('INTERNAL', `lost track of ${candidate.ref}`);
      addVersion(transaction, secret, candidate.value, (value) => vault.fingerprint(value));
    }
    transaction.record(
      {
        kind: 'secrets.imported',
        data: { deployment: input.deployment, from: input.from, count: plan.actions.length },
      },
      {
        summary: `Imported ${plan.added.length} new and ${plan.updated.length} updated secrets into ${input.deployment} from ${input.from}`,
      },
    );
    return withPlan(report, plan);
  });
}

function withPlan(report: ImportReport, plan: ImportPlan): ImportReport {
  const { added, updated, unchanged } = plan;
  return { ...report, added, updated, unchanged, skipped: [...report.skipped, ...plan.skipped] };
}

interface ImportPlan {
  actions: { candidate: Candidate; existing: string | undefined }[];
  added: string[];
  updated: string[];
  unchanged: string[];
  skipped: ImportReport['skipped'];
}

function planImport(
  state: Vault['state'],
  candidates: readonly Candidate[],
  onExisting: 'skip' | 'new-version' | undefined,
): ImportPlan {
  const plan: ImportPlan = { actions: [], added: [], updated: [], unchanged: [], skipped: [] };
  for (const candidate of candidates) {
    const existing = state.refs.get(candidate.ref);
    const secret = existing === undefined ? undefined : state.secrets.get(existing);
    const current = secret ? currentVersion(secret) : undefined;
    if (secret && current?.value.reveal() === candidate.value.value) {
      plan.unchanged.push(candidate.ref);
    } else if (secret && onExisting !== 'new-version') {
      plan.skipped.push({ key: candidate.key, reason: 'exists with a different value' });
    } else {
      (secret ? plan.updated : plan.added).push(candidate.ref);
      plan.actions.push({ candidate, existing });
    }
  }
  return plan;
}
