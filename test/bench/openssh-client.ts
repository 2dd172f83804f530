import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SshdServer } from '../helpers/sshd-server';

/**
 * The OpenSSH client as a shell script would use it, the peer Rekey's SSH benchmarks run in
 * the same run: a new `ssh` connection per command, the host key pinned in a known_hosts file.
 */

/** Writes a known_hosts file pinning the server's key; returns its path. */
export function knownHostsFor(server: SshdServer, path: string): string {
  const hostKey = readFileSync(join(server.dir, 'host_ed25519.pub'), 'utf8').trim();
  writeFileSync(path, `[127.0.0.1]:${server.port} ${hostKey}\n`);
  return path;
}

/** Runs `command` on the server over a fresh connection, `stdin` on its standard input. */
export function sshRun(
  server: SshdServer,
  knownHosts: string,
  command: string,
  stdin = '',
): Promise<void> {
  const args = [
    '-F',
    '/dev/null',
    '-i',
    server.clientKeys.plain,
    '-p',
    String(server.port),
    '-o',
    `UserKnownHostsFile=${knownHosts}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'IdentitiesOnly=yes',
    `${server.user}@127.0.0.1`,
    command,
  ];
  return new Promise<void>((resolve, reject) => {
    const child = spawn('ssh', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`ssh exited with ${code}: ${stderr}`)),
    );
    child.stdin.end(stdin);
  });
}
