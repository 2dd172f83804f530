import { describe, expect, it } from 'vitest';
import { secretFileFormat } from '../../../src/main/formats/secret-file';
import { HOSTILE_VALUES, expectNoValues, fixture, rekeyErrorOf } from './helpers';

const WITH_NEWLINE = fixture('secrets/postgres_password');
const WITHOUT_NEWLINE = fixture('secrets/livekit_secret');

describe('secret file', () => {
  it('reads the whole file, without its final line ending', () => {
    expect(WITH_NEWLINE).toBe('Zq8pW2xV7mT4kR9s\n');
    expect(secretFileFormat.get(WITH_NEWLINE, '')).toBe('Zq8pW2xV7mT4kR9s');
    expect(secretFileFormat.get(WITHOUT_NEWLINE, '')).toBe(
      'f2f0fae39981687e3e46be372eae09c061e130fa31d65bd003d7d393c3b597e9',
    );
    expect(secretFileFormat.get('s3cret\r\n', '')).toBe('s3cret');
    expect(secretFileFormat.get('', '')).toBe('');
    // Only one line ending is the file's; anything before it is the value's.
    expect(secretFileFormat.get('two\n\n', '')).toBe('two\n');
  });

  it('keeps the final newline, or its absence, as the file had it', () => {
    expect(secretFileFormat.set(WITH_NEWLINE, '', 'n3w')).toBe('n3w\n');
    expect(secretFileFormat.set(WITHOUT_NEWLINE, '', 'n3w')).toBe('n3w');
    expect(secretFileFormat.set('old\r\n', '', 'n3w')).toBe('n3w\r\n');
  });

  it('writes a new (empty) file without a newline, so verbatim readers get the value', () => {
    expect(secretFileFormat.set('', '', 'n3w')).toBe('n3w');
  });

  it('round-trips hostile values that do not end in a line break', () => {
    for (const value of HOSTILE_VALUES.filter((candidate) => !/[\r\n]$/.test(candidate))) {
      for (const file of [WITH_NEWLINE, WITHOUT_NEWLINE]) {
        const updated = secretFileFormat.set(file, '', value);
        expect(updated).toBe(file.endsWith('\n') ? `${value}\n` : value);
        expect(secretFileFormat.get(updated, '')).toBe(value);
      }
    }
  });

  it('refuses a value ending in a line break, without naming it', () => {
    for (const value of ['hunter2-secret\n', 'hunter2-secret\r\n', 'hunter2-secret\r']) {
      const message = rekeyErrorOf(
        () => secretFileFormat.set(WITH_NEWLINE, '', value),
        'INVALID_INPUT',
      );
      expectNoValues(message, ['hunter2-secret', 'Zq8pW2xV7mT4kR9s']);
    }
  });

  it('refuses a key: the file holds one value', () => {
    rekeyErrorOf(() => secretFileFormat.get(WITH_NEWLINE, 'password'), 'INVALID_INPUT');
    rekeyErrorOf(() => secretFileFormat.set(WITH_NEWLINE, 'password', 'x'), 'INVALID_INPUT');
  });

  it('lists its one value as an entry with the empty key', () => {
    expect(secretFileFormat.entries(WITH_NEWLINE)).toEqual([
      { key: '', value: 'Zq8pW2xV7mT4kR9s', line: 1 },
    ]);
    expect(secretFileFormat.entries('')).toEqual([]);
    expect(secretFileFormat.entries('\n')).toEqual([]);
  });
});
