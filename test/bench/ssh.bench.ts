/**
 * SSH benchmark: Rekey writes 50 small targets on one host in one run (one pooled connection,
 * every write with a backup copy, a temporary file, fsync and an atomic rename) against the
 * OpenSSH client opening a new `ssh` connection per target and overwriting it with
 * `cat > path`, the way a shell script would. Both against the same private sshd, same run.
 *
 * Run with `npm run bench:ssh`. Not part of the test suite: it prints times and ratios and
 * never fails on a number.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { quoteShellWord } from '../../src/main/connectors/shell-quote';
import { type SshEndpoint, SshPool } from '../../src/main/connectors/ssh';
import { type SshdServer, startSshd } from '../helpers/sshd-server';
import { knownHostsFor, sshRun } from './openssh-client';

const TARGETS = 50;
const ROUNDS = 3;

function targetPath(dir: string, index: number): string {
  return join(dir, `service-${String(index).padStart(2, '0')}.env`);
}

function contentFor(round: number, index: number): string {
  return `# service ${index}\nAPI_TOKEN=round-${round}-${index}-${'x'.repeat(40)}\n`;
}

async function rekeyRun(server: SshdServer, dir: string, round: number): Promise<number> {
  const endpoint: SshEndpoint = {
    name: 'bench-host',
    address: '127.0.0.1',
    port: server.port,
    user: server.user,
    auth: { kind: 'key', privateKey: readFileSync(server.clientKeys.plain, 'utf8') },
    pinnedFingerprint: server.hostKeyFingerprint,
  };
  const started = performance.now();
  const pool = new SshPool();
  try {
    for (let index = 0; index < TARGETS; index++) {
      const connector = await pool.get(endpoint);
      await connector.writeFile(targetPath(dir, index), contentFor(round, index));
    }
  } finally {
    await pool.closeAll();
  }
  return performance.now() - started;
}

async function opensshRun(server: SshdServer, dir: string, round: number): Promise<number> {
  const knownHosts = knownHostsFor(server, `${dir}.known_hosts`);
  const started = performance.now();
  for (let index = 0; index < TARGETS; index++) {
    const path = targetPath(dir, index);
    await sshRun(server, knownHosts, `cat > ${quoteShellWord(path)}`, contentFor(round, index));
  }
  return performance.now() - started;
}

function check(dir: string, round: number, who: string): void {
  for (let index = 0; index < TARGETS; index++) {
    const actual = readFileSync(targetPath(dir, index), 'utf8');
    if (actual !== contentFor(round, index)) throw new Error(`${who}: target ${index} is wrong`);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

async function main(): Promise<void> {
  const server = await startSshd();
  const work = mkdtempSync(join(tmpdir(), 'rekey-ssh-bench-'));
  const rekeyDir = join(work, 'rekey');
  const opensshDir = join(work, 'openssh');
  try {
    for (const dir of [rekeyDir, opensshDir]) {
      mkdirSync(dir);
      for (let index = 0; index < TARGETS; index++) {
        writeFileSync(targetPath(dir, index), contentFor(-1, index), { mode: 0o640 });
      }
    }
    const rekeyTimes: number[] = [];
    const opensshTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rekeyTimes.push(await rekeyRun(server, rekeyDir, round));
      check(rekeyDir, round, 'rekey');
      opensshTimes.push(await opensshRun(server, opensshDir, round));
      check(opensshDir, round, 'openssh');
    }
    const rekey = median(rekeyTimes);
    const openssh = median(opensshTimes);
    console.log(`SSH benchmark: ${TARGETS} small targets on one host, median of ${ROUNDS} rounds`);
    console.log(`machine: ${cpus().length} cpus, load ${loadavg()[0]?.toFixed(2)}`);
    console.log(
      `  Rekey (one pooled connection; backup, temp, fsync, atomic rename each): ${ms(rekey)}` +
        `  (${ms(rekey / TARGETS)} per target; rounds ${rekeyTimes.map(ms).join(', ')})`,
    );
    console.log(
      `  OpenSSH ssh per target (new connection; plain overwrite):           ${ms(openssh)}` +
        `  (${ms(openssh / TARGETS)} per target; rounds ${opensshTimes.map(ms).join(', ')})`,
    );
    console.log(`  ratio OpenSSH / Rekey: ${(openssh / rekey).toFixed(1)}x`);
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
