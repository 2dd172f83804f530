import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { RekeyError } from '../../shared/errors';
import type { Connector } from '../connectors/connector';
import { MANIFEST, SUMS } from './bundle-tar';
import type { ConfigFileSource } from './create-bundle';
import { configEntryName } from './create-bundle';
import type { DecryptWith } from './openpgp';
import { SECRETS_DOCUMENT, type SecretsDocument, parseSecretsDocument } from './secrets-document';
import { type VerifyReport, collect, drain, readBundle, verifyBundle } from './verify-bundle';

/**
 * Restores a bundle: the database dumps into the databases the user chose
 * (`pg_restore --clean --if-exists`), the config files back where they came from (each
 * replaced file kept as a backup), and the secrets handed back for the vault to merge. The
 * bundle is copied to a private file and verified first; only a copy that verified is read
 * again to restore, so a corrupted or swapped bundle never leads to a partial restore.
 */

export interface DatabaseTarget {
  /** The dump's name in the bundle (`dumps/<name>.dump`). */
  name: string;
  host: string;
  database: string;
  connection?: { host?: string; port?: string; user?: string };
  via?: readonly string[];
  password?: string;
}

export interface RestoreRequest {
  file: string;
  using: DecryptWith;
  databases: readonly DatabaseTarget[];
  /** Config files to put back (as listed in the manifest); none when empty. */
  files: readonly ConfigFileSource[];
  /** Read secrets.json (the caller merges it into the vault). */
  secrets: boolean;
  /**
   * Called with secrets.json once the bundle verified and before anything is written: a throw
   * (e.g. a secret conflict without a choice) stops the restore with nothing changed.
   */
  beforeWrite?(secrets: SecretsDocument): Promise<void> | void;
  /** `verifying`, then `restoring <entry>`; bytes of the encrypted file read in that pass. */
  onProgress?(part: string, bytes: number, total: number): void;
}

export interface RestoreResult {
  verified: VerifyReport;
  databases: string[];
  files: { host: string; path: string; backupPath: string | null }[];
  secrets: SecretsDocument | null;
}

const RESTORE_TIMEOUT_MS = 6 * 60 * 60 * 1000;

export async function restoreBundle(
  request: RestoreRequest,
  deps: { connector(host: string): Promise<Connector>; redact(text: string): string },
): Promise<RestoreResult> {
  const dir = await mkdtemp(join(tmpdir(), 'rekey-restore-'));
  try {
    const copy = join(dir, 'bundle.rekey.tar.gpg');
    await copyFile(request.file, copy);
    // The verify pass also keeps secrets.json (small): conflicts are settled before any write.
    const progress = request.onProgress;
    const verified = await verifyBundle(
      copy,
      request.using,
      progress && ((bytes, total) => progress('verifying', bytes, total)),
    );
    if (!verified.ok) {
      throw new RekeyError(
        'FORMAT_ERROR',
        `The bundle did not verify; nothing was restored:\n- ${verified.problems.join('\n- ')}`,
      );
    }
    checkRequested(request, verified);
    const document =
      request.secrets && verified.secrets ? parseSecretsDocument(verified.secrets) : null;
    if (document) await request.beforeWrite?.(document);
    const wantedFiles = new Map(request.files.map((file) => [configEntryName(file), file]));
    const wantedDumps = new Map(
      request.databases.map((target) => [`dumps/${target.name}.dump`, target]),
    );
    const restoredDatabases: string[] = [];
    const configContents = new Map<string, Buffer>();
    let part = 'restoring';
    let read = { bytes: 0, total: verified.size };
    await readBundle(copy, request.using, {
      onProgress:
        progress &&
        ((bytes, total) => {
          read = { bytes, total };
          progress(part, bytes, total);
        }),
      onEntry: async (name, data) => {
        const target = wantedDumps.get(name);
        if (target) {
          // Told at once: the file is read ahead of the archive, so a byte count may not come.
          part = `restoring ${name}`;
          progress?.(part, read.bytes, read.total);
          await pgRestore(await deps.connector(target.host), target, data, deps.redact);
          restoredDatabases.push(`${target.database} on ${target.host}`);
          return;
        }
        if (wantedFiles.has(name)) {
          configContents.set(name, await collect(data));
          return;
        }
        await drain(data);
      },
    });
    const files: RestoreResult['files'] = [];
    for (const [name, file] of wantedFiles) {
      const content = configContents.get(name);
      if (!content) continue;
      const connector = await deps.connector(file.host);
      const written = await connector.writeFile(file.path, content);
      files.push({ host: file.host, path: file.path, backupPath: written.backupPath });
    }
    return {
      verified,
      databases: restoredDatabases,
      files,
      secrets: document,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every dump and file asked for is in the bundle; asking for what is not there is refused. */
function checkRequested(request: RestoreRequest, verified: VerifyReport): void {
  const names = new Set(verified.entries.map((entry) => entry.name));
  const missing = [
    ...request.databases.map((target) => `dumps/${target.name}.dump`),
    ...request.files.map(configEntryName),
    ...(request.secrets ? [SECRETS_DOCUMENT] : []),
  ].filter((name) => !names.has(name) && name !== MANIFEST && name !== SUMS);
  if (missing.length > 0) {
    throw new RekeyError(
      'NOT_FOUND',
      `The bundle holds no ${missing.join(', ')}; nothing was restored`,
    );
  }
}

async function pgRestore(
  connector: Connector,
  target: DatabaseTarget,
  dump: Readable,
  redact: (text: string) => string,
): Promise<void> {
  const options: string[] = [];
  if (target.connection?.host) options.push('-h', target.connection.host);
  if (target.connection?.port) options.push('-p', target.connection.port);
  if (target.connection?.user) options.push('-U', target.connection.user);
  const command = await connector.execStream({
    argv: [
      ...(target.via ?? []),
      'pg_restore',
      '--clean',
      '--if-exists',
      '--no-password',
      '--exit-on-error',
      ...options,
      '-d',
      target.database,
    ],
    env: target.password === undefined ? undefined : { PGPASSWORD: target.password },
    input: dump,
    timeoutMs: RESTORE_TIMEOUT_MS,
  });
  command.stdout.resume();
  const result = await command.done;
  if (result.code !== 0) {
    const stderr = redact(result.stderr.trim().split('\n').slice(-3).join(' / '));
    throw new RekeyError(
      'REMOTE_FAILED',
      `pg_restore into ${target.database} on ${connector.name} failed (exit ${result.code ?? result.signal ?? '?'}): ${stderr}`,
    );
  }
}
