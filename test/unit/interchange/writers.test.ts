import { describe, expect, it } from 'vitest';
import { envFile } from '../../../src/main/interchange/env-writer';
import { readEnv } from '../../../src/main/interchange/env-reader';
import { keepassXml } from '../../../src/main/interchange/keepass-xml-writer';
import { readKeepassXml } from '../../../src/main/interchange/keepass-xml-reader';

/** What the writers produce reads back to the same values (the real tools: integration). */

const entries = [
  { deployment: 'prod', name: 'DB_PASSWORD', value: `a 'b' "c" $d \\e`, notes: 'owner: ops' },
  { deployment: 'prod', name: 'db/multi', value: 'line 1\nline 2', notes: '' },
  { deployment: 'dev', name: 'TOKEN', value: '<&>]]>', notes: '' },
];

describe('writers', () => {
  it('.env: compose-quoted values, invalid keys renamed and reported', () => {
    const { text, renamed } = envFile(entries);
    expect(renamed).toEqual(['db/multi -> db_multi']);
    const back = readEnv(text, 'out.env', true).candidates.map((c) => [c.name, c.value]);
    expect(back).toEqual([
      ['DB_PASSWORD', entries[0]?.value],
      ['db_multi', 'line 1\nline 2'],
      ['TOKEN', '<&>]]>'],
    ]);
  });

  it('KeePass XML: a group per deployment, values and notes intact', () => {
    const xml = keepassXml(entries, new Date('2026-01-02T03:04:05.678Z'));
    expect(xml).toContain('<Value ProtectInMemory="True">');
    expect(xml).toContain('<CreationTime>2026-01-02T03:04:05Z</CreationTime>');
    const back = readKeepassXml(xml, 'x.xml').candidates;
    expect(back.map((c) => [c.deployment, c.name, c.value, c.notes])).toEqual(
      entries.map((e) => [e.deployment, e.name, e.value, e.notes]),
    );
  });
});
