import { CliFailure } from '../context';

/**
 * Exit codes that are not errors of the core: how a rotation ended (ROTATION_EXIT_CODES in
 * src/shared/errors.ts) and `secret due --fail-if-any`. Documented in `rekey --help`.
 */

/** `rekey secret due --fail-if-any` found a secret due (or overdue) for rotation. */
export const SECRETS_DUE_EXIT_CODE = 21;

/** `rekey health` found findings at or above its `--fail-on` severity (default high). */
export const HEALTH_FINDINGS_EXIT_CODE = 22;

/** Ends the command with this exit code and `rekey: message` on stderr. */
export class ExitWith extends CliFailure {
  readonly #exitCode: number;

  constructor(exitCode: number, message: string) {
    super('INTERNAL', message);
    this.#exitCode = exitCode;
  }

  override get exitCode(): number {
    return this.#exitCode;
  }
}
