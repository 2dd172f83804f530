/**
 * Error codes that cross every boundary (IPC, browser host, CLI). A front door never
 * forwards a thrown message; it forwards `{ code, message }`, and the CLI maps the code
 * to a documented exit code.
 */
export const ERROR_CODES = [
  'INTERNAL',
  'INVALID_INPUT',
  'WRONG_PASSWORD',
  'VAULT_MISSING',
  'NOT_A_VAULT',
  'NEWER_FORMAT',
  'VAULT_DAMAGED',
  'VAULT_BUSY',
  'VAULT_LOCKED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'HISTORY_TAMPERED',
  'IO',
  'FORBIDDEN',
  // Connectors (hosts over SSH, local files) and formats.
  'CONNECTION_REFUSED',
  'AUTH_FAILED',
  'HOST_KEY_UNKNOWN',
  'HOST_KEY_MISMATCH',
  'CONNECTION_TIMEOUT',
  'CONNECTION_LOST',
  'REMOTE_FAILED',
  'FORMAT_ERROR',
  // Rotation.
  'CONFLICT',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/**
 * Exit codes of the `rekey` command line, one per failure a script may want to tell
 * apart. Documented in `rekey --help` and the README; never renumber an existing code.
 */
export const EXIT_CODES: Readonly<Record<ErrorCode, number>> = {
  INTERNAL: 1,
  IO: 1,
  FORBIDDEN: 1,
  INVALID_INPUT: 2,
  WRONG_PASSWORD: 3,
  VAULT_MISSING: 4,
  VAULT_LOCKED: 4,
  NOT_A_VAULT: 5,
  NEWER_FORMAT: 6,
  VAULT_DAMAGED: 7,
  VAULT_BUSY: 8,
  NOT_FOUND: 9,
  ALREADY_EXISTS: 10,
  HISTORY_TAMPERED: 11,
  CONNECTION_REFUSED: 12,
  CONNECTION_TIMEOUT: 12,
  CONNECTION_LOST: 12,
  AUTH_FAILED: 13,
  HOST_KEY_UNKNOWN: 14,
  HOST_KEY_MISMATCH: 15,
  REMOTE_FAILED: 16,
  FORMAT_ERROR: 17,
  CONFLICT: 18,
};

/** `rekey rotate` ends with these when a run did not end `rotated`. */
export const ROTATION_EXIT_CODES = { 'rolled-back': 19, 'needs-attention': 20 } as const;

/** Thrown inside the main process; turned into an `ErrorInfo` at the boundary. */
export class RekeyError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RekeyError';
    this.code = code;
  }
}

export function isRekeyError(error: unknown): error is RekeyError {
  return error instanceof RekeyError;
}
