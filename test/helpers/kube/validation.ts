import { type JsonObject, deepEqual, isObject, objectAt } from './json';
import type { ResourceInfo } from './resources';
import {
  type FieldError,
  badRequest,
  forbiddenValue,
  invalidValue,
  requiredValue,
  tooLong,
} from './status';

/**
 * The parts of the API server's validation a secrets tool runs into: object names, Secret
 * data (base64, key names, size, `immutable`, `type`), and the decoding error for data that
 * is not base64. Everything else is accepted as sent.
 */

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
export const MAX_SECRET_SIZE = 1024 * 1024;

export function validateName(resource: ResourceInfo, name: string): FieldError[] {
  if (!name) return [requiredValue('metadata.name', 'name or generateName is required')];
  if (resource.plural === 'namespaces') {
    if (name.length > 63 || !LABEL.test(name)) {
      return [
        invalidValue(
          'metadata.name',
          name,
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', " +
            "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', " +
            "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        ),
      ];
    }
    return [];
  }
  if (name.length > 253 || !SUBDOMAIN.test(name)) {
    return [
      invalidValue(
        'metadata.name',
        name,
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' " +
          "or '.', and must start and end with an alphanumeric character (e.g. 'example.com', " +
          "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      ),
    ];
  }
  return [];
}

/**
 * Throws the 400 a real server sends when `data` holds a value that is not base64 (Go's
 * encoding/json decoding []byte with the padded standard alphabet, skipping CR and LF).
 */
export function checkSecretEncoding(secret: JsonObject): void {
  if (secret.data === undefined || secret.data === null) return;
  if (!isObject(secret.data)) {
    throw badRequest(
      'Secret in version "v1" cannot be handled as a Secret: json: cannot unmarshal ' +
        `${Array.isArray(secret.data) ? 'array' : typeof secret.data} into Go struct field ` +
        'Secret.data of type map[string][]uint8',
    );
  }
  for (const value of Object.values(secret.data)) {
    if (value === null) continue;
    const offset = typeof value === 'string' ? base64Error(value) : 0;
    if (offset !== undefined) {
      throw badRequest(
        `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${offset}`,
      );
    }
  }
}

/** The offset Go's base64.StdEncoding reports for `text`, undefined when it decodes. */
function base64Error(text: string): number | undefined {
  // Go skips CR and LF but reports offsets into the raw text.
  const chars = [...text].flatMap((c, i) => (c === '\r' || c === '\n' ? [] : [{ c, i }]));
  for (let start = 0; start < chars.length; start += 4) {
    const quantum = chars.slice(start, start + 4);
    for (let j = 0; j < quantum.length; j++) {
      const { c, i } = quantum[j] as { c: string; i: number };
      if (c === '=') {
        if (j < 2) return i;
        if (j === 2 && quantum[3]?.c !== '=') return quantum[3]?.i ?? text.length;
        const after = chars[start + 4];
        return after === undefined ? undefined : after.i;
      }
      if (!/[A-Za-z0-9+/]/.test(c)) return i;
    }
    if (quantum.length < 4) return (quantum[0] as { i: number }).i;
  }
  return undefined;
}

export function validateSecret(secret: JsonObject, old?: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const data = objectAt(secret.data);
  let size = 0;
  for (const [key, value] of Object.entries(data)) {
    if (!CONFIG_KEY.test(key) || key.length > 253) {
      errors.push(
        invalidValue(
          `data[${key}]`,
          key,
          "a valid config key must consist of alphanumeric characters, '-', '_' or '.' " +
            "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is " +
            "'[-._a-zA-Z0-9]+')",
        ),
      );
    }
    size += typeof value === 'string' ? Buffer.from(value, 'base64').length : 0;
  }
  if (size > MAX_SECRET_SIZE) errors.push(tooLong('data', MAX_SECRET_SIZE));
  if (old) {
    if (old.type !== secret.type) {
      errors.push(invalidValue('type', secret.type, 'field is immutable'));
    }
    if (old.immutable === true) {
      if (secret.immutable !== true) {
        errors.push(forbiddenValue('immutable', 'field is immutable when `immutable` is set'));
      }
      if (!deepEqual(objectAt(old.data), data)) {
        errors.push(forbiddenValue('data', 'field is immutable when `immutable` is set'));
      }
    }
  }
  return errors;
}
