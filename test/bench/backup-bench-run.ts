/**
 * Backup benchmark, on one random input of 1 GiB (`REKEY_BENCH_MIB` lowers it) made once:
 *
 * - bundle: Rekey's `createBundle` of a database whose `pg_dump` is a stand-in that copies the
 *   input (a `pg_dump` script first on PATH), so the real path runs: dump to a private file,
 *   then tar, encryption and an fsynced file; against `tar -c FILE | gpg --symmetric` with
 *   gpg's defaults and with `--compress-level 0`;
 * - encryption alone: Rekey's `encryptStream` of the file against
 *   `gpg --symmetric --compress-level 0` of the file.
 *
 * Throughput is input MB (10^6 bytes) per second. Peak memory: Rekey's is the RSS of this
 * process sampled every 5 ms (printed with its rise over the RSS before the run); tar's and
 * gpg's are their max RSS from `/usr/bin/time -v` (ps sampling when that is not installed).
 * CPU is user + system time: Rekey's from `process.cpuUsage()` (all its threads), tar's and
 * gpg's from `/usr/bin/time -v`. Rekey uses several threads, gpg one: on a busy machine the
 * wall times move more than the CPU times, which is why both are printed.
 *
 * The level-0 comparisons run REKEY_BENCH_RUNS times (default 3), interleaved, and the best
 * time of each is kept (with the largest peak memory seen): a shared machine's noise only ever
 * adds time. gpg with its default compression runs once (it takes half a minute).
 *
 * Run with `npm run bench:backup` (entry: backup.bench.ts). Not part of the test suite: it
 * prints times and ratios and never fails on a number.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  createReadStream,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  rmSync,
  writeFileSync,
  writeSync,
  constants,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBundle } from '../../src/main/backup/create-bundle';
import { encryptStream } from '../../src/main/backup/openpgp';
import { LocalConnector } from '../../src/main/connectors/local';

const MIB = 1024 * 1024;
const SIZE_MIB = Number(process.env.REKEY_BENCH_MIB ?? 1024);
const RUNS = Math.max(1, Number(process.env.REKEY_BENCH_RUNS ?? 3));
const PASSPHRASE = 'bench passphrase for the backup bundle';
const TIME = '/usr/bin/time';

interface Measured {
  ms: number;
  /** Peak RSS in bytes, and (for Rekey) its rise over the RSS before the run. */
  peak: number;
  rise?: number;
  /** CPU time (user + system) in ms, over all threads or processes. */
  cpuMs?: number;
  /** For a bundle: the part of `ms` before the streaming started (the dump). */
  dumpMs?: number;
  note?: string;
}

/** The fastest of several runs, with the largest peak memory any of them had. */
function best(runs: readonly Measured[]): Measured {
  const fastest = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  const peakRun = runs.reduce((a, b) => (b.peak > a.peak ? b : a));
  return { ...fastest, peak: peakRun.peak, rise: peakRun.rise, note: fastest.note };
}

/** Samples this process's RSS every 5 ms while `work` runs. */
async function sampled<T>(work: () => Promise<T>): Promise<{ measured: Measured; value: T }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  try {
    const value = await work();
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    peak = Math.max(peak, process.memoryUsage.rss());
    return {
      measured: { ms, peak, rise: peak - before, cpuMs: (cpu.user + cpu.system) / 1000 },
      value,
    };
  } finally {
    clearInterval(timer);
  }
}

function writeRandomFile(path: string, mib: number): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    for (let i = 0; i < mib; i += 1) writeSync(fd, randomBytes(MIB));
  } finally {
    closeSync(fd);
  }
}

const hasTime = (() => {
  try {
    accessSync(TIME, constants.X_OK);
    return true;
  } catch {
    return false;
  }
})();

interface Child {
  child: ChildProcess;
  /**
   * Resolves once it exited with 0: its max RSS in bytes, and its CPU time in ms (known only
   * under `/usr/bin/time`).
   */
  done: Promise<{ peak: number; cpuMs?: number }>;
}

