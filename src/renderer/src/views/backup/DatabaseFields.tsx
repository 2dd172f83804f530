import { useState } from 'react';
import type { DatabaseSourceInput } from '../../../../shared/backup-api';
import { Field } from '../../components/Field';

export type DatabaseSource = DatabaseSourceInput;

type Connection = NonNullable<DatabaseSource['connection']>;

/** A command prefix as typed: words split on spaces, as the CLI's --via-for does. */
export function parseVia(text: string): string[] | undefined {
  const words = text.trim().split(/\s+/).filter(Boolean);
  return words.length > 0 ? words : undefined;
}

/** One line that says where a database is, for lists and confirmations. */
export function describeDatabase(source: DatabaseSource): string {
  const via = source.via ? ` via ${source.via.join(' ')}` : '';
  return `${source.database} on ${source.host}${via}`;
}

/** A problem that stops this database from being used, in words; null when it is complete. */
export function databaseProblem(source: DatabaseSource): string | null {
  if (!source.host) return 'Choose the host the database runs on';
  if (!source.database.trim()) return 'Enter the database name';
  if (source.connection?.port && !/^\d{1,5}$/.test(source.connection.port))
    return 'The port is a number';
  return null;
}

function withConnection(source: DatabaseSource, change: Partial<Connection>): DatabaseSource {
  const merged: Connection = { ...source.connection, ...change };
  const connection = Object.fromEntries(
    Object.entries(merged).filter(([, value]) => value !== undefined && value !== ''),
  ) as Connection;
  const { connection: _dropped, ...rest } = source;
  return Object.keys(connection).length > 0 ? { ...rest, connection } : rest;
}

/**
 * Where a database is and how to reach it: the host (of the vault, or this machine), the
 * database, libpq settings, a command prefix that enters its container (e.g.
 * `docker compose exec -T db`), and the secret holding its password. Used to add a database
 * to a backup and to choose where a dump is restored.
 */
export function DatabaseFields(props: {
  value: DatabaseSource;
  onChange(value: DatabaseSource): void;
  hosts: readonly string[];
  /** Refs of secrets that may hold the password. */
  secrets: readonly string[];
  testId: string;
}) {
  const { value, onChange } = props;
  // The prefix as typed (spaces included); the source gets its words.
  const [viaText, setViaText] = useState(value.via?.join(' ') ?? '');
  const hostOptions = props.hosts.includes(value.host) ? props.hosts : [value.host, ...props.hosts];
  return (
    <div className="database-fields" data-testid={props.testId}>
      <div className="grid-2">
        <Field label="Host">
          <select
            value={value.host}
            onChange={(event) => onChange({ ...value, host: event.target.value })}
            data-testid="database-host"
          >
            {hostOptions.map((host) => (
              <option key={host} value={host}>
                {host === 'local' ? 'local (this machine)' : host}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Database">
          <input
            value={value.database}
            onChange={(event) => onChange({ ...value, database: event.target.value.trim() })}
            spellCheck={false}
            className="mono"
            data-testid="database-name"
          />
        </Field>
      </div>
      <div className="grid-3">
        <Field label="Server or socket dir" hint="libpq host; empty: the default">
          <input
            value={value.connection?.host ?? ''}
            onChange={(event) => onChange(withConnection(value, { host: event.target.value }))}
            spellCheck={false}
            className="mono"
            data-testid="database-server"
          />
        </Field>
        <Field label="Port">
          <input
            value={value.connection?.port ?? ''}
            onChange={(event) =>
              onChange(withConnection(value, { port: event.target.value.trim() }))
            }
            inputMode="numeric"
            className="mono"
            data-testid="database-port"
          />
        </Field>
        <Field label="User">
          <input
            value={value.connection?.user ?? ''}
            onChange={(event) =>
              onChange(withConnection(value, { user: event.target.value.trim() }))
            }
            spellCheck={false}
            className="mono"
            data-testid="database-user"
          />
        </Field>
      </div>
      <div className="grid-2">
        <Field label="Run through" hint="e.g. docker compose exec -T db; empty: directly">
          <input
            value={viaText}
            onChange={(event) => {
              setViaText(event.target.value);
              const via = parseVia(event.target.value);
              const { via: _dropped, ...rest } = value;
              onChange(via ? { ...rest, via } : rest);
            }}
            spellCheck={false}
            className="mono"
            data-testid="database-via"
          />
        </Field>
        <Field label="Password from">
          <select
            value={value.passwordRef ?? ''}
            onChange={(event) => {
              const { passwordRef: _dropped, ...rest } = value;
              onChange(event.target.value ? { ...rest, passwordRef: event.target.value } : rest);
            }}
            data-testid="database-password"
          >
            <option value="">No password (peer, trust or .pgpass)</option>
            {props.secrets.map((ref) => (
              <option key={ref} value={ref}>
                {ref}
              </option>
            ))}
          </select>
        </Field>
      </div>
    </div>
  );
}
