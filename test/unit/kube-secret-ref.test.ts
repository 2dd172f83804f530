import { describe, expect, it } from 'vitest';
import { RekeyError } from '../../src/shared/errors';
import {
  formatSecretKeyRef,
  namespaceProblem,
  parseSecretKeyRef,
  secretKeyProblem,
  secretNameProblem,
} from '../../src/main/kube/secret-ref';

/** Kubernetes Secret key references: `namespace/name#key`, validated like the API server does. */

function failure(run: () => unknown): RekeyError {
  try {
    run();
  } catch (error) {
    if (error instanceof RekeyError) return error;
    throw error;
  }
  throw new Error('expected a RekeyError');
}

describe('parseSecretKeyRef', () => {
  it('reads namespace/name#key', () => {
    expect(parseSecretKeyRef('prod/synapse-db#POSTGRES_PASSWORD')).toEqual({
      namespace: 'prod',
      name: 'synapse-db',
      key: 'POSTGRES_PASSWORD',
    });
  });

  it('reads name#key in the default namespace', () => {
    expect(parseSecretKeyRef('livekit.keys#api-secret.txt', 'media')).toEqual({
      namespace: 'media',
      name: 'livekit.keys',
      key: 'api-secret.txt',
    });
  });

  it('round-trips through formatSecretKeyRef', () => {
    const ref = { namespace: 'prod', name: 'a.b-c', key: '_x.Y-1' };
    expect(parseSecretKeyRef(formatSecretKeyRef(ref))).toEqual(ref);
  });

  it.each([
    ['prod/db', /names no key/],
    ['db#key', /names no namespace/],
    ['a/b/c#key', /more than one '\/'/],
    ['prod/Db#key', /"Db" is not a valid Secret name/],
    ['Prod/db#key', /"Prod" is not a valid namespace/],
    ['prod/db#', /Secret key is empty/],
    ['prod/db#a b', /"a b" is not a valid Secret key/],
    ['prod/db#a/b', /"a\/b" is not a valid Secret key/],
    ['prod/db#..hidden', /must not be '\.' or '\.\.' or start with '\.\.'/],
    ['/db#key', /namespace is empty/],
    ['prod/#key', /Secret name is empty/],
  ])('refuses %s with INVALID_INPUT', (text, message) => {
    const error = failure(() => parseSecretKeyRef(text));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(message);
  });
});

describe('Kubernetes name rules', () => {
  it('Secret names are DNS-1123 subdomains of at most 253 characters', () => {
    expect(secretNameProblem('a')).toBeNull();
    expect(secretNameProblem('tls.example.com')).toBeNull();
    expect(secretNameProblem('a-b.c-d')).toBeNull();
    expect(secretNameProblem('-a')).not.toBeNull();
    expect(secretNameProblem('a-')).not.toBeNull();
    expect(secretNameProblem('a..b')).not.toBeNull();
    expect(secretNameProblem('a_b')).not.toBeNull();
    expect(
      secretNameProblem(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`),
    ).toBeNull();
    expect(secretNameProblem('a'.repeat(254))).toMatch(/at most 253/);
  });

  it('namespaces are DNS-1123 labels of at most 63 characters', () => {
    expect(namespaceProblem('kube-system')).toBeNull();
    expect(namespaceProblem('a.b')).not.toBeNull();
    expect(namespaceProblem('a'.repeat(63))).toBeNull();
    expect(namespaceProblem('a'.repeat(64))).toMatch(/at most 63/);
  });

  it('keys are [-._a-zA-Z0-9]+, not . or .., at most 253 characters', () => {
    expect(secretKeyProblem('.env')).toBeNull();
    expect(secretKeyProblem('tls.crt')).toBeNull();
    expect(secretKeyProblem('API_KEY-2')).toBeNull();
    expect(secretKeyProblem('.')).not.toBeNull();
    expect(secretKeyProblem('..')).not.toBeNull();
    expect(secretKeyProblem('é')).not.toBeNull();
    expect(secretKeyProblem('k'.repeat(254))).toMatch(/at most 253/);
  });
});
