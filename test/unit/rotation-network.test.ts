import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo, type Socket, connect, createServer as createTcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ExecRequest } from '../../src/main/connectors/connector';
import { LocalConnector } from '../../src/main/connectors/local';
import {
  type CheckOutcome,
  type HttpCheck,
  httpCheck,
  httpCheckFromHost,
  tcpCheck,
  tcpCheckFromHost,
} from '../../src/main/rotation/actions/network';

/**
 * The HTTP and TCP checks against servers this file starts on 127.0.0.1: the same cases from
 * this process (fetch, node:net) and through the local connector (curl, bash), which is how
 * they run on a host over SSH.
 */

const TOKEN = `tok-${randomBytes(12).toString('hex')}`;
/** A body with everything a curl config or a shell could trip on, and a leading @. */
const SECRET_BODY = `@/etc/passwd "quoted" back\\slash $HOME\nline2\ttab ${randomBytes(6).toString('hex')}`;

/** A connector that remembers every command it ran, to check what reached argv. */
class RecordingConnector extends LocalConnector {
  readonly requests: ExecRequest[] = [];

  override exec(request: ExecRequest) {
    this.requests.push(request);
    return super.exec(request);
  }
}

const host = new RecordingConnector();
let server: Server;
let base = '';
let closedPort = 0;

function handle(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/slow') return; // never answers: the timeout case
    if (path === '/moved') {
      response.writeHead(302, { location: '/health' }).end();
      return;
    }
    if (request.headers.authorization !== `Bearer ${TOKEN}`) {
      response.writeHead(401).end('who are you?');
      return;
    }
    if (path === '/health') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('status: healthy');
      return;
    }
    if (path === '/echo') {
      const matches = body === SECRET_BODY;
      response
        .writeHead(matches ? 200 : 400)
        .end(`${request.method} ${matches ? 'same' : 'other'}`);
      return;
    }
    response.writeHead(404).end();
  });
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port that was just free: nothing listens there, connections are refused.
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const auth = { authorization: `Bearer ${TOKEN}` };
const runners = [
  { from: 'this machine', run: (check: HttpCheck) => httpCheck(check) },
  { from: 'the host (curl)', run: (check: HttpCheck) => httpCheckFromHost(host, check) },
];

function expectNoSecrets(outcome: CheckOutcome): void {
  expect(outcome.detail).not.toContain(TOKEN);
  expect(outcome.detail).not.toContain(SECRET_BODY.slice(-12));
}

