// Rekey's demo service: a small stand-in for SyncTV that runs on this machine, so a rotation
// can be tried end to end without a server. `rekey demo` (or "Try Rekey" in the app) copies
// this file into the demo folder, next to the config files it reads:
//
//   DIR/demo-service.mjs         this script
//   DIR/synctv/config.yaml       server.listen (127.0.0.1:PORT) and jwt.secret
//   DIR/demo-service.pid         the pid of the running service
//   DIR/demo-service.log         what it did (never a secret value)
//
// Like SyncTV it reads jwt.secret once, when it starts: a changed file takes effect only after
// a restart, and tokens signed with the old secret are refused from then on.
//
//   node demo-service.mjs start     start in the background; returns once /health answers
//   node demo-service.mjs stop      stop it (the pid file says which process)
//   node demo-service.mjs restart   stop, then start (reads the secret again)
//   node demo-service.mjs status    exit 0 when it runs, 3 when it does not
//   node demo-service.mjs accepts   exit 0 when the running service accepts a token signed
//                                   with the secret given on stdin, 1 when it refuses it
//
// HTTP, on 127.0.0.1 only:
//   GET  /         a small page saying what runs
//   GET  /health   200 {"status": "ok", "pid": ..., "port": ..., "startedAt": ..., "keyId": ...}
//   POST /token    {"subject": "..."} -> 200 {"token": "..."} (an HS256 JWT)
//   GET  /check    with `Authorization: Bearer <token>`: 200 if it verifies, else 401
//
// keyId is the first 8 hex digits of the secret's SHA-256: it changes when the secret does,
// and says nothing about the secret itself. Plain Node.js, no dependencies.
import { spawn } from 'node:child_process';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const SCRIPT = fileURLToPath(import.meta.url);
const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

const { positionals, values: flags } = parseArgs({
  allowPositionals: true,
  options: { dir: { type: 'string' } },
});
const DIR = resolve(flags.dir ?? dirname(SCRIPT));
const CONFIG = join(DIR, 'synctv', 'config.yaml');
const PID_FILE = join(DIR, 'demo-service.pid');
const LOG_FILE = join(DIR, 'demo-service.log');

const commands = { start, stop, restart, status, accepts, serve };
const command = commands[positionals[0] ?? ''];
if (!command || positionals.length > 1) {
  fail(`usage: node ${SCRIPT} start|stop|restart|status|accepts [--dir DIR]`, 2);
}
await command();

// ---------------------------------------------------------------- control (start, stop, ...)

async function start() {
  const running = await runningPid();
  if (running) {
    say(`demo service already running on ${baseUrl()} (pid ${running})`);
    return;
  }
  const port = configuredPort();
  if ((await health(port)) !== undefined) {
    fail(`something else answers on 127.0.0.1:${port}; stop it or choose another port`);
  }
  const log = openSync(LOG_FILE, 'a', 0o600);
  // Detached, in its own session, with no pipe to us: it outlives this command.
  const child = spawn(process.execPath, [SCRIPT, 'serve', '--dir', DIR], {
    detached: true,
    stdio: ['ignore', log, log],
    env: process.env,
  });
  closeSync(log);
  let exited = null;
  child.on('exit', (code, signal) => (exited = code ?? signal));
  child.unref();
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited !== null) fail(`the demo service exited (${exited}) at start:\n${logTail()}`);
    if ((await health(port))?.pid === child.pid) {
      say(`demo service running on ${baseUrl()} (pid ${child.pid})`);
      return;
    }
    await sleep(100);
  }
  kill(child.pid, 'SIGKILL');
  fail(`the demo service did not answer within ${READY_TIMEOUT_MS / 1000} s:\n${logTail()}`);
}

async function stop() {
  const pid = await runningPid();
  if (!pid) {
    rmSync(PID_FILE, { force: true });
    say('demo service is not running');
    return;
  }
  kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (alive(pid) && Date.now() < deadline) await sleep(50);
  if (alive(pid)) {
    kill(pid, 'SIGKILL');
    while (alive(pid)) await sleep(50);
  }
  // The service removes its pid file on a clean stop; not after SIGKILL.
  if (readPid() === pid) rmSync(PID_FILE, { force: true });
  say(`demo service stopped (pid ${pid})`);
}

async function restart() {
  await stop();
  await start();
}

async function status() {
  const pid = await runningPid();
  if (pid) say(`demo service running on ${baseUrl()} (pid ${pid})`);
  else {
    say('demo service is not running');
    process.exitCode = 3;
  }
}

