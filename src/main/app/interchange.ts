import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RekeyError } from '../../shared/errors';
import {
  type CandidateView,
  type ImportChoice,
  type ImportResult,
  PLAINTEXT_EXPORTS,
  plaintextWarning,
} from '../../shared/interchange-api';
import { DEFAULT_METADATA, type SecretMetadata } from '../../shared/model';
import type { Candidate } from '../interchange/candidate';
import { envFile } from '../interchange/env-writer';
import type { ExportEntry } from '../interchange/export-entry';
import { keepassXml } from '../interchange/keepass-xml-writer';
import { writePassStore } from '../interchange/pass-writer';
import {
  type ImportAction,
  type PlannedCandidate,
  planCandidates,
  renamedRef,
} from '../interchange/plan';
import { readSource } from '../interchange/read-source';
import { type NewValue, addVersion, createSecret } from '../vault/changes';
import { writeFileAtomically } from '../vault/file-io';
import { currentVersion, refOf } from '../vault/state';
import type { Vault } from '../vault/vault';
import type { Implementation } from './handle';
import { prepareValue } from './secrets';
import type { AppSession } from './session';

/**
 * Import and export as the contract offers them. A preview reads the source and classifies
 * every candidate against the inventory; apply reads it again, checks it is what was
 * previewed (the digest), and writes the chosen plan in one transaction with an `imported`
 * event per secret. An export writes files 0600 through a temporary name and records a
 * `secrets.exported` event; a plaintext format needs the user's acknowledgement.
 */

type InterchangeMethodName = Extract<keyof Implementation, `interchange.${string}`>;

export function interchangeMethods(
  session: AppSession,
): Pick<Implementation, InterchangeMethodName> {
  const unlocked = async (): Promise<Vault> => {
    const vault = session.requireVault();
    await vault.refresh();
    return vault;
  };
  return {
    'interchange.preview': async ({ source, deployment }) => {
      const vault = await unlocked();
      const { candidates, problems } = await readSource(source);
      const planned = planCandidates(vault.state, candidates, deployment);
      return {
        kind: source.kind,
        path: source.path,
        deployment: deployment ?? null,
        digest: digestOf(vault, planned),
        candidates: await Promise.all(planned.map((p) => view(vault, p))),
        problems,
      };
    },
    'interchange.apply': async ({ source, deployment, digest, choices }) => {
      const vault = await unlocked();
      const { candidates } = await readSource(source);
      const values = await prepareValues(candidates, deployment);
      return vault.transact((transaction) => {
        const planned = planCandidates(transaction.state, candidates, deployment);
        if (digestOf(vault, planned) !== digest) {
          throw new RekeyError(
            'CONFLICT',
            'The source or the inventory changed since the preview; preview again before applying',
          );
        }
        const result: ImportResult = { created: [], versioned: [], skipped: [] };
        const taken = new Set<string>();
        const chosen = new Map(choices.map((choice) => [choice.id, choice]));
        for (const [id] of chosen) {
          if (!planned.some((p) => p.id === id))
            throw new RekeyError('INVALID_INPUT', `No candidate ${id}`);
        }
        for (const item of planned) {
          const choice = chosen.get(item.id);
          const action = choice?.action ?? item.defaultAction;
          if (!item.actions.includes(action)) {
            throw new RekeyError(
              'INVALID_INPUT',
              `${item.id} (${item.candidate.source}) cannot be "${action}"; it allows ${item.actions.join(', ')}`,
            );
          }
          if (action === 'skip' || item.ref === null) {
            result.skipped.push(item.ref ?? item.candidate.source);
            continue;
          }
          const ref = targetRef(transaction.state, item, action, choice, taken);
          taken.add(ref);
          const existing = action === 'version' ? transaction.state.refs.get(ref) : undefined;
          const secret = existing
            ? transaction.state.secrets.get(existing)
            : createSecret(transaction, ref, metadataOf(item.candidate));
          if (!secret) throw new RekeyError('INTERNAL', `lost track of ${ref}`);
          const value = values.get(item.candidate) as NewValue;
          addVersion(transaction, secret, value, (v) => vault.fingerprint(v));
          transaction.record(
            {
              kind: 'secrets.imported',
              data: {
                deployment: secret.deployment,
                from: item.candidate.source.slice(0, 4096),
                count: 1,
              },
            },
            {
              ref,
              summary: `Imported ${ref} from ${item.candidate.source}${existing ? ' as a new version' : ''}`,
            },
          );
          (existing ? result.versioned : result.created).push(ref);
        }
        return result;
      });
    },
    'interchange.export': async (input) => {
      const { kind, path, deployment, recipients, acknowledgePlaintext, overwrite } = input;
      const plaintext = PLAINTEXT_EXPORTS.includes(kind);
      if (plaintext && !acknowledgePlaintext) {
        throw new RekeyError(
          'INVALID_INPUT',
          `${plaintextWarning(kind, path)} Confirm to write it.`,
        );
      }
      if (kind === 'env' && !deployment) {
        throw new RekeyError('INVALID_INPUT', 'A .env export is of one deployment: name it');
      }
      const vault = await unlocked();
      if (deployment && !vault.state.deployments.has(deployment)) {
        throw new RekeyError('NOT_FOUND', `No deployment ${deployment}`);
      }
      const entries = exportEntries(vault, deployment);
      if (!overwrite) await refuseOverwrite(kind, path, entries);
      let fingerprints: string[] = [];
      let renamed: string[] = [];
      if (kind === 'pass') {
        fingerprints = (await writePassStore(path, entries, recipients)).recipients.map(
          (r) => r.fingerprint,
        );
      } else if (kind === 'keepass') {
        await writeFileAtomically(path, Buffer.from(keepassXml(entries, session.now()), 'utf8'));
      } else {
        const env = envFile(entries);
        renamed = env.renamed;
        await writeFileAtomically(path, Buffer.from(env.text, 'utf8'));
      }
      const refs = entries.map((entry) => `${entry.deployment}/${entry.name}`);
      await vault.transact((transaction) => {
        transaction.record(
          {
            kind: 'secrets.exported',
            data: { format: kind, path, refs, plaintext, recipients: fingerprints },
          },
          {
            summary: `Exported ${refs.length} secrets${deployment ? ` of ${deployment}` : ''} to ${path} (${plaintext ? `${kind}, in clear` : `pass, encrypted to ${fingerprints.length} keys`})`,
          },
        );
      });
      return { kind, path, refs, plaintext, recipients: fingerprints, renamed };
    },
  };
}

