import { RekeyError } from '../../shared/errors';

/**
 * POSIX shell quoting for remote command lines. Every word is wrapped in single quotes, inside
 * which a POSIX shell interprets nothing at all; a single quote itself is written as `'\''`
 * (close, escaped quote, reopen). So whatever an argument holds (`$(...)`, backticks, `;`,
 * globs, newlines), the remote shell passes it through as one literal word, by construction.
 *
 * This holds for sh, dash, bash, ksh and zsh login shells. fish and csh-family shells quote
 * differently; Rekey requires a POSIX login shell on SSH hosts.
 */
export function quoteShellWord(word: string): string {
  // A NUL cannot be part of an argv entry at all; the remote side would silently cut it.
  if (word.includes('\0')) {
    throw new RekeyError('INVALID_INPUT', 'A command argument contains a NUL character.');
  }
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** One command line whose words are exactly `argv` once the remote shell has parsed it. */
export function quoteCommandLine(argv: readonly string[]): string {
  return argv.map(quoteShellWord).join(' ');
}
