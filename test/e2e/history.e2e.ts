import { describe, expect, it } from 'vitest';
import { openUnlocked } from './harness/app';
import { useRekeyUi } from './harness/fixture';
import { type SeedSecret, knownValue } from './harness/seed-vault';

/** Every action is in the history, the chain verifies, and exports carry no values. */
describe('history', () => {
  const ui = useRekeyUi();
  const jwt: SeedSecret = { ref: 'synctv-prod/jwt.secret', value: knownValue() };
  const db: SeedSecret = { ref: 'matrix-vps1/db.password', value: knownValue() };

  it('lists, filters, verifies and exports the events of what was done', async () => {
    const { inventory, history, base } = await openUnlocked(ui, [jwt, db]);
    const entered = knownValue();

    // Do a few things in the browser session.
    await base.navigate('inventory');
    const detail = await inventory.open(jwt.ref);
    expect(await detail.reveal()).toBe(jwt.value);
    await detail.copy();
    await detail.editMetadata({ impact: 'Sessions end' });
    await detail.newValue(entered);
    await inventory.open(db.ref);
    await detail.reveal();

    await base.navigate('history');
    // The list loads after the view opens: wait for it rather than read it once.
    const browserEvents = async () =>
      (await history.rows())
        .filter((row) => row.source === 'browser')
        .map((row) => `${row.kind} ${row.ref}`);
    await expect
      .poll(browserEvents)
      .toEqual([
        `secret.revealed ${db.ref}`,
        `version.added ${jwt.ref}`,
        `secret.updated ${jwt.ref}`,
        `secret.copied ${jwt.ref}`,
        `secret.revealed ${jwt.ref}`,
      ]);
    // What was prepared with the library appears too, attributed to the CLI.
    const all = await history.rows();
    expect(all.filter((row) => row.source === 'cli').map((row) => row.kind)).toContain(
      'secret.created',
    );
    expect(await history.verifiedBadge()).toBe(`Chain verified · ${all.length} events`);

    // By secret: only its events.
    await history.filterRef(jwt.ref);
    await expect
      .poll(async () => (await history.rows()).map((row) => row.kind))
      .toEqual([
        'version.added',
        'secret.updated',
        'secret.copied',
        'secret.revealed',
        'version.added',
        'secret.created',
      ]);
    // And by kind: "secret" covers secret.*, not version.*.
    await history.filterKind('secret');
    await expect
      .poll(async () => (await history.rows()).map((row) => row.kind))
      .toEqual(['secret.updated', 'secret.copied', 'secret.revealed', 'secret.created']);
    expect((await history.rows()).every((row) => row.ref === jwt.ref)).toBe(true);
    await history.filterRef('');
    await expect
      .poll(async () => (await history.rows()).filter((row) => row.ref === db.ref).length)
      .toBe(2);
    expect((await history.rows()).every((row) => row.kind.startsWith('secret.'))).toBe(true);
    await history.filterKind('');
    await history.filterDeployment('matrix-vps1');
    await expect
      .poll(async () => (await history.rows()).map((row) => `${row.kind} ${row.ref}`.trim()))
      .toEqual([
        `secret.revealed ${db.ref}`,
        `version.added ${db.ref}`,
        `secret.created ${db.ref}`,
        'deployment.created',
      ]);
    await history.filterDeployment('');

    // Exports: the whole history (no filter), in UTC, without any value.
    const csv = await history.exportCsv();
    expect(csv.fileName).toMatch(/^rekey-history-.*\.csv$/);
    const lines = csv.content.trimEnd().split('\r\n');
    expect(lines[0]).toBe('seq,time_utc,source,kind,secret,summary,hash');
    expect(lines).toHaveLength(all.length + 1);
    expect(csv.content).toContain(',browser,secret.copied,synctv-prod/jwt.secret,');
    const json = await history.exportJson();
    expect(JSON.parse(json.content)).toHaveLength(all.length);
    for (const value of [jwt.value, db.value, entered]) {
      expect(csv.content).not.toContain(value);
      expect(json.content).not.toContain(value);
    }

    base.expectNoConsoleErrors();
  });
});
