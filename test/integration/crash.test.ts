import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifyHistory } from '../../src/main/history/verify';
import { Vault } from '../../src/main/vault/vault';
import { inventory } from '../helpers/secrets';
import { useTempDirs } from '../helpers/temp';
import { PASSWORD, TEST_OPTIONS, cachingUnlocker, createVault } from '../helpers/vault';

const WRITER = fileURLToPath(new URL('../../out/test/crash-writer.js', import.meta.url));
const KILLS = Number(process.env['REKEY_CRASH_KILLS'] ?? 300);

/**
 * Starts the writer, lets it acknowledge some changes, kills it with SIGKILL after a random
 * delay (mid-append, mid-fsync or mid-compaction, wherever it happens to be) and returns
 * every change it acknowledged.
 */
function runAndKill(path: string, runId: number): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, path, String(runId)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env['PATH'], REKEY_PASSWORD: PASSWORD },
    });
    const acknowledged = new Map<string, string>();
    let buffered = '';
    let stderr = '';
    let killScheduled = false;
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`writer ${runId} acknowledged nothing in time: ${stderr}`));
    }, 20_000);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [, ref, value] = line.split(' ');
        if (ref && value) acknowledged.set(ref, value);
      }
      if (!killScheduled && acknowledged.size > 0) {
        killScheduled = true;
        setTimeout(() => child.kill('SIGKILL'), Math.random() * 60);
      }
    });
    child.on('close', (_code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL') reject(new Error(`writer ${runId} ended on its own: ${stderr}`));
      else resolve(acknowledged);
    });
  });
}

describe('crash safety', () => {
  const tempDir = useTempDirs();

  it(
    `keeps every acknowledged change through ${KILLS} SIGKILLs`,
    { timeout: 1_200_000 },
    async () => {
      const created = await createVault(tempDir());
      const path = created.path;
      created.close();
      const expected = new Map<string, string>();
      const unlock = cachingUnlocker();
      let tornTails = 0;
      for (let run = 0; run < KILLS; run++) {
        for (const [ref, value] of await runAndKill(path, run)) expected.set(ref, value);
        const vault = await Vault.open(path, unlock, {
          ...TEST_OPTIONS,
          onWarning: () => tornTails++,
        });
        const stored = inventory(vault);
        for (const [ref, value] of expected) {
          expect(stored[ref]?.at(-1)?.value, `run ${run}: ${ref}`).toBe(value);
        }
        if (run % 50 === 49 || run === KILLS - 1) {
          const report = verifyHistory(
            vault.vaultIdBytes,
            vault.eventBlocks,
            vault.state,
            vault.recordCount,
          );
          expect(report.problems, `run ${run}`).toEqual([]);
        }
        vault.close();
      }
      expect(expected.size).toBeGreaterThanOrEqual(KILLS);
      // Not asserted: whether a kill ever landed inside a write is up to the scheduler.
      console.log(
        `crash test: ${KILLS} kills, ${expected.size} acknowledged changes, ${tornTails} torn tails seen`,
      );
    },
  );
});
