import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  endpointOf,
  failureOf,
  messagesOf,
  processArgs,
  useConnections,
  waitFor,
} from '../helpers/ssh-client';
import { useSshd } from '../helpers/sshd';
import { useTempDirs } from '../helpers/temp';

/**
 * Threat: a secret leaking on its way to a host. Other users of the host see every command
 * line in `ps`, and error messages end up in logs, the history and bug reports. Secrets go
 * only through stdin and the environment, and no failure quotes one.
 */

const sha256 = (value: string | Buffer) => createHash('sha256').update(value).digest('hex');
const SECRET = `rekey-secret-${randomBytes(12).toString('hex')}`;
/** The forms a leak could take: the value, and the base64 the launcher decodes. */
const SECRET_FORMS = [SECRET, Buffer.from(SECRET).toString('base64')];

describe('ssh secrets: command lines', () => {
  const sshd = useSshd();
  const connect = useConnections();

  it('hands env and stdin to the command exactly, and never to ps', async () => {
    const connector = await connect(endpointOf(sshd()));
    const probe = `rekey-ps-probe-${randomBytes(4).toString('hex')}`;
    const stdin = Buffer.concat([Buffer.from(`${SECRET}\n`), Buffer.from([0, 0xff, 0x0a])]);
    const snapshots: string[] = [];
    let running = true;
    const watching = (async () => {
      while (running) {
        snapshots.push(processArgs());
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const result = await connector
      .exec({
        argv: ['sh', '-c', 'printf %s "$REKEY_TOKEN" | sha256sum; sha256sum; sleep 2', probe],
        env: { REKEY_TOKEN: SECRET },
        stdin,
      })
      .finally(() => (running = false));
    await watching;

    expect(result).toMatchObject({ code: 0, stderr: '' });
    const [envHash, stdinHash] = result.stdout.split('\n').map((line) => line.split(' ')[0]);
    expect(envHash).toBe(sha256(SECRET));
    expect(stdinHash).toBe(sha256(stdin));
    // The watcher did see the command running...
    expect(snapshots.some((snapshot) => snapshot.includes(probe))).toBe(true);
    expect(snapshots.length).toBeGreaterThan(20);
    // ...and never the secret, plain or base64, on any command line.
    for (const snapshot of snapshots) {
      for (const form of SECRET_FORMS) expect(snapshot).not.toContain(form);
    }
  });
});

describe('ssh secrets: error messages', () => {
  const sshd = useSshd();
  const tempDir = useTempDirs();
  const connect = useConnections();

  it('never puts a secret value into an error message', async () => {
    const dir = tempDir();
    const privateKey = readFileSync(sshd().clientKeys.protected, 'utf8');
    const keyBody = privateKey.split('\n')[1] ?? '';
    const failures: unknown[] = [];
    const collect = async (operation: Promise<unknown>) => {
      failures.push(await failureOf(operation));
    };

    await collect(
      connect(
        endpointOf(sshd(), { auth: { kind: 'key', privateKey, passphrase: `${SECRET}-wrong` } }),
      ),
    );
    await collect(connect(endpointOf(sshd(), { auth: { kind: 'key', privateKey: SECRET } })));
    const connector = await connect(endpointOf(sshd()));
    await collect(connector.writeFile(dir, SECRET));
    await collect(connector.writeFile(join(dir, 'missing-dir', 'app.env'), SECRET));
    await collect(
      connector.exec({
        argv: ['sleep', '5'],
        env: { REKEY_TOKEN: SECRET },
        stdin: SECRET,
        timeoutMs: 200,
      }),
    );
    await collect(connector.fingerprint({ kind: 'file', path: join(dir, 'missing') }));
    const big = Buffer.alloc(48 * 1024 * 1024, SECRET);
    const writing = collect(connector.writeFile(join(dir, 'lost.env'), big));
    await waitFor('the write to start', () =>
      readdirSync(dir).some((name) => name.includes('.rekey-tmp-')) ? true : undefined,
    );
    sshd().dropConnections();
    await writing;

    expect(failures).toHaveLength(7);
    for (const failure of failures) {
      const text = messagesOf(failure);
      for (const form of SECRET_FORMS) expect(text).not.toContain(form);
      expect(text).not.toContain(keyBody);
    }
  });
});
