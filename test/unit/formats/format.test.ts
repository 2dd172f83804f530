import { describe, expect, it } from 'vitest';
import { FORMAT_NAMES, formatByName, formatForPath } from '../../../src/main/formats/format';
import { formatKeyPath, parseKeyPath } from '../../../src/main/formats/key-path';
import { rekeyErrorOf } from './helpers';

describe('key paths', () => {
  it.each([
    ['jwt.secret', ['jwt', 'secret']],
    ['keys.APIq7CmhW4RfKzN', ['keys', 'APIq7CmhW4RfKzN']],
    ['registration_shared_secret', ['registration_shared_secret']],
    ['keys."APIabc.def"', ['keys', 'APIabc.def']],
    ['listeners[0].resources[1]', ['listeners', 0, 'resources', 1]],
    ['[2].name', [2, 'name']],
    ['matrix[10][3]', ['matrix', 10, 3]],
    ['"a \\"b\\" \\\\c"', ['a "b" \\c']],
    ['""', ['']],
    ['"[x]"."y]"', ['[x]', 'y]']],
    ['" padded "', [' padded ']],
    ['with space.ü', ['with space', 'ü']],
  ] as const)('%s', (path, segments) => {
    expect(parseKeyPath(path)).toEqual(segments);
    expect(formatKeyPath(segments)).toBe(path);
  });

  it('refuses malformed paths', () => {
    for (const path of [
      '',
      '.',
      'a.',
      '.a',
      'a..b',
      'a[',
      'a[]',
      'a[01]',
      'a[-1]',
      'a[x]',
      'a]',
      '"open',
      'a"b"',
      '"a"b',
      'a[0]b',
      '"\\n"',
    ]) {
      expect(rekeyErrorOf(() => parseKeyPath(path), 'INVALID_INPUT')).toContain('key path');
    }
  });
});

describe('formats by name and by path', () => {
  it('finds each format by its name', () => {
    for (const name of FORMAT_NAMES) expect(formatByName(name).name).toBe(name);
  });

  it('refuses an unknown name', () => {
    expect(rekeyErrorOf(() => formatByName('ini'), 'INVALID_INPUT')).toContain('dotenv, yaml');
  });

  it.each([
    ['/srv/matrix/.env', 'dotenv'],
    ['compose/prod.env', 'dotenv'],
    ['.env.production', 'dotenv'],
    ['/etc/livekit/livekit.yaml', 'yaml'],
    ['homeserver.YML', 'yaml'],
    ['config.json', 'json'],
    ['C:\\srv\\relay.toml', 'toml'],
    ['/run/secrets/postgres_password', 'file'],
    ['/data/example.org.signing.key', 'file'],
    ['environment', 'file'],
  ] as const)('%s is %s', (path, name) => {
    expect(formatForPath(path)).toBe(name);
  });
});
