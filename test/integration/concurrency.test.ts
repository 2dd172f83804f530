import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI_BUNDLE, initCliVault } from '../helpers/rekey-cli';
import { useTempDirs } from '../helpers/temp';

const PER_WRITER = Number(process.env['REKEY_CONCURRENT_ADDS'] ?? 200);

/** A shell loop running `rekey secret add` again and again, as two cron jobs might. */
function addLoop(
  vaultPath: string,
  passwordFile: string,
  prefix: string,
): Promise<{ code: number | null; stderr: string }> {
  const script = `for i in $(seq 1 ${PER_WRITER}); do "$NODE" "$CLI" --vault "$VAULT" --password-file "$PW" --lock-timeout 60 secret add "load/${prefix}-$i" --generate hex:16 >/dev/null || exit 1; done`;
  const child = spawn('sh', ['-c', script], {
    env: {
      PATH: process.env['PATH'],
      NODE: process.execPath,
      CLI: CLI_BUNDLE,
      VAULT: vaultPath,
      PW: passwordFile,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('two writers at once', () => {
  const tempDir = useTempDirs();

  it(
    `two CLI loops adding ${PER_WRITER} secrets each leave ${2 * PER_WRITER}`,
    { timeout: 900_000 },
    async () => {
      const vault = await initCliVault(tempDir());
      const results = await Promise.all([
        addLoop(vault.vaultPath, vault.passwordFile, 'a'),
        addLoop(vault.vaultPath, vault.passwordFile, 'b'),
      ]);
      for (const result of results) expect(result).toEqual({ code: 0, stderr: '' });
      const listed = JSON.parse((await vault.rekey(['secret', 'list', '--json'])).stdout) as {
        ref: string;
      }[];
      expect(listed).toHaveLength(2 * PER_WRITER);
      const expected = ['a', 'b'].flatMap((p) =>
        Array.from({ length: PER_WRITER }, (_, i) => `load/${p}-${i + 1}`),
      );
      expect(listed.map((s) => s.ref).sort()).toEqual(expected.sort());
      expect((await vault.rekey(['history', 'verify'])).code).toBe(0);
    },
  );
});
