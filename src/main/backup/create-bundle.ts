import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { RekeyError } from '../../shared/errors';
import type { Connector } from '../connectors/connector';
import { BundleFileWriter } from './bundle-file';
import { type BundleEntry, type WrittenEntry, bufferEntry, writeBundleTar } from './bundle-tar';
import { type DatabaseSource, type PreparedDump, prepareDump } from './database-dump';
import { HashingPassThrough } from './hash-thread';
import { type EncryptTo, encryptStream } from './openpgp';
import { SECRETS_DOCUMENT } from './secrets-document';

/**
 * Creates `<deployment>-<UTC time>.rekey.tar.gpg`: database dumps, config files and the
 * deployment's secrets in a tar stream, encrypted as it is written. The file appears under its
 * name only when complete: it is written as a hidden partial file, fsynced and renamed.
 */

export const BUNDLE_SUFFIX = '.rekey.tar.gpg';
export const MANIFEST_FORMAT = 1;

export interface ConfigFileSource {
  host: string;
  path: string;
}

export interface BundleRequest {
  deployment: string;
  databases: readonly DatabaseSource[];
  files: readonly ConfigFileSource[];
  /** secrets.json content, or null to leave the secrets out. */
  secrets: Buffer | null;
  encryptTo: EncryptTo;
  /** Fingerprints of the recipients' keys, for the manifest. */
  recipientFingerprints: readonly string[];
  destinationDir: string;
  toolVersion: string;
  now: Date;
}

export interface BundleProgress {
  /** The part being written: an entry name, or `encrypting`/`syncing`. */
  part: string;
  /** Bytes of plaintext bundled so far, over all parts. */
  bytes: number;
  /** Known once the sizes of every part are (after the dumps ran). */
  totalBytes: number | null;
}

export interface CreatedBundle {
  file: string;
  /** Bytes of the encrypted file and its SHA-256. */
  size: number;
  sha256: string;
  entries: WrittenEntry[];
}

export interface BundleDeps {
  connector(host: string): Promise<Connector>;
  redact(text: string): string;
  onProgress?(progress: BundleProgress): void;
}

function bundleName(deployment: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${deployment}-${stamp}${BUNDLE_SUFFIX}`;
}

/** Where a config file goes inside the bundle: `config/<host>/<path without the leading />`. */
export function configEntryName(file: ConfigFileSource): string {
  return `config/${file.host}/${file.path.replace(/^\/+/, '')}`;
}

export async function createBundle(
  request: BundleRequest,
  deps: BundleDeps,
): Promise<CreatedBundle> {
  const dumps: PreparedDump[] = [];
  const name = bundleName(request.deployment, request.now);
  const file = join(request.destinationDir, name);
  const partial = join(
    request.destinationDir,
    `.${name}.${randomBytes(4).toString('hex')}.partial`,
  );
  try {
    const entries: BundleEntry[] = [];
    const sources: Record<string, object> = {};
    for (const database of request.databases) {
      deps.onProgress?.({ part: `dumping ${database.name}`, bytes: 0, totalBytes: null });
      const dump = await prepareDump(await deps.connector(database.host), database, deps.redact);
      dumps.push(dump);
      entries.push(dump.entry);
      // Where it came from, so a restore can offer the same place (the password's secret by
      // name only).
      sources[dump.entry.name] = {
        kind: 'database',
        host: database.host,
        database: database.database,
        ...(database.connection ? { connection: database.connection } : {}),
        ...(database.via ? { via: database.via } : {}),
        ...(database.passwordRef ? { passwordRef: database.passwordRef } : {}),
      };
    }
    for (const config of request.files) {
      const connector = await deps.connector(config.host);
      const entry = bufferEntry(configEntryName(config), await connector.readFile(config.path));
      entries.push(entry);
      sources[entry.name] = { kind: 'config', host: config.host, path: config.path };
    }
    if (request.secrets) {
      entries.push(bufferEntry(SECRETS_DOCUMENT, request.secrets));
      sources[SECRETS_DOCUMENT] = { kind: 'secrets', deployment: request.deployment };
    }
    if (entries.length === 0) {
      throw new RekeyError(
        'INVALID_INPUT',
        'Nothing to back up: choose databases, files or the secrets',
      );
    }
    const totalBytes = entries.reduce((sum, entry) => sum + entry.size, 0);
    const done = new Map<string, number>();
    const { tar, written } = writeBundleTar(
      entries,
      (list) => ({
        format: MANIFEST_FORMAT,
        tool: { name: 'rekey', version: request.toolVersion },
        deployment: request.deployment,
        createdAt: request.now.toISOString(),
        encryption: {
          passphrase: request.encryptTo.passphrase !== undefined,
          recipients: request.recipientFingerprints,
        },
        contents: list.map((entry) => ({ ...entry, source: sources[entry.name] ?? null })),
      }),
      (part, bytes) => {
        done.set(part, bytes);
        const sum = [...done.values()].reduce((total, value) => total + value, 0);
        deps.onProgress?.({ part, bytes: sum, totalBytes });
      },
    );
    const ciphertext = await encryptStream(tar, request.encryptTo);
    // SHA-256 and size of the encrypted file, hashed on a thread beside the encryption.
    const measure = new HashingPassThrough('sha256');
    await Promise.all([
      pipeline(ciphertext, measure, new BundleFileWriter(partial, 0o600)),
      written,
    ]).catch((error: unknown) => {
      measure.hash.discard(); // its thread goes, rather than waiting for a digest forever
      throw error;
    });
    deps.onProgress?.({ part: 'syncing', bytes: totalBytes, totalBytes });
    const sha256 = (await measure.hash.digest()).toString('hex');
    const handle = await open(partial, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(partial, file);
    await syncDirectory(request.destinationDir);
    return {
      file,
      size: measure.bytes,
      sha256,
      entries: await written,
    };
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    for (const dump of dumps) await dump.cleanUp().catch(() => undefined);
  }
}

/** The rename reaches the disk only once the directory is synced too. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