/** Starts `argv` (under `/usr/bin/time -v` when it is there) and measures its max RSS and CPU. */
function startMeasured(
  argv: string[],
  stdio: Parameters<typeof spawn>[2]['stdio'],
  env: NodeJS.ProcessEnv,
): Child {
  const wrapped = hasTime ? [TIME, '-v', ...argv] : argv;
  const [command, ...args] = wrapped as [string, ...string[]];
  const child = spawn(command, args, { stdio, env });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let sampledPeak = 0;
  const timer = hasTime
    ? null
    : setInterval(() => {
        try {
          const kib = Number(
            execFileSync('ps', ['-o', 'rss=', '-p', String(child.pid)])
              .toString()
              .trim(),
          );
          sampledPeak = Math.max(sampledPeak, kib * 1024);
        } catch {
          // exited between two samples
        }
      }, 20);
  // 'exit' and the end of stderr, not 'close': a stdout handed on to the next process of a
  // pipeline never closes here.
  const stderrEnded = new Promise<void>((resolve) => child.stderr?.on('close', () => resolve()));
  const done = new Promise<{ peak: number; cpuMs?: number }>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', async (code) => {
      await stderrEnded;
      if (timer) clearInterval(timer);
      if (code !== 0) {
        reject(new Error(`${argv.join(' ')} exited with ${code}: ${stderr.slice(-500)}`));
        return;
      }
      const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      const user = /User time \(seconds\): ([\d.]+)/.exec(stderr)?.[1];
      const system = /System time \(seconds\): ([\d.]+)/.exec(stderr)?.[1];
      resolve({
        peak: match?.[1] ? Number(match[1]) * 1024 : sampledPeak,
        cpuMs:
          user === undefined || system === undefined
            ? undefined
            : (Number(user) + Number(system)) * 1000,
      });
    });
  });
  return { child, done };
}

function gpgArgs(home: string, passphraseFile: string, out: string, extra: string[]): string[] {
  return [
    'gpg',
    '--homedir',
    home,
    '--batch',
    '--yes',
    '--pinentry-mode',
    'loopback',
    '--passphrase-file',
    passphraseFile,
    '--symmetric',
    ...extra,
    '--output',
    out,
  ];
}

/** `tar -c FILE | gpg --symmetric ...`: two processes, each measured. */
async function tarGpg(
  work: string,
  input: string,
  home: string,
  passphraseFile: string,
  out: string,
  extra: string[],
): Promise<Measured> {
  const started = performance.now();
  const tar = startMeasured(
    ['tar', '-c', '-C', work, input],
    ['ignore', 'pipe', 'pipe'],
    process.env,
  );
  const gpg = startMeasured(
    gpgArgs(home, passphraseFile, out, extra),
    [tar.child.stdout, 'ignore', 'pipe'],
    process.env,
  );
  const [tarDone, gpgDone] = await Promise.all([tar.done, gpg.done]);
  syncFile(out);
  return {
    ms: performance.now() - started,
    peak: gpgDone.peak + tarDone.peak,
    cpuMs:
      tarDone.cpuMs === undefined || gpgDone.cpuMs === undefined
        ? undefined
        : tarDone.cpuMs + gpgDone.cpuMs,
    note: `gpg ${mib(gpgDone.peak)} + tar ${mib(tarDone.peak)}`,
  };
}

async function gpgFile(
  input: string,
  home: string,
  passphraseFile: string,
  out: string,
  extra: string[],
): Promise<Measured> {
  const started = performance.now();
  const gpg = startMeasured(
    [...gpgArgs(home, passphraseFile, out, extra), input],
    ['ignore', 'ignore', 'pipe'],
    process.env,
  );
  const { peak, cpuMs } = await gpg.done;
  syncFile(out);
  return { ms: performance.now() - started, peak, cpuMs };
}

/** Rekey fsyncs its bundle; the gpg outputs are synced too so the times compare. */
function syncFile(path: string): void {
  execFileSync('sync', [path]);
}

const mib = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;
const rate = (ms: number) => `${((SIZE_MIB * MIB) / 1e6 / (ms / 1000)).toFixed(0)} MB/s`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

