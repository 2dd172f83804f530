import { describe, expect, it } from 'vitest';
import { openUnlocked } from './harness/app';
import { useRekeyUi } from './harness/fixture';
import { type SeedSecret, knownValue } from './harness/seed-vault';

/** The detail pane: metadata edits (and refusals), new values, deletion. */
describe('detail pane', () => {
  const ui = useRekeyUi();
  const jwt: SeedSecret = { ref: 'synctv-prod/jwt.secret', value: knownValue() };
  const redis: SeedSecret = { ref: 'synctv-prod/redis.password', value: knownValue() };

  it('edits metadata and shows it in the detail and the table', async () => {
    const { inventory, base } = await openUnlocked(ui, [jwt, redis]);
    await base.navigate('inventory');
    const detail = await inventory.open(jwt.ref);
    expect(await detail.metadata()).toMatchObject({
      'Impact if lost': '–',
      Difficulty: 'medium',
      Tags: '–',
    });

    await detail.editMetadata({
      impact: 'Existing sessions end; users log in again',
      difficulty: 'high',
      policy: 30,
      tags: ['auth', 'web'],
      compromised: true,
    });

    const metadata = await detail.metadata();
    expect(metadata).toMatchObject({
      'Impact if lost': 'Existing sessions end; users log in again',
      Difficulty: 'high',
      Tags: 'auth, web',
    });
    expect(metadata['Rotation']).toMatch(/^every 30 days · current value today old$/);
    expect(await detail.badges()).toEqual(['on schedule', 'strong', 'compromised']);
    await expect
      .poll(() => inventory.rowCells(jwt.ref))
      .toEqual([
        'jwt.secret compromised',
        'synctv-prod',
        '–',
        'today',
        'on schedule',
        'Existing sessions end; users log in again',
        'high',
        'strong',
      ]);
    // The other secret is untouched, and the facets see the change.
    expect(await inventory.rowCells(redis.ref)).toEqual([
      'redis.password',
      'synctv-prod',
      '–',
      'today',
      'no policy',
      '–',
      'medium',
      'strong',
    ]);
    await inventory.toggleCompromised();
    await expect.poll(() => inventory.visibleRefs()).toEqual([jwt.ref]);
    await inventory.search('auth');
    await expect.poll(() => inventory.visibleRefs()).toEqual([jwt.ref]);

    base.expectNoConsoleErrors();
  });

  it('refuses invalid metadata in place and saves nothing', async () => {
    const { inventory, history, base } = await openUnlocked(ui, [jwt]);
    await base.navigate('inventory');
    const detail = await inventory.open(jwt.ref);
    const before = await detail.metadata();

    expect(await detail.editMetadataRefused({ impact: 'changed', policy: 0 })).toEqual([
      'Days between 1 and 36500',
    ]);
    expect(
      await detail.editMetadataRefused({ policy: 30, generator: 'base99:12', impact: 'changed' }),
    ).toEqual([
      'Use one of hex, base64, base64url, alphanumeric, passphrase, ed25519, e.g. base64:32',
    ]);
    expect(await detail.editMetadataRefused({ generator: 'hex:0' })).toEqual([
      'The length is a whole number, e.g. base64:32',
    ]);
    await detail.cancelEditing();
    expect(await detail.metadata()).toEqual(before);
    expect((await inventory.rowCells(jwt.ref))[5]).toBe('–');

    // Nothing reached the vault: its history has no edit of this secret.
    await base.navigate('history');
    await history.filterRef(jwt.ref);
    await expect
      .poll(async () => (await history.rows()).map((row) => row.kind))
      .toEqual(['version.added', 'secret.created']);

    base.expectNoConsoleErrors();
  });

  it('stores new values as current and keeps the old one as previous', async () => {
    const { inventory, base } = await openUnlocked(ui, [jwt, redis]);
    await base.navigate('inventory');
    const detail = await inventory.open(jwt.ref);
    const [first] = await detail.versions();
    expect(first?.labels).toEqual(['current']);

    const entered = knownValue();
    await detail.newValue(entered);
    let versions = await detail.versions();
    expect(versions.map((v) => v.labels)).toEqual([['current'], ['previous']]);
    expect(versions[1]?.fingerprint).toBe(first?.fingerprint);
    expect(versions[0]?.fingerprint).not.toBe(first?.fingerprint);
    expect(await detail.reveal()).toBe(entered);

    // A generated one: the entered value becomes previous, the first loses its label.
    await detail.newValue();
    // The entered value was on screen: it must not stay there as if it were current.
    expect(await detail.hidden()).toBe(true);
    versions = await detail.versions();
    expect(versions.map((v) => v.labels)).toEqual([['current'], ['previous'], []]);
    expect(new Set(versions.map((v) => v.fingerprint)).size).toBe(3);
    const generated = await detail.reveal();
    expect(generated).not.toBe(entered);
    expect(generated).toMatch(/^[A-Za-z0-9+/]{43}=$/);

    base.expectNoConsoleErrors();
  });

  it('deletes a secret only after its name is typed', async () => {
    const { inventory, base } = await openUnlocked(ui, [jwt, redis]);
    await base.navigate('inventory');
    const detail = await inventory.open(jwt.ref);

    const dialog = await detail.openDeleteDialog();
    const confirm = dialog.getByTestId('confirm-delete');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByTestId('confirm-delete-name').fill('synctv-prod/jwt');
    expect(await confirm.isDisabled()).toBe(true);
    await detail.delete(jwt.ref);

    await expect.poll(() => inventory.visibleRefs()).toEqual([redis.ref]);
    expect(await inventory.footer()).toMatch(/^1 secrets/);
    await base.waitForText(`Removed ${jwt.ref} from the inventory`);

    base.expectNoConsoleErrors();
  });
});
