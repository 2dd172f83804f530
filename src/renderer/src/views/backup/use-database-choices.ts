import { useEffect, useState } from 'react';
import { call, errorMessage } from '../../api/client';
import { type DatabaseSource, databaseProblem } from './DatabaseFields';

export interface AddedDatabase {
  key: number;
  source: DatabaseSource;
}

const DUMP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Each chosen database gets a distinct dump name (`dumps/<name>.dump`) from its own name. */
function withDumpNames(sources: readonly DatabaseSource[]): DatabaseSource[] {
  const taken = new Set<string>();
  return sources.map((source) => {
    const wanted = source.name || source.database.replace(/[^A-Za-z0-9._-]/g, '_');
    const base = DUMP_NAME.test(wanted) ? wanted : 'database';
    let name = base;
    for (let n = 2; taken.has(name); n += 1) name = `${base}-${n}`;
    taken.add(name);
    return { ...source, name };
  });
}

export const databaseKey = (source: DatabaseSource) =>
  JSON.stringify([source.host, source.database, source.via ?? []]);

/**
 * The databases a bundle will dump: those the deployment's playbook reaches (offered, ticked),
 * plus any the user adds by hand. Lives in the wizard, so the choice survives moving between
 * steps; a new deployment starts over.
 */
export function useDatabaseChoices(deployment: string, defaultHost: string) {
  const [suggested, setSuggested] = useState<{ for: string; list: DatabaseSource[] | null }>({
    for: '',
    list: null,
  });
  const [error, setError] = useState<string | null>(null);
  const [unticked, setUnticked] = useState<ReadonlySet<string>>(new Set());
  const [added, setAdded] = useState<AddedDatabase[]>([]);
  const [nextKey, setNextKey] = useState(1);

  useEffect(() => {
    setUnticked(new Set());
    setAdded([]);
    setError(null);
    if (!deployment) return undefined;
    let current = true;
    call('backups.databases', { deployment })
      .then((list) => current && setSuggested({ for: deployment, list }))
      .catch((failure: unknown) => {
        if (!current) return;
        setSuggested({ for: deployment, list: [] });
        setError(errorMessage(failure));
      });
    return () => {
      current = false;
    };
  }, [deployment]);

  const offered = suggested.for === deployment ? suggested.list : null;
  const chosen = withDumpNames([
    ...(offered ?? []).filter((source) => !unticked.has(databaseKey(source))),
    ...added.map((item) => item.source),
  ]);
  const problems = added.map((item) => databaseProblem(item.source));

  return {
    offered,
    error,
    unticked,
    added,
    chosen,
    problem: problems.find((problem) => problem !== null) ?? null,
    toggle(source: DatabaseSource, on: boolean) {
      setUnticked((before) => {
        const next = new Set(before);
        if (on) next.delete(databaseKey(source));
        else next.add(databaseKey(source));
        return next;
      });
    },
    add() {
      setAdded((before) => [
        ...before,
        { key: nextKey, source: { name: '', host: defaultHost, database: '' } },
      ]);
      setNextKey((key) => key + 1);
    },
    update(key: number, source: DatabaseSource) {
      setAdded((before) => before.map((item) => (item.key === key ? { key, source } : item)));
    },
    remove(key: number) {
      setAdded((before) => before.filter((item) => item.key !== key));
    },
  };
}

export type DatabaseChoicesState = ReturnType<typeof useDatabaseChoices>;
