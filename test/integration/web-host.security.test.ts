import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RekeyApp, createApp } from '../../src/main/app';
import { type WebHost, startWebHost } from '../../src/main/host/web';
import { CONTENT_SECURITY_POLICY } from '../../src/main/security/csp';
import { useTempDirs } from '../helpers/temp';
import { FAST_KDF, PASSWORD } from '../helpers/vault';

/**
 * Threat: another local user, a web page in the user's browser, or a DNS-rebinding page
 * talking to the browser host. Only the tab holding the token may call the API.
 */

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function http(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('browser host', () => {
  const tempDir = useTempDirs();
  const hosts: WebHost[] = [];
  afterEach(async () => {
    for (const host of hosts.splice(0)) await host.close();
  });

  async function start(): Promise<{ host: WebHost; app: RekeyApp; token: string; origin: string }> {
    const dir = tempDir();
    const rendererDir = join(dir, 'renderer');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Rekey</title>');
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'outside the root');
    const app = createApp({ vaultPath: join(dir, 'vault.rekey'), source: 'browser' });
    const host = await startWebHost({ app, rendererDir });
    hosts.push(host);
    const token = new URL(host.url).hash.replace('#token=', '');
    return { host, app, token, origin: `http://127.0.0.1:${host.port}` };
  }

  const json = (origin: string, extra: Record<string, string> = {}) => ({
    'content-type': 'application/json',
    origin,
    ...extra,
  });

  async function signIn(port: number, token: string, origin: string): Promise<string> {
    const reply = await http(port, '/api/session', {
      method: 'POST',
      headers: json(origin),
      body: JSON.stringify({ token }),
    });
    expect(reply.status).toBe(200);
    const cookie = String(reply.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    return cookie.split(';')[0] as string;
  }

  it('listens on loopback only, with a token in the fragment', async () => {
    const { host } = await start();
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
  });

  it('serves the renderer with the same CSP as the window, and nothing outside it', async () => {
    const { host } = await start();
    const page = await http(host.port, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect((await http(host.port, '/assets/app.js')).status).toBe(200);
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/../../secret.txt',
      '/%E0%A4%A',
    ]) {
      expect((await http(host.port, path)).status, path).toBe(404);
    }
  });

  it('refuses calls without the cookie, and a forged or reused token', async () => {
    const { host, token, origin } = await start();
    const call = await http(host.port, '/api/call/vault.status', {
      method: 'POST',
      headers: json(origin),
      body: '{}',
    });
    expect(call.status).toBe(401);
    const forged = await http(host.port, '/api/session', {
      method: 'POST',
      headers: json(origin),
      body: JSON.stringify({ token: 'A'.repeat(43) }),
    });
    expect(forged.status).toBe(403);
    const cookie = await signIn(host.port, token, origin);
    const reused = await http(host.port, '/api/session', {
      method: 'POST',
      headers: json(origin),
      body: JSON.stringify({ token }),
    });
    expect(reused.status).toBe(403);
    const forgedCookie = await http(host.port, '/api/call/vault.status', {
      method: 'POST',
      headers: json(origin, { cookie: 'rekey_session=guess' }),
      body: '{}',
    });
    expect(forgedCookie.status).toBe(401);
    const ok = await http(host.port, '/api/call/vault.status', {
      method: 'POST',
      headers: json(origin, { cookie }),
      body: '{}',
    });
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { state: 'missing' } });
  });

  it('refuses a wrong Host (DNS rebinding), a foreign Origin and cross-site fetches', async () => {
    const { host, token, origin } = await start();
    const cookie = await signIn(host.port, token, origin);
    const body = '{}';
    const rebinding = await http(host.port, '/api/call/vault.status', {
      method: 'POST',
      headers: json(origin, { cookie, host: `attacker.example:${host.port}` }),
      body,
    });
    expect(rebinding.status).toBe(421);
    expect((await http(host.port, '/', { headers: { host: 'rebind.example' } })).status).toBe(421);
    const foreign = await http(host.port, '/api/call/vault.status', {
      method: 'POST',
      headers: json('http://evil.example', { cookie }),
      body,
    });
    expect(foreign.status).toBe(403);
    const noOrigin = await http(host.port, '/api/call/vault.status', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body,
    });
    expect(noOrigin.status).toBe(403);
    const crossSite = await http(host.port, '/api/call/vault.status', {
      method: 'POST',
      headers: json(origin, { cookie, 'sec-fetch-site': 'cross-site' }),
      body,
    });
    expect(crossSite.status).toBe(403);
    const form = await http(host.port, '/api/call/vault.lock', {
      method: 'POST',
      headers: { origin, cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=b',
    });
    expect(form.status).toBe(415);
  });

  it('answers bad input with a clear error and keeps serving', async () => {
    const { host, token, origin } = await start();
    const cookie = await signIn(host.port, token, origin);
    const post = (path: string, body: string | Buffer) =>
      http(host.port, path, { method: 'POST', headers: json(origin, { cookie }), body });
    const invalid = await post('/api/call/secrets.add', JSON.stringify({ ref: 'no slash' }));
    expect(JSON.parse(invalid.body)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('ref:') },
    });
    expect((await post('/api/call/secrets.add', '{not json')).status).toBe(400);
    expect((await post('/api/call/nothing.here', '{}')).status).toBe(404);
    expect((await post('/api/call/vault.status', Buffer.alloc(17 * 1024 * 1024, 32))).status).toBe(
      413,
    );
    expect(JSON.parse((await post('/api/call/vault.status', '{}')).body)).toMatchObject({
      ok: true,
    });
  });

  it('streams events to signed-in tabs only', async () => {
    const { host, app, token, origin } = await start();
    expect((await http(host.port, '/api/events')).status).toBe(401);
    const cookie = await signIn(host.port, token, origin);
    const received = new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          path: '/api/events',
          headers: { host: `127.0.0.1:${host.port}`, cookie },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (text.includes('vault.unlocked')) {
              resolve(text);
              req.destroy();
            } else if (text.includes(': connected')) {
              void app.call('vault.create', { password: PASSWORD, kdf: FAST_KDF });
            }
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(await received).toContain('data: {"type":"vault.unlocked"}');
  });
});
