import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MiB,
  PacedReader,
  errorOf,
  streamErrorOf,
  streamingContract,
} from '../helpers/connector-streams';
import { endpointOf, processArgs, useConnections, waitFor } from '../helpers/ssh-client';
import { useSshd } from '../helpers/sshd';
import { useTempDirs } from '../helpers/temp';

/**
 * openRead (SFTP read stream) and execStream (exec channel, env preamble then input on stdin)
 * against a real OpenSSH sshd on loopback, and what a lost connection does to them: `done`
 * rejects with CONNECTION_LOST and the stream FAILS with the same error (it does not end), so
 * a truncated dump is never mistaken for a complete one.
 */

describe('ssh connector: streams', () => {
  const sshd = useSshd();
  const tempDir = useTempDirs();
  const connect = useConnections();
  streamingContract(() => connect(endpointOf(sshd())), tempDir);

  it('a dropped connection mid-stream rejects done with CONNECTION_LOST and fails stdout', async () => {
    const connector = await connect(endpointOf(sshd()));
    const marker = `rekey-stream-drop-${randomBytes(4).toString('hex')}`;
    const { stdout, done } = await connector.execStream({
      argv: ['sh', '-c', 'head -c 268435456 /dev/urandom', marker],
    });
    const streamError = streamErrorOf(stdout);
    const reader = new PacedReader(stdout);
    await waitFor('some output', () => (reader.bytes > MiB ? true : undefined));
    // Not reading when the connection drops: the loss is still noticed at once.
    reader.hold();
    expect(sshd().dropConnections()).toBeGreaterThan(0);
    const error = await errorOf(done);
    expect(error.code).toBe('CONNECTION_LOST');
    expect(error.message).toContain('vps-test');
    expect(await streamError).toBe(error);
    expect(reader.bytes).toBeLessThan(256 * MiB);
    await waitFor('the remote command to end', () =>
      processArgs().includes(marker) ? undefined : true,
    );
    expect((await errorOf(connector.execStream({ argv: ['true'] }))).code).toBe('CONNECTION_LOST');
  });

  it('a dropped connection mid-read fails the openRead stream with CONNECTION_LOST', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'big.bin'), randomBytes(64 * MiB));
    const connector = await connect(endpointOf(sshd()));
    const { stream } = await connector.openRead(join(dir, 'big.bin'));
    const streamError = streamErrorOf(stream);
    const reader = new PacedReader(stream);
    await waitFor('some content', () => (reader.bytes > MiB ? true : undefined));
    reader.hold();
    expect(sshd().dropConnections()).toBeGreaterThan(0);
    expect((await streamError).code).toBe('CONNECTION_LOST');
    expect((await errorOf(connector.openRead(join(dir, 'big.bin')))).code).toBe('CONNECTION_LOST');
  });

  it('a streamed command keeps its channel until read, and others queue behind it', async () => {
    const connector = await connect(endpointOf(sshd(), { maxConcurrentCommands: 1 }));
    const first = await connector.execStream({ argv: ['echo', 'first'] });
    let secondDone = false;
    const second = connector.exec({ argv: ['echo', 'second'] }).then((result) => {
      secondDone = true;
      return result;
    });
    const out: Buffer[] = [];
    // The first command has long exited, but its output is not read yet: the slot is taken.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(secondDone).toBe(false);
    first.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    expect((await first.done).code).toBe(0);
    expect(Buffer.concat(out).toString()).toBe('first\n');
    expect((await second).stdout).toBe('second\n');
  });
});
