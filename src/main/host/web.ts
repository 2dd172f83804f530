import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RekeyApp } from '../app';
import { type ErrorInfo, type Result } from '../../shared/errors';
import { METHOD_NAMES, type MethodName } from '../../shared/methods';
import { SECURITY_HEADERS } from '../security/csp';
import { readStaticFile } from './static-files';

/**
 * The browser host: the same renderer and the same API contract as the desktop window, over
 * HTTP on 127.0.0.1. Access takes a random token, passed in the URL fragment (never sent to
 * a server, never in logs) and exchanged once for an HttpOnly, SameSite=Strict cookie. Every
 * request must name our exact host (a DNS-rebinding page cannot) and, when the browser sends
 * an Origin, our exact origin (a foreign page cannot).
 */

export interface WebHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface WebHostOptions {
  app: RekeyApp;
  rendererDir: string;
  port?: number;
}

const COOKIE = 'rekey_session';
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const HEARTBEAT_MS = 25_000;
const KNOWN_METHODS: ReadonlySet<string> = new Set(METHOD_NAMES);

function equalSecrets(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function cookieValue(request: IncomingMessage): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return rest.join('=');
  }
  return null;
}

function send(response: ServerResponse, status: number, body: Buffer | string, type: string): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': type,
    'Cache-Control': 'no-store',
  });
  response.end(body);
}

function sendResult(response: ServerResponse, status: number, result: Result<unknown>): void {
  send(response, status, JSON.stringify(result), 'application/json; charset=utf-8');
}

function refuse(response: ServerResponse, status: number, error: ErrorInfo): void {
  sendResult(response, status, { ok: false, error });
}

async function readBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      request.destroy();
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { app, rendererDir } = options;
  const token = randomBytes(32).toString('base64url');
  let tokenUsed = false;
  const sessions = new Set<string>();
  const streams = new Set<ServerResponse>();
  let allowedHosts: ReadonlySet<string> = new Set();
  let allowedOrigins: ReadonlySet<string> = new Set();

  const unsubscribe = app.onEvent((event) => {
    for (const stream of streams) stream.write(`data: ${JSON.stringify(event)}\n\n`);
  });

  const authenticated = (request: IncomingMessage) => {
    const session = cookieValue(request);
    return session !== null && [...sessions].some((known) => equalSecrets(known, session));
  };

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!allowedHosts.has(request.headers.host ?? '')) {
      return refuse(response, 421, { code: 'FORBIDDEN', message: 'Unknown host' });
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin)) {
      return refuse(response, 403, { code: 'FORBIDDEN', message: 'Foreign origin' });
    }
    const fetchSite = request.headers['sec-fetch-site'];
    if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') {
      return refuse(response, 403, { code: 'FORBIDDEN', message: 'Cross-site request' });
    }
    const path = new URL(request.url ?? '/', 'http://host').pathname;

    if (!path.startsWith('/api/')) {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return refuse(response, 405, { code: 'INVALID_INPUT', message: 'Method not allowed' });
      }
      const file = await readStaticFile(rendererDir, path);
      if (!file) return send(response, 404, 'Not found', 'text/plain; charset=utf-8');
      return send(response, 200, file.body, file.contentType);
    }

    if (path === '/api/events' && request.method === 'GET') {
      if (!authenticated(request))
        return refuse(response, 401, { code: 'FORBIDDEN', message: 'Not signed in' });
      response.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      response.write(': connected\n\n');
      streams.add(response);
      const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
      request.on('close', () => {
        clearInterval(heartbeat);
        streams.delete(response);
      });
      return;
    }

    if (request.method !== 'POST')
      return refuse(response, 405, { code: 'INVALID_INPUT', message: 'Use POST' });
    // A JSON content type cannot be sent cross-origin without a CORS preflight we never grant.
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return refuse(response, 415, { code: 'INVALID_INPUT', message: 'Send application/json' });
    }
    if (origin === undefined)
      return refuse(response, 403, { code: 'FORBIDDEN', message: 'Missing origin' });
    if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      // Say so, then drain what the client still sends so it reads the answer.
      refuse(response, 413, { code: 'INVALID_INPUT', message: 'Request too large' });
      request.resume();
      return;
    }
    const body = await readBody(request);
    if (body === null)
      return refuse(response, 413, { code: 'INVALID_INPUT', message: 'Request too large' });
    let input: unknown;
    try {
      input = body === '' ? {} : JSON.parse(body);
    } catch {
      return refuse(response, 400, {
        code: 'INVALID_INPUT',
        message: 'The request body is not JSON',
      });
    }

    if (path === '/api/session') {
      const offered = (input as { token?: unknown } | null)?.token;
      if (tokenUsed || typeof offered !== 'string' || !equalSecrets(offered, token)) {
        return refuse(response, 403, {
          code: 'FORBIDDEN',
          message: 'Invalid or used token; restart `rekey ui` for a new link',
        });
      }
      tokenUsed = true;
      const session = randomBytes(32).toString('base64url');
      sessions.add(session);
      response.setHeader('Set-Cookie', `${COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`);
      return sendResult(response, 200, { ok: true, value: null });
    }

    const method = /^\/api\/call\/([a-z]+\.[A-Za-z]+)$/.exec(path)?.[1];
    if (!method || !KNOWN_METHODS.has(method)) {
      return refuse(response, 404, { code: 'INVALID_INPUT', message: 'Unknown method' });
    }
    if (!authenticated(request))
      return refuse(response, 401, { code: 'FORBIDDEN', message: 'Not signed in' });
    return sendResult(response, 200, await app.call(method as MethodName, input));
  }

  const server: Server = createServer((request, response) => {
    route(request, response).catch(() => {
      if (!response.headersSent)
        refuse(response, 500, { code: 'INTERNAL', message: 'Internal error' });
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  allowedOrigins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  return {
    port,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    close: async () => {
      unsubscribe();
      for (const stream of streams) stream.end();
      streams.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
