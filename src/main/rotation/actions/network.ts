import { createConnection } from 'node:net';
import { RekeyError } from '../../../shared/errors';
import type { Connector } from '../../connectors/connector';

/**
 * Health checks a rotation runs after changing a secret: does the service still answer (HTTP
 * status, some text in the body), is the port open. From this machine, or from a host through
 * its connector (curl, bash). A failed check is an outcome ({ ok: false }), not an exception;
 * exceptions are for checks that could not be run at all (bad input, missing tool).
 */

export interface HttpCheck {
  url: string;
  method: 'GET' | 'HEAD' | 'POST' | 'PUT';
  /** May hold secrets (Authorization): they go in stdin for curl and never into `detail`. */
  headers?: Record<string, string>;
  /** May hold secrets too. */
  body?: string;
  /** The status, or any of the statuses, that means healthy. Redirects are not followed. */
  status: number | number[];
  /** Text the response body must contain. */
  bodyContains?: string;
  timeoutMs?: number;
}

export interface CheckOutcome {
  ok: boolean;
  /** What happened, for a person: never a header value, the body sent or the body received. */
  detail: string;
}

const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
const DEFAULT_TCP_TIMEOUT_MS = 5_000;
/** Time the connector gets beyond the check's own timeout before it gives up on the tool. */
const TOOL_GRACE_MS = 5_000;
/** Opens (and at once drops) a connection; host and port are its arguments, not its text. */
const TCP_SCRIPT = 'exec 3<>"/dev/tcp/$1/$2"';
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The HTTP check from this machine, with fetch. */
export async function httpCheck(check: HttpCheck): Promise<CheckOutcome> {
  const url = checkHttpInput(check);
  const timeoutMs = check.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const where = shownUrl(url);
  try {
    const response = await fetch(url, {
      method: check.method,
      headers: check.headers,
      body: check.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // An unread body would hold the connection open until garbage collection.
    const body = check.bodyContains === undefined ? '' : await response.text();
    if (check.bodyContains === undefined) await response.body?.cancel();
    return judgeResponse(check, where, response.status, body);
  } catch (error) {
    return { ok: false, detail: `No HTTP answer from ${where}: ${fetchFailure(error, timeoutMs)}` };
  }
}

/**
 * The HTTP check run by curl on the connector's host (a service reachable only from there).
 * Everything about the request, URL included, goes in a curl config on stdin, so neither
 * headers nor body appear in the host's process list.
 */
export async function httpCheckFromHost(
  connector: Connector,
  check: HttpCheck,
): Promise<CheckOutcome> {
  const url = checkHttpInput(check);
  if (check.body?.includes('\0')) {
    throw new RekeyError('INVALID_INPUT', 'An HTTP check body sent with curl cannot hold NUL.');
  }
  const timeoutMs = check.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const where = shownUrl(url);
  const result = await connector.exec({
    // -q first: no ~/.curlrc; the whole request comes from the config on stdin.
    argv: ['curl', '-q', '-K', '-'],
    stdin: curlConfig(check, url, timeoutMs),
    timeoutMs: timeoutMs + TOOL_GRACE_MS,
  });
  if (result.code === 127) {
    throw new RekeyError('REMOTE_FAILED', `curl is not installed on ${connector.name}.`);
  }
  if (result.code !== 0) {
    const reason = curlFailure(result.code, result.stderr, secretsOf(check));
    return { ok: false, detail: `No HTTP answer from ${where} on ${connector.name}: ${reason}` };
  }
  // The body, then the newline and status code -w appends.
  const split = result.stdout.lastIndexOf('\n');
  const status = Number(result.stdout.slice(split + 1).trim());
  if (split < 0 || !Number.isInteger(status)) {
    return { ok: false, detail: `curl on ${connector.name} gave no HTTP status for ${where}` };
  }
  return judgeResponse(
    check,
    `${where} (from ${connector.name})`,
    status,
    result.stdout.slice(0, split),
  );
}

/** Whether a TCP connection to host:port opens from this machine. */
export async function tcpCheck(
  host: string,
  port: number,
  timeoutMs = DEFAULT_TCP_TIMEOUT_MS,
): Promise<CheckOutcome> {
  checkTcpInput(host, port);
  const where = `${host}:${port}`;
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const finish = (outcome: CheckOutcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ ok: false, detail: `TCP ${where}: no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    socket.once('connect', () => finish({ ok: true, detail: `TCP ${where} accepts connections` }));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish({ ok: false, detail: `TCP ${where}: ${describeErrno(error.code)}` }),
    );
  });
}

/**
 * The TCP check from the connector's host, with bash's /dev/tcp (bash is on every Debian and
 * most other hosts, unlike nc) under coreutils' timeout. Host and port are arguments of the
 * script, never part of its text.
 */
export async function tcpCheckFromHost(
  connector: Connector,
  host: string,
  port: number,
  timeoutMs = DEFAULT_TCP_TIMEOUT_MS,
): Promise<CheckOutcome> {
  checkTcpInput(host, port);
  const where = `${host}:${port} (from ${connector.name})`;
  const seconds = (timeoutMs / 1000).toFixed(3);
  const result = await connector.exec({
    argv: ['timeout', seconds, 'bash', '-c', TCP_SCRIPT, 'rekey-tcp-check', host, String(port)],
    timeoutMs: timeoutMs + TOOL_GRACE_MS,
  });
  if (result.code === 0) return { ok: true, detail: `TCP ${where} accepts connections` };
  if (result.code === 124) {
    return { ok: false, detail: `TCP ${where}: no answer within ${timeoutMs} ms` };
  }
  if (result.code === 127 && !/\/dev\/tcp/.test(result.stderr)) {
    throw new RekeyError('REMOTE_FAILED', `timeout or bash is missing on ${connector.name}.`);
  }
  // bash says e.g. "rekey-tcp-check: connect: Connection refused", or for a name it cannot
  // resolve "rekey-tcp-check: line 1: db.example: Name or service not known".
  const said = /connect: (.+)$/m.exec(result.stderr) ?? /^.*: (.+)$/m.exec(result.stderr);
  const reason = said?.[1]?.trim();
  return { ok: false, detail: `TCP ${where}: ${reason || `failed (exit ${result.code})`}` };
}

function judgeResponse(
  check: HttpCheck,
  where: string,
  status: number,
  body: string,
): CheckOutcome {
  const wanted = Array.isArray(check.status) ? check.status : [check.status];
  const seen = `HTTP ${status} from ${where}`;
  if (!wanted.includes(status)) {
    return { ok: false, detail: `${seen}, expected ${wanted.join(' or ')}` };
  }
  if (check.bodyContains !== undefined && !body.includes(check.bodyContains)) {
    return { ok: false, detail: `${seen}, but the body does not contain the expected text` };
  }
  return { ok: true, detail: seen };
}

/** Validates the check and returns its parsed URL; bad input is a caller's error, thrown. */
function checkHttpInput(check: HttpCheck): URL {
  let url: URL;
  try {
    url = new URL(check.url);
  } catch {
    throw new RekeyError('INVALID_INPUT', 'The HTTP check URL is not a valid URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RekeyError('INVALID_INPUT', `An HTTP check needs an http or https URL.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new RekeyError(
      'INVALID_INPUT',
      'Give HTTP check credentials as a header, not in the URL.',
    );
  }
  if (!['GET', 'HEAD', 'POST', 'PUT'].includes(check.method)) {
    throw new RekeyError('INVALID_INPUT', `Unsupported HTTP check method.`);
  }
  if (check.body !== undefined && (check.method === 'GET' || check.method === 'HEAD')) {
    throw new RekeyError('INVALID_INPUT', `A ${check.method} check cannot send a body.`);
  }
  if (check.method === 'HEAD' && check.bodyContains !== undefined) {
    throw new RekeyError('INVALID_INPUT', 'A HEAD check gets no body to search.');
  }
  const statuses = Array.isArray(check.status) ? check.status : [check.status];
  if (
    statuses.length === 0 ||
    !statuses.every((s) => Number.isInteger(s) && s >= 100 && s <= 599)
  ) {
    throw new RekeyError('INVALID_INPUT', 'Expected HTTP statuses must be integers 100-599.');
  }
  for (const [name, value] of Object.entries(check.headers ?? {})) {
    if (!HEADER_NAME.test(name)) {
      throw new RekeyError('INVALID_INPUT', `HTTP header name ${JSON.stringify(name)} is invalid.`);
    }
    // The value is not quoted back: it may be a secret.
    if (/[\r\n\0]/.test(value)) {
      throw new RekeyError('INVALID_INPUT', `HTTP header ${name} has a line break or NUL.`);
    }
  }
  if (check.timeoutMs !== undefined && !(check.timeoutMs > 0)) {
    throw new RekeyError('INVALID_INPUT', 'An HTTP check timeout must be a positive number.');
  }
  return url;
}

function checkTcpInput(host: string, port: number): void {
  if (host === '' || /[\s/\0]/.test(host)) {
    throw new RekeyError('INVALID_INPUT', 'A TCP check needs a host name or address.');
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RekeyError('INVALID_INPUT', 'A TCP check port must be an integer 1-65535.');
  }
}

/** The URL as shown in details: no query string or fragment, which may carry tokens. */
function shownUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * A curl config (curl -K) for the check: one option per line, values in double quotes with
 * backslash escapes. `data-raw`, unlike `data-binary`, never reads a file for a leading @.
 */
function curlConfig(check: HttpCheck, url: URL, timeoutMs: number): string {
  const quote = (value: string) =>
    `"${value.replace(/[\\"\t\r\n\v]/g, (char) => CURL_ESCAPES[char] ?? char)}"`;
  const lines = [
    `url = ${quote(url.href)}`,
    'globoff',
    'silent',
    'show-error',
    `proto = "=http,https"`,
    `max-time = ${(timeoutMs / 1000).toFixed(3)}`,
    `write-out = "\\n%{http_code}"`,
  ];
  if (check.method === 'HEAD') lines.push('head', 'output = "/dev/null"');
  else if (check.method !== 'GET') lines.push(`request = ${quote(check.method)}`);
  for (const [name, value] of Object.entries(check.headers ?? {})) {
    lines.push(`header = ${quote(`${name}: ${value}`)}`);
  }
  if (check.body !== undefined) lines.push(`data-raw = ${quote(check.body)}`);
  return `${lines.join('\n')}\n`;
}

const CURL_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\t': '\\t',
  '\r': '\\r',
  '\n': '\\n',
  '\v': '\\v',
};

function secretsOf(check: HttpCheck): string[] {
  const values = [...Object.values(check.headers ?? {}), check.body ?? ''];
  return values.filter((value) => value.length > 0);
}

/** Why curl failed, from its exit code and message, blanked of anything the request carried. */
function curlFailure(code: number | null, stderr: string, secrets: readonly string[]): string {
  const known: Record<number, string> = {
    6: 'host name not resolved',
    7: 'could not connect',
    28: 'timed out',
    35: 'TLS handshake failed',
    52: 'empty reply from server',
    56: 'connection broken while receiving',
    60: 'server certificate not trusted',
  };
  const said = secrets.reduce(
    (text, secret) => text.replaceAll(secret, '[secret]'),
    lastLine(stderr).replace(/^curl: \(\d+\) /, ''),
  );
  const summary = (code !== null && known[code]) || `curl failed (exit ${code})`;
  return said ? `${summary} (${said})` : summary;
}

/**
 * Why fetch failed: the socket error under undici's "fetch failed", or a timeout. Other
 * messages are not passed on: some quote the header value that was refused.
 */
function fetchFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `timed out after ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? error.cause : undefined;
  if (!(cause instanceof Error)) return 'the request failed';
  // The fetch standard refuses some ports (X11, IRC, SIP...); curl from the host does not.
  if (cause.message === 'bad port') return 'fetch refuses this port (bad port)';
  const code = (cause as NodeJS.ErrnoException).code;
  return code ? describeErrno(code) : 'the request failed';
}

function describeErrno(code: string | undefined): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (ECONNREFUSED)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host name not resolved (${code})`;
    case 'ECONNRESET':
      return 'connection reset (ECONNRESET)';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `unreachable (${code})`;
    case 'ETIMEDOUT':
      return 'timed out (ETIMEDOUT)';
    default:
      return `failed (${code ?? 'unknown error'})`;
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}