/** Nothing already there is replaced unless asked: a file, or a pass store's entries. */
async function refuseOverwrite(
  kind: string,
  path: string,
  entries: readonly { deployment: string; name: string }[],
): Promise<void> {
  const files =
    kind === 'pass'
      ? entries.map((entry) => join(path, entry.deployment, `${entry.name}.gpg`))
      : [path];
  const present: string[] = [];
  for (const file of files) {
    if (await exists(file)) present.push(file);
  }
  if (present.length === 0) return;
  const what =
    kind === 'pass'
      ? `${present.length} of the store's entries exist already (${present[0]}${present.length > 1 ? ', ...' : ''})`
      : `${path} exists already`;
  throw new RekeyError(
    'CONFLICT',
    `${what}: nothing was written. To replace them, export with --force (in the app: "Replace what is there").`,
  );
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function prepareValues(
  candidates: readonly Candidate[],
  deployment: string | undefined,
): Promise<Map<Candidate, NewValue>> {
  const values = new Map<Candidate, NewValue>();
  for (const candidate of candidates) {
    const ref = `${deployment ?? candidate.deployment ?? 'import'}/${candidate.name}`;
    values.set(
      candidate,
      await prepareValue(
        { kind: 'enter', value: candidate.value },
        ref,
        metadataOf(candidate),
        'imported',
      ),
    );
  }
  return values;
}

function metadataOf(candidate: Candidate): SecretMetadata {
  return {
    ...DEFAULT_METADATA,
    service: candidate.service.slice(0, 200),
    description: candidate.notes.slice(0, 4000),
  };
}

function targetRef(
  state: Vault['state'],
  item: PlannedCandidate,
  action: ImportAction,
  choice: ImportChoice | undefined,
  taken: ReadonlySet<string>,
): string {
  const ref = item.ref as string;
  if (action === 'rename') {
    const wanted = choice?.ref ?? renamedRef(state, ref, taken);
    if (state.refs.has(wanted) || taken.has(wanted)) {
      throw new RekeyError('ALREADY_EXISTS', `${wanted} already exists; choose another name`);
    }
    return wanted;
  }
  if (action === 'create' && (state.refs.has(ref) || taken.has(ref))) {
    throw new RekeyError('ALREADY_EXISTS', `${ref} already exists`);
  }
  return ref;
}

/**
 * Names what was previewed: each candidate's source, ref, status and value fingerprint
 * (keyed, so the digest is no guessing oracle), hashed.
 */
function digestOf(vault: Vault, planned: readonly PlannedCandidate[]): string {
  const hash = createHash('sha256');
  for (const p of planned) {
    hash.update(
      JSON.stringify([
        p.id,
        p.candidate.source,
        p.ref,
        p.status,
        p.match,
        vault.fingerprint(p.candidate.value),
      ]),
    );
  }
  return hash.digest('hex').slice(0, 32);
}

async function view(vault: Vault, planned: PlannedCandidate): Promise<CandidateView> {
  const { candidate } = planned;
  const strength = await prepareValue(
    { kind: 'enter', value: candidate.value },
    planned.ref ?? `import/${candidate.name}`,
    metadataOf(candidate),
    'imported',
  );
  return {
    id: planned.id,
    source: candidate.source,
    ref: planned.ref,
    service: candidate.service,
    hasNotes: candidate.notes !== '',
    fingerprint: vault.fingerprint(candidate.value),
    length: candidate.value.length,
    strength: strength.strength.rating,
    status: planned.status,
    match: planned.match,
    reason: planned.reason,
    actions: planned.actions,
    defaultAction: planned.defaultAction,
  };
}

function exportEntries(vault: Vault, deployment: string | undefined): ExportEntry[] {
  const entries: ExportEntry[] = [];
  for (const secret of vault.state.secrets.values()) {
    if (deployment && secret.deployment !== deployment) continue;
    const current = currentVersion(secret);
    if (!current) continue;
    entries.push({
      deployment: secret.deployment,
      name: secret.name,
      value: current.value.reveal(),
      notes: secret.metadata.description,
    });
  }
  return entries.sort((a, b) => refOf(a).localeCompare(refOf(b)));
}
