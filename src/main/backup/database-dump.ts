import { RekeyError } from '../../shared/errors';
import type { Connector } from '../connectors/connector';
import type { BundleEntry } from './bundle-tar';

/**
 * A PostgreSQL dump for a bundle. `pg_dump -Fc` (already compressed) writes into a private
 * temporary directory on the host that runs the database, so the bundle's tar entry knows its
 * size before it starts, and the dump then streams from the host through tar and encryption
 * without the Rekey machine ever holding it unencrypted. The directory is removed afterwards,
 * whatever happened.
 */

export interface DatabaseSource {
  /** The name of the dump in the bundle: `dumps/<name>.dump`. */
  name: string;
  host: string;
  database: string;
  /** libpq settings (PGHOST, PGPORT, PGUSER) unless `via` runs pg_dump inside a container. */
  connection?: { host?: string; port?: string; user?: string };
  /** A command prefix that reaches the database, e.g. `docker compose exec -T db`. */
  via?: readonly string[];
  /** The password, from the vault: given to pg_dump in its environment, never in argv. */
  password?: string;
  /** The secret the password came from (its name goes in the manifest, never its value). */
  passwordRef?: string;
}

export interface PreparedDump {
  entry: BundleEntry;
  /** Removes the host's temporary copy; safe to call twice. */
  cleanUp(): Promise<void>;
}

const DUMP_TIMEOUT_MS = 6 * 60 * 60 * 1000;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function libpqOptions(source: DatabaseSource): string[] {
  const options: string[] = [];
  if (source.connection?.host) options.push('-h', source.connection.host);
  if (source.connection?.port) options.push('-p', source.connection.port);
  if (source.connection?.user) options.push('-U', source.connection.user);
  return options;
}

/** Runs pg_dump into a private file on the host and returns the entry that streams it. */
export async function prepareDump(
  connector: Connector,
  source: DatabaseSource,
  redact: (text: string) => string,
): Promise<PreparedDump> {
  if (!NAME.test(source.name)) {
    throw new RekeyError(
      'INVALID_INPUT',
      `"${source.name}" cannot name a dump (letters, digits, ".", "_", "-")`,
    );
  }
  const made = await connector.exec({
    argv: ['mktemp', '-d', '-t', 'rekey-dump.XXXXXXXX'],
    timeoutMs: 30_000,
  });
  const dir = made.stdout.trim();
  if (made.code !== 0 || !dir.startsWith('/')) {
    throw new RekeyError(
      'REMOTE_FAILED',
      `Cannot make a private directory on ${connector.name}: ${redact(made.stderr.trim())}`,
    );
  }
  const path = `${dir}/${source.name}.dump`;
  let removed = false;
  const cleanUp = async () => {
    if (removed) return;
    removed = true;
    await connector.exec({ argv: ['rm', '-rf', '--', dir], timeoutMs: 60_000 });
  };
  try {
    const pgDump = [
      ...(source.via ?? []),
      'pg_dump',
      '-Fc',
      '--no-password',
      ...libpqOptions(source),
      '-d',
      source.database,
    ];
    // The redirection is the shell's; pg_dump's words stay words ("$@"), nothing is interpolated.
    const dumped = await connector.exec({
      argv: ['sh', '-c', 'umask 077 && out="$0" && exec "$@" > "$out"', path, ...pgDump],
      env: source.password === undefined ? undefined : { PGPASSWORD: source.password },
      timeoutMs: DUMP_TIMEOUT_MS,
    });
    if (dumped.code !== 0) {
      const stderr = redact(dumped.stderr.trim().split('\n').slice(-3).join(' / '));
      throw new RekeyError(
        'REMOTE_FAILED',
        `pg_dump of ${source.database} on ${connector.name} failed (exit ${dumped.code ?? dumped.signal ?? '?'}): ${stderr}`,
      );
    }
    const opened = await connector.openRead(path);
    let used = false;
    return {
      entry: {
        name: `dumps/${source.name}.dump`,
        size: opened.size,
        mode: 0o600,
        open: async () => {
          // The stream opened to learn the size is the one bundled: the file cannot be swapped.
          if (used) return (await connector.openRead(path)).stream;
          used = true;
          return opened.stream;
        },
      },
      cleanUp,
    };
  } catch (error) {
    await cleanUp().catch(() => undefined);
    throw error;
  }
}
