import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type Implementation, handle } from '../../src/main/app/handle';
import { Redactor } from '../../src/main/redact/redactor';
import type { SecretSummary } from '../../src/shared/model';

const VALUE = 'hunter2-but-much-longer-0123456789';
const redactor = new Redactor((value) =>
  createHash('sha256').update(value).digest('hex').slice(0, 12),
);
redactor.add(VALUE);

function summary(name: string): SecretSummary {
  return {
    id: `s_${name}`,
    ref: `d/${name}`,
    deployment: 'd',
    name,
    service: 'synctv',
    impact: `a note that quotes ${VALUE} by mistake`,
    difficulty: 'low',
    policy: { kind: 'none' },
    rotation: 'no-policy',
    ageDays: 1,
    strength: 'strong',
    weak: false,
    compromised: false,
    tags: [VALUE, 'prod'],
    currentFingerprint: 'abcdef012345',
    updatedAt: '2026-11-23T00:00:00.000Z',
  };
}

describe('handle', () => {
  it('redacts every string of an output without touching what the method returned', async () => {
    // The method hands out objects it keeps (as a cache or the vault state would). The value
    // appears twice in the first summary and five times in the second (id, ref, name too).
    const kept = [summary('one'), summary(VALUE)];
    const before = structuredClone(kept);
    const implementation = {
      'secrets.list': async () => kept,
    } as unknown as Implementation;

    const result = await handle(implementation, 'secrets.list', {}, { redactor: () => redactor });

    expect(result.ok).toBe(true);
    const text = JSON.stringify(result);
    expect(text).not.toContain(VALUE);
    expect(text.match(/\[redacted fp:/g)).toHaveLength(7);
    expect(kept).toEqual(before);
    if (result.ok) expect(result.value[0]?.tags).not.toBe(kept[0]?.tags);
  });

  it('refuses an output with a field the contract does not name', async () => {
    const implementation = {
      'secrets.list': async () => [{ ...summary('one'), value: VALUE }],
    } as unknown as Implementation;

    const result = await handle(implementation, 'secrets.list', {}, { redactor: () => redactor });

    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain(VALUE);
  });
});
