import { type ErrorCode, RekeyError } from '../../shared/errors';

/**
 * Turns what ssh2 and the socket report into Rekey's error codes, with messages that name the
 * host and the operation. The messages are built here from fixed text, the host's name,
 * paths and codes; ssh2's own text is only appended where it cannot hold anything of ours.
 */

interface TransportError extends Error {
  /** ssh2: where it happened (`client-socket`, `client-timeout`, `client-authentication`...). */
  level?: string;
  /** errno name for socket errors, SFTP status number for SFTP errors. */
  code?: string | number;
}

const SFTP_NO_SUCH_FILE = 2;
const SFTP_PERMISSION_DENIED = 3;
const SFTP_OP_UNSUPPORTED = 8;

function asTransportError(error: unknown): TransportError {
  return error instanceof Error ? error : new Error(String(error));
}

/** A failure while connecting, authenticating or verifying (before the connection is ready). */
export function handshakeFailure(host: string, error: unknown, readyTimeoutMs: number): RekeyError {
  if (error instanceof RekeyError) return error;
  const failure = asTransportError(error);
  const make = (code: ErrorCode, message: string) =>
    new RekeyError(code, message, { cause: failure });
  switch (failure.level) {
    case 'client-timeout':
      return make(
        'CONNECTION_TIMEOUT',
        `${host} did not complete the SSH handshake within ${readyTimeoutMs} ms.`,
      );
    case 'client-authentication':
      return make('AUTH_FAILED', `${host} refused the login: no offered key was accepted.`);
    case 'client-socket':
      return socketFailure(host, failure);
    default:
      return make(
        'CONNECTION_LOST',
        `The connection to ${host} ended during the SSH handshake (${failure.message}).`,
      );
  }
}

function socketFailure(host: string, failure: TransportError): RekeyError {
  const errno = typeof failure.code === 'string' ? failure.code : 'unknown error';
  const options = { cause: failure };
  switch (errno) {
    case 'ECONNREFUSED':
      return new RekeyError('CONNECTION_REFUSED', `${host} refused the connection.`, options);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new RekeyError('CONNECTION_REFUSED', `${host}: the address was not found.`, options);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new RekeyError('CONNECTION_REFUSED', `${host} is unreachable (${errno}).`, options);
    case 'ETIMEDOUT':
      return new RekeyError('CONNECTION_TIMEOUT', `Connecting to ${host} timed out.`, options);
    default:
      return new RekeyError(
        'CONNECTION_LOST',
        `The connection to ${host} failed (${errno}).`,
        options,
      );
  }
}

/** A private key that ssh2 could not read: wrong passphrase, or not a private key. */
export function unreadableKey(host: string, error: unknown): RekeyError {
  return new RekeyError(
    'AUTH_FAILED',
    `The private key for ${host} could not be read: wrong passphrase, or not a private key ` +
      `in a format Rekey understands (OpenSSH, PEM).`,
    { cause: error },
  );
}

/** The jump host could not open a tunnel to the target. */
export function tunnelFailure(jump: string, target: string, error: unknown): RekeyError {
  const failure = asTransportError(error);
  const refused = /refused|connect failed/i.test(failure.message);
  return new RekeyError(
    refused ? 'CONNECTION_REFUSED' : 'CONNECTION_LOST',
    `The jump host ${jump} could not open a connection to ${target} (${failure.message}).`,
    { cause: failure },
  );
}

export function connectionLost(host: string, operation: string): RekeyError {
  return new RekeyError(
    'CONNECTION_LOST',
    `The connection to ${host} was lost during ${operation}.`,
  );
}

export function connectionClosed(host: string, operation: string): RekeyError {
  return new RekeyError(
    'CONNECTION_LOST',
    `Cannot ${operation}: the connection to ${host} is closed.`,
  );
}

/**
 * An SFTP request failed. A status from the server (no such file, permission denied) is the
 * remote side's answer; anything else means the session or the connection went away.
 */
export function sftpFailure(
  host: string,
  operation: string,
  path: string,
  error: unknown,
  connectionOpen: boolean,
): RekeyError {
  if (error instanceof RekeyError) return error;
  const failure = asTransportError(error);
  const options = { cause: failure };
  if (typeof failure.code !== 'number') {
    return connectionOpen
      ? new RekeyError(
          'CONNECTION_LOST',
          `The SFTP session to ${host} ended during ${operation} ${path}.`,
          options,
        )
      : connectionLost(host, `${operation} ${path}`);
  }
  switch (failure.code) {
    case SFTP_NO_SUCH_FILE:
      return new RekeyError(
        'NOT_FOUND',
        `Cannot ${operation} ${path} on ${host}: not found.`,
        options,
      );
    case SFTP_PERMISSION_DENIED:
      return new RekeyError(
        'REMOTE_FAILED',
        `Cannot ${operation} ${path} on ${host}: permission denied.`,
        options,
      );
    case SFTP_OP_UNSUPPORTED:
      return new RekeyError(
        'REMOTE_FAILED',
        `Cannot ${operation} ${path} on ${host}: the SFTP server does not support it.`,
        options,
      );
    default:
      return new RekeyError(
        'REMOTE_FAILED',
        `Cannot ${operation} ${path} on ${host}: ${failure.message}.`,
        options,
      );
  }
}

/** True for the SFTP status "permission denied" (EPERM/EACCES on the server). */
export function isPermissionDenied(error: unknown): boolean {
  return error instanceof Error && (error as TransportError).code === SFTP_PERMISSION_DENIED;
}