/** Signs a token with the secret on stdin and asks the running service whether it takes it. */
async function accepts() {
  const secret = readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  if (!secret) fail('give the secret on stdin', 2);
  const token = sign(secret, { sub: 'rekey-check', iat: unixNow() });
  const answer = await get(configuredPort(), '/check', { authorization: `Bearer ${token}` });
  if (answer === undefined) fail('the demo service does not answer', 2);
  if (answer.status === 200) say('accepted: the service signs with this secret');
  else fail(`refused (${answer.status}): the service does not sign with this secret`, 1);
}

/** The pid of our service when it runs and answers; undefined otherwise. */
async function runningPid() {
  const pid = readPid();
  if (!pid || !alive(pid)) return undefined;
  const port = existsSync(CONFIG) ? configuredPort() : undefined;
  if (port !== undefined && (await health(port, 1_000))?.pid === pid) return pid;
  // A pid file left behind, whose number another process may have by now: only a process
  // that runs this script is ours.
  return commandLineOf(pid)?.includes(SCRIPT) ? pid : undefined;
}

function readPid() {
  try {
    const pid = Number(readFileSync(PID_FILE, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Running, and not a zombie (an exited child whose parent has not reaped it yet). */
function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

function commandLineOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

function kill(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch {
    // Gone already.
  }
}

async function health(port, timeoutMs = 2_000) {
  const answer = await get(port, '/health', {}, timeoutMs);
  if (answer?.status !== 200) return undefined;
  try {
    return JSON.parse(answer.body);
  } catch {
    return undefined;
  }
}

function get(port, path, headers = {}, timeoutMs = 5_000) {
  return new Promise((done) => {
    const outgoing = request(
      { host: '127.0.0.1', port, path, headers, agent: false, timeout: timeoutMs },
      (incoming) => {
        let body = '';
        incoming.on('data', (chunk) => (body += chunk));
        incoming.on('end', () => done({ status: incoming.statusCode, body }));
        incoming.on('error', () => done(undefined));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy());
    outgoing.on('error', () => done(undefined));
    outgoing.end();
  });
}

function logTail() {
  try {
    return readFileSync(LOG_FILE, 'utf8').trimEnd().split('\n').slice(-5).join('\n');
  } catch {
    return '(no log)';
  }
}

// ---------------------------------------------------------------- the service itself

async function serve() {
  const config = readFileSync(CONFIG, 'utf8');
  const secret = yamlValue(config, 'jwt.secret');
  if (!secret) fail(`no jwt.secret in ${CONFIG}`);
  const port = configuredPort(config);
  const keyId = createHash('sha256').update(secret).digest('hex').slice(0, 8);
  const startedAt = new Date().toISOString();

  const server = createServer((incoming, outgoing) => {
    route(incoming, outgoing).catch(() => reply(outgoing, 500, { error: 'internal error' }));
  });
  const route = async (incoming, outgoing) => {
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    if (incoming.method === 'GET' && url.pathname === '/health') {
      return reply(outgoing, 200, { status: 'ok', pid: process.pid, port, startedAt, keyId });
    }
    if (incoming.method === 'GET' && url.pathname === '/') {
      outgoing.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
      return outgoing.end(page({ port, startedAt, keyId }));
    }
    if (incoming.method === 'POST' && url.pathname === '/token') {
      const body = await readBody(incoming);
      const subject = typeof body.subject === 'string' ? body.subject.slice(0, 200) : 'demo-user';
      return reply(outgoing, 200, { token: sign(secret, { sub: subject, iat: unixNow() }) });
    }
    if (incoming.method === 'GET' && url.pathname === '/check') {
      const token = /^Bearer (.+)$/.exec(incoming.headers.authorization ?? '')?.[1] ?? '';
      return verifies(secret, token)
        ? reply(outgoing, 200, { ok: true })
        : reply(outgoing, 401, {});
    }
    return reply(outgoing, 404, {});
  };

  server.on('error', (error) => fail(`cannot listen on 127.0.0.1:${port}: ${error.message}`));
  server.listen(port, '127.0.0.1', () => {
    writeFileSync(PID_FILE, `${process.pid}\n`, { mode: 0o600 });
    log(
      `started (pid ${process.pid}) on http://127.0.0.1:${port}; jwt.secret loaded from ${CONFIG} (key id ${keyId})`,
    );
  });
  const shutdown = () => {
    log(`stopping (pid ${process.pid})`);
    if (readPid() === process.pid) rmSync(PID_FILE, { force: true });
    server.close(() => process.exit(0));
    // An open keep-alive connection must not hold up a stop.
    server.closeAllConnections();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

function page({ port, startedAt, keyId }) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Rekey demo service</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{background:#eee;padding:0 .25rem}</style>
</head><body>
<h1>Rekey demo service</h1>
<p>A stand-in for SyncTV, running on this machine (pid ${process.pid}, port ${port}) since ${startedAt}.</p>
<p>It signs tokens with <code>jwt.secret</code> from <code>${escapeHtml(CONFIG)}</code>, read once at start.
Its key id is <strong>${keyId}</strong>: rotate <code>demo/jwt.secret</code> with Rekey and reload this page.</p>
<p><code>POST /token</code> issues a token, <code>GET /check</code> checks one, <code>GET /health</code> says how it is.</p>
</body></html>
`;
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sign(secret, claims) {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify(claims));
  return `${header}.${payload}.${signature(secret, `${header}.${payload}`)}`;
}

function verifies(secret, token) {
  const [header, payload, given, ...rest] = token.split('.');
  if (!header || !payload || !given || rest.length > 0) return false;
  try {
    if (JSON.parse(Buffer.from(header, 'base64url').toString()).alg !== 'HS256') return false;
  } catch {
    return false;
  }
  const expected = Buffer.from(signature(secret, `${header}.${payload}`));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function signature(secret, input) {
  return createHmac('sha256', secret).update(input).digest('base64url');
}

// ---------------------------------------------------------------- config.yaml, read minimally

/** The port of server.listen (`127.0.0.1:PORT`); the service always binds 127.0.0.1. */
function configuredPort(text) {
  if (text === undefined && !existsSync(CONFIG))
    fail(`${CONFIG} is missing: is ${DIR} a Rekey demo?`);
  const listen = yamlValue(text ?? readFileSync(CONFIG, 'utf8'), 'server.listen') ?? '';
  const port = Number(/:(\d+)$/.exec(listen)?.[1]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    fail(`server.listen in ${CONFIG} is not 127.0.0.1:PORT`);
  }
  return port;
}

function baseUrl() {
  return `http://127.0.0.1:${configuredPort()}`;
}

/**
 * A block-mapping scalar at a dotted path, found by indentation: enough for the config.yaml
 * Rekey writes (no flow mappings, anchors or multi-line scalars at these keys).
 */
function yamlValue(text, dottedKey) {
  const wanted = dottedKey.split('.');
  const path = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^(\s*)([^\s#:][^:]*?)\s*:(?:\s+(.*))?$/.exec(line);
    if (!match) continue;
    const indent = match[1].length;
    while (path.length > 0 && path[path.length - 1].indent >= indent) path.pop();
    path.push({ indent, key: unquote(match[2]) });
    const atWanted =
      path.length === wanted.length && path.every((part, i) => part.key === wanted[i]);
    if (atWanted && match[3] !== undefined) return scalar(match[3]);
  }
  return undefined;
}

/** A value as written after `:`: quotes removed, or a trailing ` # comment` dropped. */
function scalar(raw) {
  const text = raw.trim();
  const quoted = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')(?:\s+#.*)?$/.exec(text);
  if (quoted) return unquote(quoted[1]);
  return text.replace(/\s+#.*$/, '');
}

function unquote(text) {
  if (/^'.*'$/.test(text)) return text.slice(1, -1).replaceAll("''", "'");
  if (/^".*"$/.test(text)) return JSON.parse(text);
  return text;
}

// ---------------------------------------------------------------- small helpers

function readBody(incoming) {
  return new Promise((done) => {
    let text = '';
    incoming.on('data', (chunk) => {
      text += chunk;
      if (text.length > 65_536) incoming.destroy();
    });
    incoming.on('end', () => {
      try {
        done(JSON.parse(text || '{}'));
      } catch {
        done({});
      }
    });
    incoming.on('error', () => done({}));
  });
}

function reply(outgoing, status, body) {
  outgoing.writeHead(status, { 'content-type': 'application/json' });
  outgoing.end(JSON.stringify(body));
}

function base64url(text) {
  return Buffer.from(text).toString('base64url');
}

function unixNow() {
  return Math.floor(Date.now() / 1000);
}

function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms));
}

function say(text) {
  process.stdout.write(`${text}\n`);
}

function log(text) {
  process.stdout.write(`${new Date().toISOString()} ${text}\n`);
}

function fail(message, code = 1) {
  process.stderr.write(`demo service: ${message}\n`);
  process.exit(code);
}
