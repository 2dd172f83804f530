import { RekeyError } from '../../shared/errors';
import type { ExecRequest } from './connector';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks what every connector requires of a command before running it: a program, no NUL in
 * arguments or environment values, and environment names a shell can export. Messages name
 * the offending variable or argument position, never a value.
 */
export function checkExecRequest(request: ExecRequest): void {
  if (request.argv.length === 0 || request.argv[0] === '') {
    throw new RekeyError('INVALID_INPUT', 'A command needs a program to run (argv is empty).');
  }
  request.argv.forEach((word, index) => {
    if (word.includes('\0')) {
      throw new RekeyError('INVALID_INPUT', `Argument ${index} of the command contains NUL.`);
    }
  });
  for (const [name, value] of Object.entries(request.env ?? {})) {
    if (!ENV_NAME.test(name)) {
      throw new RekeyError(
        'INVALID_INPUT',
        `Environment variable name ${JSON.stringify(name)} is not a valid name.`,
      );
    }
    if (value.includes('\0')) {
      throw new RekeyError('INVALID_INPUT', `Environment variable ${name} contains NUL.`);
    }
  }
  if (request.timeoutMs !== undefined && !(request.timeoutMs > 0)) {
    throw new RekeyError('INVALID_INPUT', 'A command timeout must be a positive number of ms.');
  }
}
