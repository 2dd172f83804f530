import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { RekeyError } from '../../shared/errors';
import { SECRET_NAME } from '../../shared/model';
import { looksSecret } from '../discovery/secret-keys';
import type { Candidate, ReadResult, SourceProblem } from './candidate';

/**
 * The `environment:` blocks of a docker compose file, per service, in both forms compose
 * accepts: a map (`KEY: value`) and a list (`- KEY=value`). A key without a value, or a value
 * that compose interpolates (`${VAR}`), is not a secret we can read here: it is reported, not
 * guessed. The same key in two services becomes `service.KEY` for both, so neither is lost.
 */
export function readCompose(text: string, file: string, all: boolean): ReadResult {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  const [error] = document.errors;
  if (error) throw new RekeyError('FORMAT_ERROR', `${file} is not valid YAML: ${error.message}`);
  const services = document.get('services');
  if (!isMap(services)) {
    throw new RekeyError('FORMAT_ERROR', `${file} has no services: it is not a compose file`);
  }
  const found: { service: string; key: string; value: string; source: string }[] = [];
  const problems: SourceProblem[] = [];
  for (const pair of services.items) {
    const service = String(isScalar(pair.key) ? pair.key.value : pair.key);
    const environment = isMap(pair.value) ? pair.value.get('environment', true) : undefined;
    for (const [key, value] of environmentEntries(environment)) {
      const source = `${file}: services.${service}.environment.${key}`;
      const problem = problemOf(key, value, all);
      if (problem) problems.push({ source, reason: problem });
      // `$$` is compose's escape for a literal `$`.
      else found.push({ service, key, value: (value as string).replace(/\$\$/g, '$'), source });
    }
  }
  const keyCount = new Map<string, number>();
  for (const { key } of found) keyCount.set(key, (keyCount.get(key) ?? 0) + 1);
  const candidates = found.map(({ service, key, value, source }): Candidate => ({
    name: (keyCount.get(key) ?? 0) > 1 ? `${service}.${key}` : key,
    value,
    deployment: null,
    service,
    notes: '',
    source,
  }));
  return { candidates, problems };
}

function problemOf(key: string, value: string | null, all: boolean): string | null {
  if (value === null) return 'no value in the file (compose takes it from the shell)';
  if (value === '') return 'empty value';
  if (/\$\{?[A-Za-z_]/.test(value.replace(/\$\$/g, '')))
    return 'interpolated by compose from the environment; import the .env that sets it';
  if (!all && !looksSecret(key, value))
    return 'does not look like a secret (import all keys to include it)';
  if (!SECRET_NAME.test(key)) return 'not a valid secret name';
  return null;
}

/** Both compose forms as [key, value] pairs; value null when the file gives none. */
function environmentEntries(node: unknown): [string, string | null][] {
  if (isMap(node)) {
    return node.items.map((pair) => {
      const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
      const raw = isScalar(pair.value) ? pair.value.value : pair.value;
      return [key, raw === null || raw === undefined ? null : String(raw)];
    });
  }
  if (isSeq(node)) {
    return node.items.map((item) => {
      const text = String(isScalar(item) ? item.value : item);
      const equals = text.indexOf('=');
      return equals < 0 ? [text, null] : [text.slice(0, equals), text.slice(equals + 1)];
    });
  }
  return [];
}
