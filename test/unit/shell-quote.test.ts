import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { quoteCommandLine, quoteShellWord } from '../../src/main/connectors/shell-quote';

/** Runs `line` in a real shell and returns the words the command received (NUL-separated). */
function wordsSeenBy(shell: string, argvLine: string): string[] {
  const out = execFileSync(shell, ['-c', `printf '%s\\0' ${argvLine}`]);
  return out.toString('utf8').split('\0').slice(0, -1);
}

const HOSTILE = [
  '',
  ' ',
  "'",
  "''",
  "'\\''",
  '"',
  '\\',
  "\\\\'",
  '$HOME',
  '${HOME}',
  '$(touch /tmp/rekey-quote-pwned)',
  '`touch /tmp/rekey-quote-pwned`',
  '; touch /tmp/rekey-quote-pwned',
  '&& echo hi',
  '| cat',
  '> /tmp/rekey-quote-pwned',
  '*',
  '?',
  '[a-z]*',
  '~',
  '~root',
  '!',
  '!!',
  '#not a comment',
  'a\nb',
  '\n',
  'tab\there',
  '\r\n',
  '-n',
  '--',
  'ünïcödé ✓ 🔑',
  'a=b',
  'x\'y"z$w`v\\u',
];

describe('shell quoting', () => {
  for (const shell of ['sh', 'bash']) {
    it(`${shell} receives every hostile word exactly, one word each`, () => {
      const words = wordsSeenBy(shell, quoteCommandLine(HOSTILE));
      expect(words).toEqual(HOSTILE);
      expect(existsSync('/tmp/rekey-quote-pwned')).toBe(false);
    });
  }

  it('passes random printable and control characters through unchanged', () => {
    const words = Array.from({ length: 40 }, () =>
      // Every byte value except NUL, as text: controls, quotes, high Latin-1.
      String.fromCharCode(...[...randomBytes(24)].map((byte) => byte || 1)),
    );
    expect(wordsSeenBy('sh', quoteCommandLine(words))).toEqual(words);
  });

  it('quotes even plain words, so safety never depends on a character list', () => {
    expect(quoteShellWord('plain')).toBe("'plain'");
    expect(quoteShellWord("it's")).toBe("'it'\\''s'");
    expect(quoteShellWord('')).toBe("''");
  });

  it('refuses NUL, which no argv entry can carry', () => {
    expect(() => quoteShellWord('a\0b')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});
