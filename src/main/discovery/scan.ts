import { posix } from 'node:path';
import { RekeyError } from '../../shared/errors';
import type { Strength } from '../../shared/model';
import type { Connector } from '../connectors/connector';
import { type FormatName, formatByName, formatForPath } from '../formats/format';
import {
  type KnownSecret,
  isCandidateFile,
  isKnownIdentifier,
  knownSecretFor,
} from './known-secrets';
import { looksSecret } from './secret-keys';

/**
 * Finds secrets in the config files of a host: walks the given directories (read-only, through
 * the host's connector), reads the files services keep their secrets in, and reports each
 * secret-looking entry with its file, key, strength and fingerprint. Values stay in the main
 * process: a finding that leaves it carries only what the caller maps into the contract.
 */

export interface ScanLimits {
  maxDepth: number;
  maxFiles: number;
  maxFileBytes: number;
}

export const DEFAULT_LIMITS: ScanLimits = { maxDepth: 4, maxFiles: 2000, maxFileBytes: 1 << 20 };

/** Never worth descending into: caches, VCS data, kernel views, container layers. */
const SKIPPED_DIRECTORIES = new Set([
  '.git',
  'node_modules',
  '.cache',
  'proc',
  'sys',
  'dev',
  'overlay2',
  'containerd',
  'snapshots',
]);

export interface FoundSecret {
  path: string;
  format: FormatName;
  key: string;
  line: number;
  known: KnownSecret | undefined;
  /** Stays in the main process; only its strength and fingerprint are reported. */
  value: string;
}

export interface ScanReport {
  filesRead: number;
  found: FoundSecret[];
  /** Files or directories that could not be read, with the reason (never content). */
  skipped: { path: string; reason: string }[];
}

export async function scanHost(
  connector: Connector,
  directories: readonly string[],
  limits: ScanLimits = DEFAULT_LIMITS,
): Promise<ScanReport> {
  const report: ScanReport = { filesRead: 0, found: [], skipped: [] };
  const files: string[] = [];
  const walk = async (directory: string, depth: number): Promise<void> => {
    let names: string[];
    try {
      names = (await connector.list(directory)).sort();
    } catch (error) {
      report.skipped.push({ path: directory, reason: reasonOf(error) });
      return;
    }
    for (const name of names) {
      if (files.length >= limits.maxFiles) return;
      const path = posix.join(directory, name);
      const stat = await connector.stat(path).catch(() => null);
      if (!stat) continue;
      if (stat.isDirectory && depth < limits.maxDepth && !SKIPPED_DIRECTORIES.has(name)) {
        await walk(path, depth + 1);
      } else if (stat.isFile && isCandidateFile(name)) {
        if (stat.size > limits.maxFileBytes) {
          report.skipped.push({ path, reason: `larger than ${limits.maxFileBytes} bytes` });
        } else {
          files.push(path);
        }
      }
    }
  };
  for (const directory of directories) {
    if (!directory.startsWith('/')) {
      throw new RekeyError('INVALID_INPUT', `Scan directories must be absolute: ${directory}`);
    }
    await walk(posix.normalize(directory), 0);
  }

  for (const path of files) {
    let text: string;
    try {
      text = (await connector.readFile(path)).toString('utf8');
    } catch (error) {
      report.skipped.push({ path, reason: reasonOf(error) });
      continue;
    }
    report.filesRead++;
    const format = formatForPath(path);
    const fileName = posix.basename(path);
    let entries;
    try {
      entries = formatByName(format).entries(text);
    } catch (error) {
      report.skipped.push({ path, reason: reasonOf(error) });
      continue;
    }
    for (const entry of entries) {
      const known = knownSecretFor(fileName, entry.key);
      if (!known && (isKnownIdentifier(entry.key) || !looksSecret(entry.key, entry.value)))
        continue;
      if (entry.value.length === 0) continue;
      report.found.push({
        path,
        format,
        key: entry.key,
        line: entry.line,
        known,
        value: entry.value,
      });
    }
  }
  return report;
}

function reasonOf(error: unknown): string {
  return error instanceof RekeyError ? error.message : 'unreadable';
}

/** Inventory name for a finding: the service's own name for it, else the key's last parts. */
export function suggestedName(found: FoundSecret): string {
  if (found.known) return found.known.name;
  // `services.db.environment.POSTGRES_PASSWORD` in a compose file: `db.POSTGRES_PASSWORD`.
  const composeVariable = /^services\.([^.]+)\.environment\.([^.]+)$/.exec(found.key);
  if (composeVariable) return `${composeVariable[1]}.${composeVariable[2]}`;
  const name = found.key.replace(/[^A-Za-z0-9._:@/-]/g, '_').slice(0, 128);
  return /^[A-Za-z0-9_]/.test(name) ? name : `_${name}`.slice(0, 128);
}

/** Weak for discovery: too little entropy, a placeholder or an upstream default. */
export function weakReasons(strength: Strength): string[] {
  return strength.rating === 'weak' ? strength.problems : [];
}
