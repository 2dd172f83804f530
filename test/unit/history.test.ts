import { describe, expect, it } from 'vitest';
import { queryHistory } from '../../src/main/history/query';
import { verifyHistory } from '../../src/main/history/verify';
import type { Vault } from '../../src/main/vault/vault';
import { forgeRecords } from '../helpers/forge';
import { addSecret, setValue } from '../helpers/secrets';
import { useTempDirs } from '../helpers/temp';
import { createVault, openVault } from '../helpers/vault';

const verify = (vault: Vault) =>
  verifyHistory(vault.vaultIdBytes, vault.eventBlocks, vault.state, vault.recordCount);

function editLine(
  plaintext: Buffer,
  edit: (line: Record<string, unknown>) => void,
  which = 0,
): Buffer {
  const lines = plaintext.subarray(1).toString('utf8').split('\n');
  const event = JSON.parse(lines[which] as string) as Record<string, unknown>;
  edit(event);
  lines[which] = JSON.stringify(event);
  return Buffer.concat([plaintext.subarray(0, 1), Buffer.from(lines.join('\n'))]);
}

describe('history', () => {
  const tempDir = useTempDirs();

  async function sampleVault(compact: boolean): Promise<Vault> {
    const vault = await createVault(tempDir(), { autoCompactAfter: Number.POSITIVE_INFINITY });
    await addSecret(vault, 'synctv-prod/jwt.secret', 'jwt-value-0123456789abcdef');
    await addSecret(vault, 'livekit/api.secret', 'lk-value-0123456789abcdef');
    await setValue(vault, 'synctv-prod/jwt.secret', 'jwt-value-2-0123456789abcdef');
    if (compact) await vault.compact();
    return vault;
  }

  it.each([false, true])('verifies a genuine history (compacted: %s)', async (compact) => {
    const vault = await sampleVault(compact);
    const report = verify(vault);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.events).toBe(vault.state.eventCount);
    expect(report.head).toBe(vault.state.headHash);
  });

  it('filters by secret, deployment, kind, time and order', async () => {
    const vault = await sampleVault(false);
    const all = queryHistory(vault.eventBlocks, {});
    expect(all[0]?.seq).toBe(vault.state.eventCount - 1);
    const jwt = queryHistory(vault.eventBlocks, { ref: 'synctv-prod/jwt.secret', order: 'oldest' });
    expect(jwt.map((e) => e.kind)).toEqual(['secret.created', 'version.added', 'version.added']);
    const livekit = queryHistory(vault.eventBlocks, { deployment: 'livekit' });
    expect(livekit.map((e) => e.kind).sort()).toEqual([
      'deployment.created',
      'secret.created',
      'version.added',
    ]);
    expect(queryHistory(vault.eventBlocks, { kinds: ['version'] })).toHaveLength(3);
    expect(queryHistory(vault.eventBlocks, { since: '2999-01-01T00:00:00Z' })).toEqual([]);
    expect(queryHistory(vault.eventBlocks, { limit: 2 })).toHaveLength(2);
  });

  it('refuses to open when a re-sealed event breaks the chain among recent records', async () => {
    const vault = await sampleVault(false);
    await forgeRecords(vault.path, (plaintexts) =>
      plaintexts.map((p, i) =>
        i === 1 ? editLine(p, (e) => (e['summary'] = 'nothing happened')) : p,
      ),
    );
    await expect(openVault(vault.path)).rejects.toMatchObject({
      code: 'VAULT_DAMAGED',
      message: expect.stringMatching(/record 1 .*history chain/),
    });
  });

  it('catches a rewritten archived summary even when every record is re-sealed with the key', async () => {
    const vault = await sampleVault(true);
    await forgeRecords(vault.path, (plaintexts) =>
      plaintexts.map((p, i) =>
        i === 0 ? editLine(p, (e) => (e['summary'] = 'nothing happened'), 3) : p,
      ),
    );
    const reopened = await openVault(vault.path);
    const report = verify(reopened);
    expect(report.ok).toBe(false);
    expect(report.problems.join()).toMatch(/event 4 does not chain to event 3/);
  });

  it('catches a snapshot that claims what the events do not say', async () => {
    const vault = await sampleVault(true);
    // Change a value inside the snapshot only: the events still say otherwise.
    await forgeRecords(vault.path, (plaintexts) =>
      plaintexts.map((p) => {
        if (p[0] !== 0x02) return p;
        return Buffer.concat([
          p.subarray(0, 1),
          Buffer.from(
            p
              .subarray(1)
              .toString()
              .replace('jwt-value-2-0123456789abcdef', 'forged-value-0123456789abc'),
          ),
        ]);
      }),
    );
    const reopened = await openVault(vault.path);
    const report = verify(reopened);
    expect(report.ok).toBe(false);
    expect(report.problems.join()).toMatch(/replaying the history/);
  });
});
