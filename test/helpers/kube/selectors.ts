import { type JsonObject, objectAt, stringAt } from './json';
import type { ResourceInfo } from './resources';
import { badRequest } from './status';

/** labelSelector and fieldSelector query parameters, as list and watch apply them. */

export type Selector = (object: JsonObject) => boolean;

const everything: Selector = () => true;

/** `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x)`, comma-separated. */
export function labelSelector(text: string | undefined): Selector {
  if (!text) return everything;
  const requirements = splitTerms(text).map(parseRequirement);
  return (object) => {
    const labels = objectAt(objectAt(object.metadata).labels);
    return requirements.every((matches) => matches(labels));
  };
}

/** The field selectors every kind supports, plus a Secret's `type`. */
export function fieldSelector(text: string | undefined, resource: ResourceInfo): Selector {
  if (!text) return everything;
  const terms = text.split(',').map((term) => {
    const match = /^([^!=]+)(==|=|!=)(.*)$/.exec(term.trim());
    if (!match) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const [, field = '', op, value = ''] = match;
    const known = [
      'metadata.name',
      'metadata.namespace',
      ...(resource.kind === 'Secret' ? ['type'] : []),
    ];
    if (!known.includes(field)) {
      throw badRequest(
        `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
      );
    }
    return (object: JsonObject) => {
      const actual =
        field === 'type'
          ? (stringAt(object.type) ?? '')
          : (stringAt(objectAt(object.metadata)[field.slice('metadata.'.length)]) ?? '');
      return op === '!=' ? actual !== value : actual === value;
    };
  });
  return (object) => terms.every((matches) => matches(object));
}

/** The name a selector pins down (`metadata.name=x`): RBAC then checks that name. */
export function selectedName(text: string | undefined): string {
  const match = /(?:^|,)\s*metadata\.name\s*==?\s*([^,]+)/.exec(text ?? '');
  return match?.[1]?.trim() ?? '';
}

function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  terms.push(current);
  return terms.map((term) => term.trim()).filter(Boolean);
}

function parseRequirement(term: string): (labels: JsonObject) => boolean {
  const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (set) {
    const [, key = '', op, list = ''] = set;
    const values = list.split(',').map((value) => value.trim());
    return (labels) => {
      const value = stringAt(labels[key]);
      return op === 'in'
        ? value !== undefined && values.includes(value)
        : value === undefined || !values.includes(value);
    };
  }
  const compare = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (compare) {
    const [, key = '', op, value] = compare;
    return (labels) =>
      op === '!=' ? stringAt(labels[key]) !== value : stringAt(labels[key]) === value;
  }
  const exists = /^(!?)([^!=\s()]+)$/.exec(term);
  if (exists) {
    const [, not, key = ''] = exists;
    return (labels) => key in labels !== (not === '!');
  }
  throw badRequest(`unable to parse requirement: found '${term}', expected: identifier`);
}
