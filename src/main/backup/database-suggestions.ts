import type { DatabaseSourceInput } from '../../shared/backup-api';
import { planRotation } from '../rotation/planner';
import { type VaultState, refOf } from '../vault/state';

/**
 * The databases a backup of a deployment should offer: the ones its playbook already reaches
 * to change passwords (the `sql` steps: host, database, admin user, and the command that enters
 * the database's container). A secret whose plan cannot be made (a variable missing, no
 * playbook) simply contributes nothing; the user can still enter a database by hand.
 */

const DUMP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function dumpName(database: string, taken: ReadonlySet<string>): string {
  const base = DUMP_NAME.test(database) ? database : 'database';
  let name = base;
  for (let n = 2; taken.has(name); n += 1) name = `${base}-${n}`;
  return name;
}

export function suggestDatabases(
  state: Readonly<VaultState>,
  deployment: string,
): DatabaseSourceInput[] {
  const found = new Map<string, DatabaseSourceInput>();
  const names = new Set<string>();
  for (const secret of state.secrets.values()) {
    if (secret.deployment !== deployment) continue;
    let steps;
    try {
      steps = planRotation(state, [refOf(secret)]).steps;
    } catch {
      continue;
    }
    for (const { action } of steps) {
      if (action.kind !== 'sql') continue;
      const database = action.connection.database ?? 'postgres';
      const key = JSON.stringify([action.host, database, action.connection, action.via ?? []]);
      if (found.has(key)) continue;
      const name = dumpName(database, names);
      names.add(name);
      const { host, port, user } = action.connection;
      const connection = {
        ...(host ? { host } : {}),
        ...(port ? { port } : {}),
        ...(user ? { user } : {}),
      };
      found.set(key, {
        name,
        host: action.host,
        database,
        ...(Object.keys(connection).length > 0 ? { connection } : {}),
        ...(action.via ? { via: [...action.via] } : {}),
      });
    }
  }
  return [...found.values()];
}