function line(label: string, measured: Measured): string {
  const rise = measured.rise === undefined ? '' : ` (+${mib(measured.rise)} over the start)`;
  const note = measured.note ? ` [${measured.note}]` : '';
  const cpu = measured.cpuMs === undefined ? '' : `  cpu ${(measured.cpuMs / 1000).toFixed(2)} s`;
  return `  ${label.padEnd(44)} ${(measured.ms / 1000).toFixed(2).padStart(7)} s  ${rate(measured.ms).padStart(9)}${cpu}  peak ${mib(measured.peak)}${rise}${note}`;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'rekey-bench-backup-'));
  const home = join(work, 'gnupg');
  const bin = join(work, 'bin');
  const out = join(work, 'out');
  const savedPath = process.env.PATH;
  try {
    mkdirSync(home, { mode: 0o700 });
    mkdirSync(bin);
    mkdirSync(out);
    const passphraseFile = join(work, 'passphrase');
    writeFileSync(passphraseFile, PASSPHRASE, { mode: 0o600 });
    const input = 'big.dump';
    const inputPath = join(work, input);
    console.log(`Writing ${SIZE_MIB} MiB of random data...`);
    writeRandomFile(inputPath, SIZE_MIB);
    // The stand-in pg_dump copies the input: createBundle runs its real dump-then-stream path.
    const fake = join(bin, 'pg_dump');
    writeFileSync(fake, `#!/bin/sh\nexec cat ${JSON.stringify(inputPath)}\n`);
    chmodSync(fake, 0o755);
    process.env.PATH = `${bin}:${savedPath ?? ''}`;
    // Read the input once (page cache) and start gpg's agent, so no side pays for either.
    execFileSync('sh', ['-c', 'cat "$0" > /dev/null', inputPath]);
    const [gpg, ...warmArgs] = gpgArgs(home, passphraseFile, join(out, 'warm.gpg'), []);
    execFileSync(gpg as string, [...warmArgs, passphraseFile], { stdio: 'ignore' });
    rmSync(join(out, 'warm.gpg'));
    const connector = new LocalConnector();
    const bundle = async (destinationDir: string) => {
      let streaming = 0;
      const created = await createBundle(
        {
          deployment: 'bench',
          databases: [{ name: 'big', host: 'local', database: 'bench' }],
          files: [],
          secrets: null,
          encryptTo: { passphrase: PASSPHRASE },
          recipientFingerprints: [],
          destinationDir,
          toolVersion: 'bench',
          now: new Date(),
        },
        {
          connector: async () => connector,
          redact: (text) => text,
          onProgress: (progress) => {
            if (streaming === 0 && progress.part === 'dumps/big.dump')
              streaming = performance.now();
          },
        },
      );
      return { created, streaming };
    };

    const bundleOnce = async (): Promise<Measured> => {
      const started = performance.now();
      const { measured, value } = await sampled(() => bundle(join(out)));
      rmSync(value.created.file);
      return { ...measured, dumpMs: value.streaming - started };
    };
    const encryptOnce = async (): Promise<Measured> => {
      const target = join(out, 'rekey.gpg');
      const { measured } = await sampled(async () => {
        const ciphertext = await encryptStream(
          createReadStream(inputPath, { highWaterMark: 256 * 1024 }),
          { passphrase: PASSPHRASE },
        );
        await pipeline(ciphertext, createWriteStream(target, { mode: 0o600 }));
        syncFile(target);
      });
      rmSync(target);
      return measured;
    };
    const plainOnce = async (): Promise<Measured> => {
      const target = join(out, 'plain.tar.gpg');
      const measured = await tarGpg(work, input, home, passphraseFile, target, [
        '--compress-level',
        '0',
      ]);
      rmSync(target);
      return measured;
    };
    const fileOnce = async (): Promise<Measured> => {
      const target = join(out, 'file.gpg');
      const measured = await gpgFile(inputPath, home, passphraseFile, target, [
        '--compress-level',
        '0',
      ]);
      rmSync(target);
      return measured;
    };

    const runs = { bundle: [] as Measured[], plain: [] as Measured[] };
    const encryptRuns = { rekey: [] as Measured[], gpg: [] as Measured[] };
    for (let run = 1; run <= RUNS; run++) {
      console.log(`run ${run}/${RUNS}: Rekey createBundle (stand-in pg_dump, tar, OpenPGP, fsync)`);
      runs.bundle.push(await bundleOnce());
      console.log(`run ${run}/${RUNS}: tar -c | gpg --symmetric --compress-level 0`);
      runs.plain.push(await plainOnce());
      console.log(`run ${run}/${RUNS}: Rekey encryptStream, gpg --symmetric --compress-level 0`);
      encryptRuns.rekey.push(await encryptOnce());
      encryptRuns.gpg.push(await fileOnce());
    }
    const rekeyBundle = { measured: best(runs.bundle) };
    const gpgPlain = best(runs.plain);
    const rekeyEncrypt = { measured: best(encryptRuns.rekey) };
    const gpgEncrypt = best(encryptRuns.gpg);
    const dumpMs = rekeyBundle.measured.dumpMs ?? 0;

    console.log('gpg: tar -c | gpg --symmetric (defaults), once...');
    const gpgDefault = await tarGpg(
      work,
      input,
      home,
      passphraseFile,
      join(out, 'default.tar.gpg'),
      [],
    );
    const defaultSize = Number(
      execFileSync('stat', ['-c', '%s', join(out, 'default.tar.gpg')]).toString(),
    );
    rmSync(join(out, 'default.tar.gpg'));

    const gpgVersion = execFileSync('gpg', ['--version']).toString().split('\n')[0];
    console.log(
      `\nBackup benchmark: ${SIZE_MIB} MiB of random data (incompressible, like pg_dump -Fc)`,
    );
    console.log(
      `machine: ${cpus().length} cpus, load ${loadavg()[0]?.toFixed(2)}; ${gpgVersion}, Node ${process.version}`,
    );
    console.log(
      `memory: ${hasTime ? '/usr/bin/time -v' : 'ps sampling'} for tar and gpg, RSS sampling every 5 ms for Rekey`,
    );
    console.log(
      `times: best of ${RUNS} interleaved run(s) for the level-0 rows; cpu = user + system time`,
    );
    console.log('bundle of a 1-dump deployment:');
    console.log(line('Rekey createBundle (dump + bundle + fsync)', rekeyBundle.measured));
    console.log(
      `    of it: stand-in pg_dump copying the input ${(dumpMs / 1000).toFixed(2)} s, streaming to the fsynced bundle ${((rekeyBundle.measured.ms - dumpMs) / 1000).toFixed(2)} s (${rate(rekeyBundle.measured.ms - dumpMs)})`,
    );
    console.log(line('tar -c | gpg --symmetric (defaults)', gpgDefault));
    console.log(
      `    gpg's default output: ${mib(defaultSize)} (zlib finds nothing to compress in random data)`,
    );
    console.log(line('tar -c | gpg --symmetric --compress-level 0', gpgPlain));
    console.log('encryption alone:');
    console.log(line('Rekey encryptStream (+ fsync)', rekeyEncrypt.measured));
    console.log(line('gpg --symmetric --compress-level 0 (+ sync)', gpgEncrypt));
    const streamMs = rekeyBundle.measured.ms - dumpMs;
    console.log(
      'ratios (time: Rekey / gpg, > 1 means Rekey is slower; memory: Rekey peak / gpg peak):',
    );
    console.log(
      `  bundle, whole call vs defaults:      time ${ratio(rekeyBundle.measured.ms, gpgDefault.ms)}, memory ${ratio(rekeyBundle.measured.peak, gpgDefault.peak)}`,
    );
    console.log(
      `  bundle, whole call vs level 0:       time ${ratio(rekeyBundle.measured.ms, gpgPlain.ms)}, memory ${ratio(rekeyBundle.measured.peak, gpgPlain.peak)}`,
    );
    console.log(`  bundle, streaming part vs level 0:   time ${ratio(streamMs, gpgPlain.ms)}`);
    console.log(
      `  encryption alone vs level 0:         time ${ratio(rekeyEncrypt.measured.ms, gpgEncrypt.ms)}, memory ${ratio(rekeyEncrypt.measured.peak, gpgEncrypt.peak)}`,
    );
    const cpuRatio = (a: Measured, b: Measured) =>
      a.cpuMs === undefined || b.cpuMs === undefined ? 'n/a' : ratio(a.cpuMs, b.cpuMs);
    console.log(
      `  cpu time, bundle vs level 0: ${cpuRatio(rekeyBundle.measured, gpgPlain)}; encryption alone: ${cpuRatio(rekeyEncrypt.measured, gpgEncrypt)} (Rekey spreads it over threads)`,
    );
  } finally {
    process.env.PATH = savedPath;
    try {
      execFileSync('gpgconf', ['--homedir', home, '--kill', 'all'], { stdio: 'ignore' });
    } catch {
      // no agent was started
    }
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