describe.each(runners)('HTTP check from $from', ({ run }) => {
  test('the expected status with the right header is ok, and says what answered', async () => {
    const outcome = await run({ url: `${base}/health`, method: 'GET', headers: auth, status: 200 });
    expect(outcome).toEqual({ ok: true, detail: expect.stringMatching(/^HTTP 200 from /) });
    expect(outcome.detail).toContain(`${base}/health`);
    expectNoSecrets(outcome);
  });

  test('another status is not ok and names both; a list of statuses is accepted', async () => {
    const wrong = { authorization: 'Bearer nope-not-it' };
    const outcome = await run({
      url: `${base}/health`,
      method: 'GET',
      headers: wrong,
      status: 200,
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toMatch(/HTTP 401 from .*expected 200/);
    expect(outcome.detail).not.toContain('nope-not-it');
    const either = await run({ url: `${base}/health`, method: 'GET', status: [200, 401] });
    expect(either.ok).toBe(true);
  });

  test('bodyContains is checked on the response body', async () => {
    const check: HttpCheck = { url: `${base}/health`, method: 'GET', headers: auth, status: 200 };
    expect((await run({ ...check, bodyContains: 'healthy' })).ok).toBe(true);
    const missing = await run({ ...check, bodyContains: 'degraded' });
    expect(missing).toEqual({ ok: false, detail: expect.stringMatching(/does not contain/) });
    expect(missing.detail).not.toContain('status: healthy');
  });

  test('POST and PUT send the body exactly, special characters and leading @ included', async () => {
    for (const method of ['POST', 'PUT'] as const) {
      const outcome = await run({
        url: `${base}/echo`,
        method,
        headers: auth,
        body: SECRET_BODY,
        status: 200,
        bodyContains: `${method} same`,
      });
      expect(outcome.ok).toBe(true);
      expectNoSecrets(outcome);
    }
  });

  test('HEAD works, redirects are not followed, the query string is not shown', async () => {
    const head = await run({ url: `${base}/health`, method: 'HEAD', headers: auth, status: 200 });
    expect(head.ok).toBe(true);
    const moved = await run({ url: `${base}/moved?token=${TOKEN}`, method: 'GET', status: 302 });
    expect(moved.ok).toBe(true);
    expect(moved.detail.startsWith(`HTTP 302 from ${base}/moved`)).toBe(true);
    expect(moved.detail).not.toContain('token');
  });

  test('a refused connection is an outcome, not an exception', async () => {
    const url = `http://127.0.0.1:${closedPort}/health`;
    const outcome = await run({ url, method: 'GET', headers: auth, status: 200 });
    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toMatch(/connection refused|could not connect/i);
    expect(outcome.detail).toContain(`127.0.0.1:${closedPort}`);
    expectNoSecrets(outcome);
  });

  test('a server that does not answer times out within the check timeout', async () => {
    const started = Date.now();
    const check: HttpCheck = { url: `${base}/slow`, method: 'GET', headers: auth, status: 200 };
    const outcome = await run({ ...check, timeoutMs: 400 });
    expect(outcome).toEqual({ ok: false, detail: expect.stringMatching(/timed out/) });
    expect(Date.now() - started).toBeLessThan(4_000);
    expectNoSecrets(outcome);
  });

  test('bad input is refused with INVALID_INPUT, without quoting header values', async () => {
    const refused = (check: HttpCheck) =>
      run(check).then(
        () => null,
        (error: unknown) => error as { code: string; message: string },
      );
    const badHeader = { authorization: `Bearer ${TOKEN}\r\nX-Injected: 1` };
    const cases: HttpCheck[] = [
      { url: 'not a url', method: 'GET', status: 200 },
      { url: 'file:///etc/passwd', method: 'GET', status: 200 },
      { url: `${base}/health`, method: 'GET', headers: badHeader, status: 200 },
      { url: `${base}/health`, method: 'GET', body: 'x', status: 200 },
      { url: `${base}/health`, method: 'GET', status: 99 },
    ];
    for (const check of cases) {
      const error = await refused(check);
      expect(error?.code).toBe('INVALID_INPUT');
      expect(error?.message).not.toContain(TOKEN);
    }
  });
});

test('curl gets the headers, body and URL on stdin: none of them is in its argv', async () => {
  host.requests.length = 0;
  const url = `${base}/echo?token=${TOKEN}`;
  await httpCheckFromHost(host, {
    url,
    method: 'POST',
    headers: auth,
    body: SECRET_BODY,
    status: 200,
  });
  expect(host.requests).toHaveLength(1);
  const [request] = host.requests;
  const argv = request?.argv.join(' ') ?? '';
  expect(argv).not.toContain(TOKEN);
  expect(argv).not.toContain(SECRET_BODY.slice(-12));
  expect(argv).not.toContain('/echo');
  expect(String(request?.stdin)).toContain(TOKEN);
  expect(request?.env ?? {}).toEqual({});
});

/**
 * A listening socket that never accepts, its one-place queue already taken: the kernel drops
 * further connection attempts, so they hang, the case a timeout is for. Perl (Debian
 * essential) holds it, since Node always accepts.
 */
async function startBlackHole(): Promise<{ port: number; stop: () => void }> {
  const script =
    'use Socket; socket(my $s, PF_INET, SOCK_STREAM, 0) or die; ' +
    'bind($s, pack_sockaddr_in(0, inet_aton("127.0.0.1"))) or die; listen($s, 0) or die; ' +
    'my ($port) = unpack_sockaddr_in(getsockname($s)); $| = 1; print "$port\\n"; sleep 60;';
  const child: ChildProcess = spawn('perl', ['-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('error', reject);
  });
  const filler: Socket = connect({ host: '127.0.0.1', port });
  await new Promise((resolve) => filler.once('connect', resolve));
  return {
    port,
    stop() {
      filler.destroy();
      child.kill('SIGKILL');
    },
  };
}

const tcpRunners = [
  { from: 'this machine', run: tcpCheck },
  {
    from: 'the host (bash)',
    run: (target: string, port: number, timeoutMs?: number) =>
      tcpCheckFromHost(host, target, port, timeoutMs),
  },
];

describe.each(tcpRunners)('TCP check from $from', ({ run }) => {
  test('an open port is ok, a closed one is not and says it was refused', async () => {
    const port = Number(new URL(base).port);
    expect(await run('127.0.0.1', port)).toEqual({
      ok: true,
      detail: expect.stringMatching(/accepts/),
    });
    const closed = await run('127.0.0.1', closedPort);
    expect(closed.ok).toBe(false);
    expect(closed.detail).toMatch(new RegExp(`127\\.0\\.0\\.1:${closedPort}.*refused`, 'i'));
  });

  test('a name that does not resolve is an outcome with a reason', async () => {
    const outcome = await run('no-such-host.invalid', 80, 3_000);
    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toMatch(/not resolved|not known|ENOTFOUND|EAI_AGAIN/i);
  });

  test('a port that never answers times out after the given time', async () => {
    const hole = await startBlackHole();
    try {
      const started = Date.now();
      const outcome = await run('127.0.0.1', hole.port, 300);
      expect(outcome).toEqual({
        ok: false,
        detail: expect.stringMatching(/no answer within 300 ms/),
      });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      hole.stop();
    }
  });

  test('bad host or port is INVALID_INPUT', async () => {
    await expect(run('127.0.0.1', 0)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(run('', 80)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(run('a/b', 80)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
