/**
 * Rotation benchmark: 20 secrets across 5 hosts (a private sshd each, on loopback), four per
 * host in one deployment, each deployment rotated in one run: generate and stage, write with
 * backup and atomic rename, one restart per host (a 200 ms command standing in for it), and
 * a fingerprint check. Serial (one deployment after the other) and parallel (all five at
 * once), against a shell script doing the same with the OpenSSH client in the same run.
 *
 * Besides the totals it prints the engine's own overhead: the run's time minus the time its
 * steps spent working (recorded by the engine in the run's log), i.e. planning, staging the
 * values and the fsynced journal record at every transition.
 *
 * Run with `npm run bench:rotation` (entry: rotation.bench.ts). Not part of the test suite: it prints times and ratios
 * and never fails on a number.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RekeyApp, createApp } from '../../src/main/app';
import { quoteShellWord } from '../../src/main/connectors/shell-quote';
import type { RotationRun } from '../../src/shared/rotation-api';
import { ok } from '../helpers/app';
import { type SshdServer, startSshd } from '../helpers/sshd-server';
import { FAST_KDF, PASSWORD } from '../helpers/vault';
import { knownHostsFor, sshRun } from './openssh-client';

const HOSTS = 5;
const PER_HOST = 4;
const RESTART_SECONDS = '0.2';

const secretName = (index: number) => `token-${index}`;
const fileName = (index: number) => `service-${index}.env`;
const newToken = () => randomBytes(24).toString('hex');

function playbook(): string {
  const secrets = Array.from(
    { length: PER_HOST },
    (_, index) => `  - name: ${secretName(index)}
    description: An API token.
    impact: Its clients are refused until they use the new one.
    difficulty: low
    handling: Write, restart, check.
    policy: { kind: interval, days: 90 }
    generator: { kind: hex, length: 24 }
    targets:
      - id: env
        format: dotenv
        path: \${dir}/${fileName(index)}
        key: API_TOKEN
    steps:
      - kind: generate
      - kind: write
        targets: [env]
      - kind: restart
        via: command
        argv: [sleep, '${RESTART_SECONDS}']
      - kind: verify
        check: { type: fingerprint }
`,
  );
  return `id: bench
name: Bench
service: bench
description: Four tokens per host.
variables:
  dir: { description: Where the files are on the host. }
checklist: [backup]
secrets:
${secrets.join('')}`;
}

interface Host {
  server: SshdServer;
  dir: string;
}

async function setUp(work: string, hosts: Host[]): Promise<RekeyApp> {
  const app = createApp({ vaultPath: join(work, 'bench.rekey'), source: 'cli' });
  await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
  await ok(app, 'playbooks.add', { text: playbook(), fileName: 'bench.yaml' });
  for (const [index, host] of hosts.entries()) {
    const name = `host-${index}`;
    await ok(app, 'hosts.add', {
      name,
      address: '127.0.0.1',
      port: host.server.port,
      user: host.server.user,
      login: { kind: 'import', privateKey: readFileSync(host.server.clientKeys.plain, 'utf8') },
    });
    await ok(app, 'hosts.trust', { name, fingerprint: host.server.hostKeyFingerprint });
    for (let secret = 0; secret < PER_HOST; secret++) {
      const value = newToken();
      writeFileSync(join(host.dir, fileName(secret)), `# service ${secret}\nAPI_TOKEN=${value}\n`);
      await ok(app, 'secrets.add', {
        ref: `site-${index}/${secretName(secret)}`,
        value: { kind: 'enter', value },
      });
    }
    await ok(app, 'deployments.setHosts', { name: `site-${index}`, hosts: [name] });
    await ok(app, 'deployments.setPlaybook', {
      name: `site-${index}`,
      playbook: 'bench',
      variables: { dir: host.dir },
    });
  }
  return app;
}

const refsOf = (index: number) =>
  Array.from({ length: PER_HOST }, (_, secret) => `site-${index}/${secretName(secret)}`);

async function rotateSite(app: RekeyApp, index: number): Promise<RotationRun> {
  const run = await ok(app, 'rotations.start', {
    refs: refsOf(index),
    confirmed: ['backup'],
    wait: true,
  });
  if (run.status !== 'rotated') throw new Error(`site-${index}: ${run.status}: ${run.detail}`);
  return run;
}

/** Milliseconds the run's steps spent working, from the engine's own records. */
function stepTime(run: RotationRun): number {
  let total = 0;
  const started = new Map<number, number>();
  for (const entry of run.log) {
    const at = Date.parse(entry.at);
    if (entry.state === 'running') started.set(entry.index, at);
    if (entry.state === 'done' && started.has(entry.index)) {
      total += at - (started.get(entry.index) ?? at);
    }
  }
  return total;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/** The same work as a script would do it: a new ssh per file write, restart and check. */
async function scriptRun(hosts: Host[], work: string): Promise<number> {
  const started = performance.now();
  for (const [index, host] of hosts.entries()) {
    const knownHosts = knownHostsFor(host.server, join(work, `known_hosts-${index}`));
    const paths = Array.from({ length: PER_HOST }, (_, secret) => join(host.dir, fileName(secret)));
    for (const [secret, path] of paths.entries()) {
      await sshRun(
        host.server,
        knownHosts,
        `cat > ${quoteShellWord(path)}`,
        `# service ${secret}\nAPI_TOKEN=${newToken()}\n`,
      );
    }
    await sshRun(host.server, knownHosts, `sleep ${RESTART_SECONDS}`);
    await sshRun(
      host.server,
      knownHosts,
      `sha256sum ${paths.map(quoteShellWord).join(' ')} > /dev/null`,
    );
  }
  return performance.now() - started;
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'rekey-rotation-bench-'));
  const hosts: Host[] = [];
  try {
    for (let index = 0; index < HOSTS; index++) {
      const dir = join(work, `host-${index}`);
      mkdirSync(dir);
      hosts.push({ server: await startSshd(), dir });
    }
    const app = await setUp(work, hosts);
    const sites = Array.from({ length: HOSTS }, (_, index) => index);

    const serial = await timed(async () => {
      const runs: RotationRun[] = [];
      for (const site of sites) runs.push(await rotateSite(app, site));
      return runs;
    });
    const parallel = await timed(() => Promise.all(sites.map((site) => rotateSite(app, site))));
    const script = await scriptRun(hosts, work);

    const working = serial.value.reduce((sum, run) => sum + stepTime(run), 0);
    const restartFloor = HOSTS * Number(RESTART_SECONDS) * 1000;
    console.log(
      `Rotation benchmark: ${HOSTS * PER_HOST} secrets across ${HOSTS} loopback hosts (${PER_HOST} per host, one run per host)`,
    );
    console.log(`machine: ${cpus().length} cpus, load ${loadavg()[0]?.toFixed(2)}`);
    console.log(`  Rekey, hosts one after the other: ${ms(serial.ms)}`);
    console.log(
      `    steps working (writes, restarts, checks): ${ms(working)} (restarts alone ${ms(restartFloor)})`,
    );
    console.log(
      `    engine overhead (plan, staging, a journal record per transition): ${ms(serial.ms - working)} (${ms((serial.ms - working) / (HOSTS * PER_HOST))} per secret)`,
    );
    console.log(
      `  Rekey, all hosts at once:        ${ms(parallel.ms)}  (${(serial.ms / parallel.ms).toFixed(1)}x faster than one after the other)`,
    );
    console.log(
      `  Shell script with ssh per command (no backup, no atomic write, no record): ${ms(script)}`,
    );
    console.log(
      `  ratio script / Rekey serial: ${(script / serial.ms).toFixed(2)}x; script / Rekey parallel: ${(script / parallel.ms).toFixed(2)}x`,
    );
  } finally {
    for (const host of hosts) await host.server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
