import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeHeader } from '../../src/main/vault/header';
import { Vault } from '../../src/main/vault/vault';
import { addSecret, inventory, setValue } from '../helpers/secrets';
import { useTempDirs } from '../helpers/temp';
import { TEST_OPTIONS, cachingUnlocker, createVault } from '../helpers/vault';

/**
 * Threat: someone without the key edits the vault file (a corrupting disk, a malicious
 * sync tool, an attacker with file access). Whatever byte they change, Rekey must never
 * load altered data: it fails with a damage error that says where.
 */
const FLIPS = 2000;

describe('tampering with vault bytes', () => {
  const tempDir = useTempDirs();

  it(`detects a changed byte at ${FLIPS} random positions`, { timeout: 600_000 }, async () => {
    const dir = tempDir();
    const vault = await createVault(dir, { autoCompactAfter: 6 });
    for (let i = 0; i < 10; i++)
      await addSecret(vault, `stack/s${i}`, `value-${i}-0123456789abcdef`);
    for (let i = 0; i < 4; i++)
      await setValue(vault, `stack/s${i}`, `rotated-${i}-0123456789abcdef`);
    const original = readFileSync(vault.path);
    const expected = inventory(vault);
    const headerLength = decodeHeader(original, vault.path).length;
    expect(vault.recordCount).toBeGreaterThan(3);

    const unlock = cachingUnlocker();
    const copy = join(dir, 'tampered.rekey');
    const outcomes = new Map<string, number>();
    for (let trial = 0; trial < FLIPS; trial++) {
      const position = Math.floor(Math.random() * original.length);
      const bytes = Buffer.from(original);
      bytes[position] = (bytes[position] as number) ^ (1 + Math.floor(Math.random() * 255));
      writeFileSync(copy, bytes);
      let outcome: string;
      try {
        const opened = await Vault.open(copy, unlock, TEST_OPTIONS);
        // Opening may only succeed if nothing was altered; it never should here.
        expect(inventory(opened), `flip at ${position}`).toEqual(expected);
        outcome = 'opened-unaltered';
        opened.close();
      } catch (error) {
        const { code, message } = error as { code?: string; message: string };
        expect(code, `flip at ${position}: ${message}`).toBe('VAULT_DAMAGED');
        if (position >= headerLength)
          expect(message, `flip at ${position}`).toMatch(/record \d+ at byte \d+/);
        outcome = code ?? 'unknown';
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    expect(outcomes.get('opened-unaltered') ?? 0).toBe(0);
    expect(outcomes.get('VAULT_DAMAGED')).toBe(FLIPS);
  });
});
