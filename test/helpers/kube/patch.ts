import { type JsonObject, clone, deepEqual, isObject } from './json';

/**
 * The three patch formats the API server accepts for built-in kinds: JSON merge patch
 * (RFC 7386), strategic merge patch (merge patch plus merging of keyed lists and `$patch`
 * directives, with the merge keys of the built-in types) and JSON patch (RFC 6902).
 */

export class PatchError extends Error {
  constructor(
    message: string,
    /** A failed `test` operation: the server answers 409, a precondition that did not hold. */
    readonly testFailed = false,
  ) {
    super(message);
  }
}

/** RFC 7386. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const result: JsonObject = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) Reflect.deleteProperty(result, key);
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/**
 * patchMergeKey of the list fields of the built-in types that have one (k8s.io/api struct
 * tags `patchStrategy:"merge" patchMergeKey:"..."`). Lists not named here are replaced whole,
 * as a JSON merge patch does; `finalizers` is a merged list of scalars.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  ports: 'containerPort',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  conditions: 'type',
  ownerReferences: 'uid',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
};
const MERGED_SCALAR_LISTS = new Set(['finalizers']);

const DIRECTIVE = '$patch';
const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';
const RETAIN_KEYS = '$retainKeys';

export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) throw new PatchError('the strategic merge patch is not an object');
  return strategicMap(isObject(target) ? target : {}, patch);
}

function strategicMap(target: JsonObject, patch: JsonObject): JsonObject | undefined {
  const directive = patch[DIRECTIVE];
  if (directive === 'delete') return undefined;
  const rest = Object.fromEntries(Object.entries(patch).filter(([key]) => key !== DIRECTIVE));
  if (directive === 'replace') return withoutDirectives(rest) as JsonObject;
  if (directive !== undefined) throw new PatchError(`unknown patch type: ${String(directive)}`);
  const result = clone(target);
  const retain = rest[RETAIN_KEYS];
  for (const [key, value] of Object.entries(rest)) {
    if (key === RETAIN_KEYS || key.startsWith(SET_ORDER)) continue;
    if (key.startsWith(DELETE_FROM)) {
      const field = key.slice(DELETE_FROM.length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value)) {
        result[field] = current.filter((item) => !value.some((gone) => deepEqual(gone, item)));
      }
      continue;
    }
    if (value === null) {
      Reflect.deleteProperty(result, key);
    } else if (Array.isArray(value)) {
      result[key] = strategicList(key, result[key], value);
    } else if (isObject(value)) {
      const merged = strategicMap(isObject(result[key]) ? (result[key] as JsonObject) : {}, value);
      if (merged === undefined) Reflect.deleteProperty(result, key);
      else result[key] = merged;
    } else {
      result[key] = value;
    }
  }
  if (Array.isArray(retain)) {
    for (const key of Object.keys(result))
      if (!retain.includes(key)) Reflect.deleteProperty(result, key);
  }
  return result;
}

function strategicList(field: string, target: unknown, patch: unknown[]): unknown[] {
  const current = Array.isArray(target) ? clone(target) : [];
  if (MERGED_SCALAR_LISTS.has(field)) {
    return [...current, ...patch.filter((item) => !current.some((have) => deepEqual(have, item)))];
  }
  const key = MERGE_KEYS[field];
  const replaceAll = patch.some((item) => isObject(item) && item[DIRECTIVE] === 'replace');
  if (!key || replaceAll) {
    return patch
      .filter((item) => !(isObject(item) && item[DIRECTIVE] === 'replace'))
      .map(withoutDirectives);
  }
  const result = current;
  for (const item of patch) {
    if (!isObject(item)) throw new PatchError(`the list ${field} holds objects keyed by ${key}`);
    const index = result.findIndex((have) => isObject(have) && deepEqual(have[key], item[key]));
    if (item[DIRECTIVE] === 'delete') {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      result[index] = strategicMap(result[index] as JsonObject, item);
    } else {
      result.push(strategicMap({}, item));
    }
  }
  return result;
}

function withoutDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDirectives);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(
        ([key]) =>
          key !== DIRECTIVE &&
          key !== RETAIN_KEYS &&
          !key.startsWith(SET_ORDER) &&
          !key.startsWith(DELETE_FROM),
      )
      .map(([key, item]) => [key, withoutDirectives(item)]),
  );
}

/** RFC 6902, over a copy of `target`. */
export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new PatchError('a JSON patch is an array of operations');
  let document = clone(target);
  for (const operation of operations) {
    if (!isObject(operation) || typeof operation.op !== 'string') {
      throw new PatchError('a JSON patch operation needs an "op"');
    }
    const path = pointer(operation.path);
    switch (operation.op) {
      case 'add':
        document = put(document, path, clone(operation.value), 'add');
        break;
      case 'replace':
        get(document, path);
        document = put(document, path, clone(operation.value), 'replace');
        break;
      case 'remove':
        document = remove(document, path);
        break;
      case 'move': {
        const from = pointer(operation.from);
        const value = get(document, from);
        document = put(remove(document, from), path, value, 'add');
        break;
      }
      case 'copy':
        document = put(document, path, clone(get(document, pointer(operation.from))), 'add');
        break;
      case 'test':
        if (!deepEqual(get(document, path), operation.value)) {
          throw new PatchError(`testing value ${String(operation.path)} failed: test failed`, true);
        }
        break;
      default:
        throw new PatchError(`Unexpected kind: ${operation.op}`);
    }
  }
  return document;
}

function pointer(path: unknown): string[] {
  if (typeof path !== 'string' || (path !== '' && !path.startsWith('/'))) {
    throw new PatchError(`invalid JSON pointer ${JSON.stringify(path)}`);
  }
  if (path === '') return [];
  return path
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function missing(path: string[]): PatchError {
  return new PatchError(`doc is missing path: "/${path.join('/')}": missing value`);
}

function get(document: unknown, path: string[]): unknown {
  let node = document;
  for (const token of path) {
    if (Array.isArray(node)) {
      const index = Number(token);
      if (!/^\d+$/.test(token) || index >= node.length) throw missing(path);
      node = node[index];
    } else if (isObject(node) && Object.hasOwn(node, token)) {
      node = node[token];
    } else {
      throw missing(path);
    }
  }
  return node;
}

function put(document: unknown, path: string[], value: unknown, op: 'add' | 'replace'): unknown {
  if (path.length === 0) return value;
  const parent = get(document, path.slice(0, -1));
  const last = path[path.length - 1] as string;
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    const limit = op === 'add' ? parent.length : parent.length - 1;
    if (!/^(\d+|-)$/.test(last) || index > limit) throw missing(path);
    if (op === 'add') parent.splice(index, 0, value);
    else parent[index] = value;
  } else if (isObject(parent)) {
    parent[last] = value;
  } else {
    throw missing(path);
  }
  return document;
}

function remove(document: unknown, path: string[]): unknown {
  if (path.length === 0) throw new PatchError('cannot remove the whole document');
  get(document, path);
  const parent = get(document, path.slice(0, -1));
  const last = path[path.length - 1] as string;
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isObject(parent)) Reflect.deleteProperty(parent, last);
  return document;
}
