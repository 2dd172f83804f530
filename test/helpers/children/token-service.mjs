// A small HTTP service that stands in for SyncTV or lk-jwt-service in Rekey's rotation tests:
// at start it reads its signing secret from a config file, then issues HS256 tokens signed
// with it and accepts only tokens that verify with it. Like the real services it reads the
// secret once, at start: a changed file takes effect only after a restart.
//
//   node token-service.mjs --port N --config FILE|- --format yaml|dotenv|raw [--key KEY]
//
// The flags name the file and the key, never the value. `--config -` reads the file's text
// from stdin (the harness uses it for a secret delivered through the environment: the
// snapshot compose took when it created the container). KEY is a dotted path for yaml
// (`jwt.secret`) and a variable name for dotenv (`LIVEKIT_SECRET`).
//
// POST /token {"subject": "..."} -> 200 {"token": "..."}
// GET /check with `Authorization: Bearer <token>` -> 200 if it verifies, else 401
// GET /health -> 200 {"status": "ok", "pid": ...}
//
// Plain Node.js, no dependencies: it runs as its own process, restarted and killed by tests.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values: flags } = parseArgs({
  options: {
    port: { type: 'string' },
    config: { type: 'string' },
    format: { type: 'string' },
    key: { type: 'string' },
  },
});

const secret = loadSecret(flags);
const server = createServer((request, response) => {
  route(request, response).catch((error) => reply(response, 500, { error: String(error) }));
});
server.listen(Number(flags.port ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
server.on('error', (error) => fail(`cannot listen: ${error.message}`));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  // An open keep-alive connection must not hold up a stop.
  server.closeAllConnections();
});

async function route(request, response) {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (request.method === 'GET' && url.pathname === '/health') {
    return reply(response, 200, { status: 'ok', pid: process.pid });
  }
  if (request.method === 'POST' && url.pathname === '/token') {
    const body = await readBody(request);
    const subject = typeof body.subject === 'string' ? body.subject : 'rekey-user';
    return reply(response, 200, { token: sign({ sub: subject, iat: unixNow() }) });
  }
  if (request.method === 'GET' && url.pathname === '/check') {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    return verifies(token) ? reply(response, 200, { ok: true }) : reply(response, 401, {});
  }
  return reply(response, 404, {});
}

function sign(claims) {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify(claims));
  return `${header}.${payload}.${signature(`${header}.${payload}`)}`;
}

function verifies(token) {
  const [header, payload, given, ...rest] = token.split('.');
  if (!header || !payload || !given || rest.length > 0) return false;
  try {
    if (JSON.parse(Buffer.from(header, 'base64url').toString()).alg !== 'HS256') return false;
  } catch {
    return false;
  }
  const expected = Buffer.from(signature(`${header}.${payload}`));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function signature(input) {
  return createHmac('sha256', secret).update(input).digest('base64url');
}

function loadSecret({ config, format, key }) {
  if (!config || !format) fail('usage: --config FILE|- --format yaml|dotenv|raw [--key KEY]');
  const text = config === '-' ? readFileSync(0, 'utf8') : readFileSync(config, 'utf8');
  const where = config === '-' ? 'stdin' : config;
  let value;
  if (format === 'raw') value = text.replace(/\r?\n$/, '');
  else if (format === 'dotenv') value = dotenvValue(text, key ?? fail('--key is required'));
  else if (format === 'yaml') value = yamlValue(text, key ?? fail('--key is required'));
  else fail(`unknown --format ${format}`);
  if (!value) fail(`no secret ${key ?? ''} in ${where}`);
  process.stderr.write(`token service: secret ${key ?? '(whole file)'} loaded from ${where}\n`);
  return value;
}

/** `KEY=value` lines (optionally `export KEY=...`, quoted, with trailing comments). */
function dotenvValue(text, key) {
  let found;
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (match?.[1] === key) found = scalar(match[2]);
  }
  return found;
}

/** A block-mapping scalar at a dotted path, found by indentation (no flow style, anchors). */
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

/** A value as written after `=` or `:`: quotes removed, or a trailing ` # comment` dropped. */
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

function readBody(request) {
  return new Promise((resolve) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      try {
        resolve(JSON.parse(text || '{}'));
      } catch {
        resolve({});
      }
    });
  });
}

function reply(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function base64url(text) {
  return Buffer.from(text).toString('base64url');
}

function unixNow() {
  return Math.floor(Date.now() / 1000);
}

function fail(message) {
  process.stderr.write(`token service: ${message}\n`);
  process.exit(1);
}
