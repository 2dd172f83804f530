import { chmodSync, mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBundle } from '../../src/main/backup/create-bundle';
import { verifyBundle } from '../../src/main/backup/verify-bundle';
import { LocalConnector } from '../../src/main/connectors/local';
import { useTempDirs } from '../helpers/temp';

/**
 * Bundling streams: a 1 GiB dump is bundled with a peak memory within a few MiB of a 256 MiB
 * dump's. The real path runs in this process: `createBundle` on the local connector calls
 * `pg_dump` into a private file and streams it through tar and encryption to the bundle. The
 * `pg_dump` is a stand-in first on PATH that writes N MiB of /dev/urandom (incompressible, like
 * `pg_dump -Fc`). Memory is sampled every 5 ms during each call. `REKEY_BACKUP_MEMORY_MIB`
 * lowers the large size for a quick run (the small one is a quarter of it).
 */

const MiB = 1024 * 1024;
const LARGE_MIB = Number(process.env.REKEY_BACKUP_MEMORY_MIB ?? 1024);
const SMALL_MIB = Math.max(1, Math.round(LARGE_MIB / 4));
/**
 * Allowed rise of the peak RSS from the small dump to the large one. Anything that buffered a
 * dump (or a fixed share of it) would add hundreds of MiB; 32 MiB is generous because the
 * garbage collector frees the stream's 64–256 KiB chunks late and at its own pace, so two runs
 * of the same size already differ by several MiB.
 */
const MARGIN = 32 * MiB;
const PASSPHRASE = 'memory test passphrase';

const tempDir = useTempDirs();
const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});

interface Peak {
  rss: number;
  external: number;
  arrayBuffers: number;
  heapUsed: number;
}

async function sampled<T>(work: () => Promise<T>): Promise<{ peak: Peak; ms: number; value: T }> {
  const peak: Peak = { rss: 0, external: 0, arrayBuffers: 0, heapUsed: 0 };
  const sample = () => {
    const usage = process.memoryUsage();
    peak.rss = Math.max(peak.rss, usage.rss);
    peak.external = Math.max(peak.external, usage.external);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, usage.arrayBuffers);
    peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 5);
  const started = performance.now();
  try {
    const value = await work();
    sample();
    return { peak, ms: performance.now() - started, value };
  } finally {
    clearInterval(timer);
  }
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

describe('bundle memory', () => {
  it(`bundles a ${LARGE_MIB} MiB dump within ${MARGIN / MiB} MiB of a ${SMALL_MIB} MiB dump's peak memory`, async () => {
    const dir = tempDir();
    // The dump is written once to a private file under TMPDIR, then read into the bundle here.
    const free = statfsSync(dir);
    expect(free.bavail * free.bsize).toBeGreaterThan(3 * LARGE_MIB * MiB);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const fakePgDump = join(bin, 'pg_dump');
    process.env.PATH = `${bin}:${savedPath ?? ''}`;
    const connector = new LocalConnector();

    const bundleOf = async (sizeMiB: number) => {
      writeFileSync(fakePgDump, `#!/bin/sh\nexec head -c ${sizeMiB * MiB} /dev/urandom\n`);
      chmodSync(fakePgDump, 0o755);
      const destinationDir = join(dir, `out-${sizeMiB}`);
      mkdirSync(destinationDir);
      const made = await sampled(() =>
        createBundle(
          {
            deployment: 'big',
            databases: [{ name: 'big', host: 'local', database: 'x' }],
            files: [],
            secrets: Buffer.from('{"format":1}\n'),
            encryptTo: { passphrase: PASSPHRASE },
            recipientFingerprints: [],
            destinationDir,
            toolVersion: 'test',
            now: new Date(),
          },
          { connector: async () => connector, redact: (text) => text },
        ),
      );
      expect(made.value.entries[0]).toMatchObject({ name: 'dumps/big.dump', size: sizeMiB * MiB });
      const verified = await sampled(() =>
        verifyBundle(made.value.file, { passphrase: PASSPHRASE }),
      );
      expect(verified.value.problems).toEqual([]);
      expect(verified.value.ok).toBe(true);
      rmSync(destinationDir, { recursive: true, force: true });
      console.log(
        `${sizeMiB} MiB dump: bundled in ${(made.ms / 1000).toFixed(1)} s, peak rss ` +
          `${mib(made.peak.rss)}, external ${mib(made.peak.external)}, arrayBuffers ` +
          `${mib(made.peak.arrayBuffers)}, heapUsed ${mib(made.peak.heapUsed)}; verified in ` +
          `${(verified.ms / 1000).toFixed(1)} s, peak rss ${mib(verified.peak.rss)}`,
      );
      return { bundle: made.peak, verify: verified.peak };
    };

    // A small run first loads and compiles everything, so the first measured one pays nothing extra.
    await bundleOf(4);
    const small = await bundleOf(SMALL_MIB);
    const large = await bundleOf(LARGE_MIB);
    // RSS settles at a plateau the allocator and the GC keep, which the small bundling run may
    // not have reached yet: the rise over the highest RSS seen before says so.
    const before = Math.max(small.bundle.rss, small.verify.rss);
    console.log(
      `peak rss rise from ${SMALL_MIB} to ${LARGE_MIB} MiB: bundling ` +
        `${mib(large.bundle.rss - small.bundle.rss)} (${mib(large.bundle.rss - before)} over ` +
        `the highest rss before), verifying ${mib(large.verify.rss - small.verify.rss)}`,
    );
    expect(large.bundle.rss - small.bundle.rss).toBeLessThan(MARGIN);
    expect(large.bundle.arrayBuffers - small.bundle.arrayBuffers).toBeLessThan(MARGIN);
    expect(large.verify.rss - small.verify.rss).toBeLessThan(MARGIN);
  }, 240_000);
});
