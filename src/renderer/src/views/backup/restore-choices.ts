import type { MethodInput, MethodOutput } from '../../../../shared/api';
import { type DatabaseSource, databaseProblem } from './DatabaseFields';

export type VerifiedBundle = MethodOutput<'backups.verify'>;
export type BundlePart = VerifiedBundle['parts'][number];
export type SecretPlan = NonNullable<VerifiedBundle['secrets']>[number];
export type ConflictChoice = 'keep-vault' | 'use-bundle';

/** What the user picked from a verified bundle, keyed by the parts' entry names. */
export interface RestoreChoices {
  databases: Record<string, { on: boolean; target: DatabaseSource }>;
  files: Record<string, boolean>;
  secrets: boolean;
  conflicts: Record<string, ConflictChoice>;
}

/**
 * Nothing overwritten until asked: databases and files start unticked (each target
 * prefilled with where the dump came from), the secrets ticked (merging them adds versions
 * and never replaces a differing current value without a choice).
 */
export function initialChoices(report: VerifiedBundle, defaultHost: string): RestoreChoices {
  const databases: RestoreChoices['databases'] = {};
  const files: RestoreChoices['files'] = {};
  for (const part of report.parts) {
    if (part.kind === 'database') {
      const source = part.source;
      databases[part.entry] = {
        on: false,
        target: source
          ? { name: part.name, ...source }
          : { name: part.name, host: defaultHost, database: '' },
      };
    } else if (part.kind === 'config') {
      files[part.entry] = false;
    }
  }
  return { databases, files, secrets: report.secrets !== null, conflicts: {} };
}

export const conflictsOf = (report: VerifiedBundle): SecretPlan[] =>
  (report.secrets ?? []).filter((item) => item.kind === 'conflict');

/** The first thing that stops these choices from being restored, in words; null when none. */
export function choicesProblem(
  report: VerifiedBundle,
  choices: RestoreChoices,
  hosts: readonly string[],
): string | null {
  const databases = Object.values(choices.databases).filter((choice) => choice.on);
  const files = Object.values(choices.files).filter(Boolean);
  if (databases.length === 0 && files.length === 0 && !choices.secrets)
    return 'Choose at least one database, file or the secrets to restore';
  for (const { target } of databases) {
    const problem = databaseProblem(target);
    if (problem) return `${target.name}: ${problem}`;
    if (!hosts.includes(target.host))
      return `${target.name}: no host ${target.host} in this vault; choose another or add it under Hosts`;
  }
  for (const part of report.parts) {
    if (part.kind === 'config' && choices.files[part.entry] && !hosts.includes(part.host))
      return `${part.path}: no host ${part.host} in this vault; add it under Hosts first`;
  }
  if (choices.secrets) {
    const undecided = conflictsOf(report).filter((item) => !choices.conflicts[item.ref]);
    if (undecided.length > 0)
      return `Choose which value stays current for ${undecided.map((item) => item.ref).join(', ')}`;
  }
  return null;
}

/** The restore call's input for these choices (without the file and how to open it). */
export function restoreRequest(
  report: VerifiedBundle,
  choices: RestoreChoices,
): Omit<MethodInput<'backups.restore'>, 'file' | 'passphrase' | 'key'> {
  const databases: DatabaseSource[] = [];
  const files: { host: string; path: string }[] = [];
  for (const part of report.parts) {
    if (part.kind === 'database') {
      const database = choices.databases[part.entry];
      if (database?.on) databases.push({ ...database.target, name: part.name });
    } else if (part.kind === 'config' && choices.files[part.entry]) {
      files.push({ host: part.host, path: part.path });
    }
  }
  return {
    databases,
    files,
    secrets: choices.secrets,
    choices: choices.secrets ? choices.conflicts : {},
  };
}
