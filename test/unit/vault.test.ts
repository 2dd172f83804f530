import { copyFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryHistory } from '../../src/main/history/query';
import { decodeHeader } from '../../src/main/vault/header';
import { acquireVaultLock } from '../../src/main/vault/lock';
import { Vault } from '../../src/main/vault/vault';
import { addSecret, addSecrets, inventory, setValue } from '../helpers/secrets';
import { useTempDirs } from '../helpers/temp';
import {
  FAST_KDF,
  PASSWORD,
  TEST_OPTIONS,
  cachingUnlocker,
  createVault,
  openVault,
} from '../helpers/vault';

async function failure(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected a failure');
}

describe('vault lifecycle', () => {
  const tempDir = useTempDirs();

  it('creates a private file that reopens with the same contents', async () => {
    const vault = await createVault(tempDir());
    await addSecret(vault, 'synctv-prod/jwt.secret', 'first-value-0123456789');
    await setValue(vault, 'synctv-prod/jwt.secret', 'second-value-0123456789');
    const expected = inventory(vault);
    expect(expected['synctv-prod/jwt.secret']).toEqual([
      { value: 'first-value-0123456789', labels: ['previous'] },
      { value: 'second-value-0123456789', labels: ['current'] },
    ]);
    expect(statSync(vault.path).mode & 0o777).toBe(0o600);
    const reopened = await openVault(vault.path);
    expect(inventory(reopened)).toEqual(expected);
    expect(reopened.state.headHash).toBe(vault.state.headHash);
  });

  it('never overwrites an existing file when creating', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'vault.rekey'), 'precious');
    expect((await failure(createVault(dir))).code).toBe('ALREADY_EXISTS');
    expect(readFileSync(join(dir, 'vault.rekey'), 'utf8')).toBe('precious');
  });

  it('tells a missing vault, a wrong password and a file that is not a vault apart', async () => {
    const dir = tempDir();
    expect((await failure(openVault(join(dir, 'none.rekey')))).code).toBe('VAULT_MISSING');
    const vault = await createVault(dir);
    expect((await failure(Vault.open(vault.path, 'wrong', TEST_OPTIONS))).code).toBe(
      'WRONG_PASSWORD',
    );
    writeFileSync(join(dir, 'notes.txt'), 'just some notes\n');
    expect((await failure(openVault(join(dir, 'notes.txt')))).code).toBe('NOT_A_VAULT');
  });

  it('appends one record per change and never rewrites earlier bytes', async () => {
    const vault = await createVault(tempDir());
    await addSecret(vault, 'a/one', 'value-one-0123456789');
    const before = readFileSync(vault.path);
    await addSecret(vault, 'a/two', 'value-two-0123456789');
    const after = readFileSync(vault.path);
    expect(after.subarray(0, before.length).equals(before)).toBe(true);
    expect(after.length - before.length).toBeLessThan(2048);
  });

  it('keeps the state unchanged when a change fails halfway', async () => {
    const vault = await createVault(tempDir());
    await addSecret(vault, 'a/one', 'value-one-0123456789');
    const bytes = readFileSync(vault.path);
    await expect(
      vault.transact((transaction) => {
        transaction.record(
          { kind: 'deployment.created', data: { name: 'b', description: '' } },
          { summary: 'b' },
        );
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(vault.state.deployments.has('b')).toBe(false);
    expect(readFileSync(vault.path).equals(bytes)).toBe(true);
  });
});

describe('crash remains and damage', () => {
  const tempDir = useTempDirs();

  it('drops a torn final record at every cut point, with a warning, and heals on the next change', async () => {
    const dir = tempDir();
    const vault = await createVault(dir);
    await addSecret(vault, 'a/kept', 'kept-value-0123456789');
    const acknowledged = readFileSync(vault.path).length;
    await addSecret(vault, 'a/torn', 'torn-value-0123456789');
    const full = readFileSync(vault.path);
    const copy = join(dir, 'copy.rekey');
    const unlock = cachingUnlocker();
    for (let cut = acknowledged + 1; cut < full.length; cut++) {
      writeFileSync(copy, full.subarray(0, cut));
      const warnings: string[] = [];
      const reopened = await Vault.open(copy, unlock, {
        ...TEST_OPTIONS,
        onWarning: (w) => warnings.push(w),
      });
      expect(Object.keys(inventory(reopened))).toEqual(['a/kept']);
      expect(warnings.join()).toContain(`Ignored ${cut - acknowledged} bytes`);
      reopened.close();
    }
    writeFileSync(copy, full.subarray(0, acknowledged + 7));
    const healed = await openVault(copy, { onWarning: () => undefined });
    await addSecret(healed, 'a/after', 'after-value-0123456789');
    const warnings: string[] = [];
    const again = await openVault(copy, { onWarning: (w) => warnings.push(w) });
    expect(Object.keys(inventory(again)).sort()).toEqual(['a/after', 'a/kept']);
    expect(warnings).toEqual([]);
  });

  it('treats a zero-filled tail (power loss on some file systems) as torn', async () => {
    const vault = await createVault(tempDir());
    await addSecret(vault, 'a/kept', 'kept-value-0123456789');
    writeFileSync(vault.path, Buffer.concat([readFileSync(vault.path), Buffer.alloc(300)]));
    const warnings: string[] = [];
    const reopened = await openVault(vault.path, { onWarning: (w) => warnings.push(w) });
    expect(Object.keys(inventory(reopened))).toEqual(['a/kept']);
    expect(warnings).toHaveLength(1);
  });

  it('names the damaged record when a middle record is altered, dropped, swapped or spliced in', async () => {
    const dir = tempDir();
    const vault = await createVault(dir, { autoCompactAfter: Number.POSITIVE_INFINITY });
    const boundaries = [readFileSync(vault.path).length];
    for (const name of ['one', 'two', 'three']) {
      await addSecret(vault, `a/${name}`, `${name}-value-0123456789`);
      boundaries.push(readFileSync(vault.path).length);
    }
    const full = readFileSync(vault.path);
    const record = (i: number) => full.subarray(boundaries[i - 1], boundaries[i]);
    const prefix = full.subarray(0, boundaries[0]);
    const other = await createVault(tempDir());
    await addSecret(other, 'a/one', 'one-value-0123456789');
    const otherBytes = readFileSync(other.path);
    const foreign = otherBytes.subarray(otherBytes.length - record(1).length);

    const altered = Buffer.from(full);
    const flipAt = (boundaries[1] as number) + 40;
    altered[flipAt] = (altered[flipAt] as number) ^ 1;
    const cases: Record<string, Buffer> = {
      altered,
      dropped: Buffer.concat([prefix, record(1), record(3)]),
      swapped: Buffer.concat([prefix, record(1), record(3), record(2)]),
      spliced: Buffer.concat([prefix, foreign, record(2), record(3)]),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const path = join(dir, `${name}.rekey`);
      writeFileSync(path, bytes);
      const error = await failure(openVault(path));
      expect(error.code, name).toBe('VAULT_DAMAGED');
      expect(error.message, name).toMatch(/record \d+ at byte \d+/);
    }
  });
});

describe('compaction and password change', () => {
  const tempDir = useTempDirs();

  it('keeps every event and the same chain head, and later changes still append', async () => {
    const vault = await createVault(tempDir());
    for (let i = 0; i < 20; i++) await addSecret(vault, `d/s${i}`, `value-${i}-0123456789abcdef`);
    const historyBefore = queryHistory(vault.eventBlocks, { order: 'oldest' });
    const stateBefore = inventory(vault);
    await vault.compact();
    const historyAfter = queryHistory(vault.eventBlocks, { order: 'oldest' });
    expect(historyAfter.slice(0, historyBefore.length)).toEqual(historyBefore);
    expect(historyAfter.at(-1)?.kind).toBe('vault.compacted');
    expect(vault.recordCount).toBe(2);
    await addSecret(vault, 'd/after', 'after-value-0123456789');
    const reopened = await openVault(vault.path);
    expect(inventory(reopened)).toEqual({ ...stateBefore, 'd/after': inventory(vault)['d/after'] });
    expect(queryHistory(reopened.eventBlocks, { order: 'oldest' })).toEqual(
      queryHistory(vault.eventBlocks, { order: 'oldest' }),
    );
  });

  it('compacts on its own once enough records follow the snapshot', async () => {
    const vault = await createVault(tempDir(), { autoCompactAfter: 5 });
    for (let i = 0; i < 12; i++) await addSecret(vault, `d/s${i}`, `value-${i}-0123456789abcdef`);
    expect(vault.recordsSinceSnapshot).toBeLessThan(5);
    const reopened = await openVault(vault.path);
    expect(Object.keys(inventory(reopened))).toHaveLength(12);
  });

  it('compacts on its own after a few records that hold many events', async () => {
    const vault = await createVault(tempDir(), {
      autoCompactAfter: Number.POSITIVE_INFINITY,
      autoCompactAfterEvents: 40,
    });
    const addMany = (from: number) =>
      addSecrets(
        vault,
        Array.from({ length: 15 }, (_, i) => [`d/s${from + i}`, `value-${from + i}-0123456789`]),
      );
    await addMany(0);
    expect(vault.eventsSinceSnapshot).toBeGreaterThanOrEqual(30);
    await addMany(15);
    // 60 events passed the threshold of 40: the second record triggered a compaction.
    expect(vault.eventsSinceSnapshot).toBe(0);
    expect(vault.recordsSinceSnapshot).toBe(0);
    const reopened = await openVault(vault.path);
    expect(Object.keys(inventory(reopened))).toHaveLength(30);
    expect(reopened.eventsSinceSnapshot).toBe(0);
  });

  it('re-wraps the key without re-encrypting records', async () => {
    const vault = await createVault(tempDir(), { autoCompactAfter: Number.POSITIVE_INFINITY });
    await addSecret(vault, 'd/s', 'value-0123456789abcdef');
    const before = readFileSync(vault.path);
    await vault.changePassword(PASSWORD, 'a new password', FAST_KDF);
    const after = readFileSync(vault.path);
    // Every record that existed is still there, byte for byte, after the new header.
    const oldRecords = before.subarray(decodeHeader(before, 'v').length);
    const newHeaderLength = decodeHeader(after, 'v').length;
    expect(
      after.subarray(newHeaderLength, newHeaderLength + oldRecords.length).equals(oldRecords),
    ).toBe(true);
    expect(after.subarray(0, newHeaderLength).equals(before.subarray(0, newHeaderLength))).toBe(
      false,
    );
    expect((await failure(openVault(vault.path))).code).toBe('WRONG_PASSWORD');
    const reopened = await Vault.open(vault.path, 'a new password', TEST_OPTIONS);
    expect(Object.keys(inventory(reopened))).toEqual(['d/s']);
    expect(queryHistory(reopened.eventBlocks, {}).at(0)?.kind).toBe('vault.password-changed');
    expect((await failure(vault.changePassword('not it', 'x', FAST_KDF))).code).toBe(
      'WRONG_PASSWORD',
    );
  });
});

describe('several writers', () => {
  const tempDir = useTempDirs();

  it('see each other and never lose a change, across compaction too', async () => {
    const first = await createVault(tempDir());
    const second = await openVault(first.path);
    await addSecret(first, 'd/from-first', 'first-value-0123456789');
    await addSecret(second, 'd/from-second', 'second-value-0123456789');
    await first.refresh();
    expect(Object.keys(inventory(first)).sort()).toEqual(['d/from-first', 'd/from-second']);
    await first.compact();
    await addSecret(second, 'd/after-compact', 'third-value-0123456789');
    await first.refresh();
    expect(Object.keys(inventory(first)).sort()).toEqual([
      'd/after-compact',
      'd/from-first',
      'd/from-second',
    ]);
    await expect(addSecret(first, 'd/from-second', 'clash-0123456789')).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
  });

  it('waits for the lock and then names its holder', async () => {
    const vault = await createVault(tempDir(), { lockTimeoutMs: 150 });
    const held = await acquireVaultLock(vault.path, {
      command: 'rekey secret add (held by test)',
      shared: false,
    });
    try {
      const error = await failure(addSecret(vault, 'd/s', 'value-0123456789abc'));
      expect(error.code).toBe('VAULT_BUSY');
      expect(error.message).toContain('rekey secret add (held by test)');
      expect(error.message).toContain(`pid ${process.pid}`);
    } finally {
      held.release();
    }
    await addSecret(vault, 'd/s', 'value-0123456789abc');
    expect(Object.keys(inventory(vault))).toEqual(['d/s']);
  });

  it('reloads when the file is replaced by a copy of itself', async () => {
    const dir = tempDir();
    const vault = await createVault(dir);
    await addSecret(vault, 'd/s', 'value-0123456789abc');
    copyFileSync(vault.path, join(dir, 'backup'));
    await addSecret(vault, 'd/t', 'value-t-0123456789abc');
    copyFileSync(join(dir, 'backup'), vault.path);
    await vault.refresh();
    expect(Object.keys(inventory(vault))).toEqual(['d/s']);
    truncateSync(vault.path, 0);
    await expect(vault.refresh()).rejects.toMatchObject({ code: 'NOT_A_VAULT' });
  });
});
