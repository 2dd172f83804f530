import { describe, expect, it } from 'vitest';
import { pagesOf } from './harness/app';
import { useRekeyUi } from './harness/fixture';
import { knownValue } from './harness/seed-vault';

/**
 * The first minutes of a new user: create a vault, add secrets (generated and entered), import
 * a .env after previewing it, then find things again with the search box, the facets and the
 * column headers.
 */
describe('inventory', () => {
  const ui = useRekeyUi();

  it('creates a vault, adds and imports secrets, filters and sorts them', async () => {
    const app = pagesOf(await ui.open());
    const { firstRun, inventory, base } = app;

    await firstRun.createVault('violet staple orbit canyon');
    await base.navigate('inventory');
    await inventory.byTestId('inventory-empty').waitFor();

    // Generated: Rekey's default generator is base64 of 32 random bytes.
    let detail = await inventory.addSecret({
      ref: 'synctv-prod/jwt.secret',
      service: 'synctv',
      policy: 90,
    });
    expect(await detail.reveal()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect((await detail.metadata())['Generator']).toBe('base64:32');

    // Entered: stored exactly as typed, and rated (this one is weak on purpose).
    detail = await inventory.addSecret({
      ref: 'matrix-vps1/db.password',
      value: 'password2024',
      service: 'postgresql',
    });
    expect(await detail.reveal()).toBe('password2024');
    expect(await detail.badges()).toContain('weak');

    const registration = knownValue();
    await inventory.addSecret({
      ref: 'matrix-vps1/registration.secret',
      value: registration,
      service: 'synapse',
      compromised: true,
    });
    expect(await inventory.visibleRefs()).toEqual([
      'matrix-vps1/db.password',
      'matrix-vps1/registration.secret',
      'synctv-prod/jwt.secret',
    ]);

    // Import: the dry run says what would happen and changes nothing; then import it.
    const env = [
      '# LiveKit on vps1',
      `LIVEKIT_API_KEY=${knownValue()}`,
      `LIVEKIT_API_SECRET=${knownValue()}`,
      'LIVEKIT_PORT=7880',
      `REDIS_URL=redis://default:${knownValue()}@redis:6379`,
      'TURN_PASSWORD=',
      '',
    ].join('\n');
    const preview = await inventory.previewImport({ deployment: 'livekit-vps1', content: env });
    expect(preview.summary).toBe('3 new · 0 updated · 0 unchanged · 2 skipped');
    expect(preview.added).toEqual([
      'livekit-vps1/LIVEKIT_API_KEY',
      'livekit-vps1/LIVEKIT_API_SECRET',
      'livekit-vps1/REDIS_URL',
    ]);
    expect(preview.skipped).toEqual([
      'LIVEKIT_PORT: does not look like a secret (import all keys to include it)',
      'TURN_PASSWORD: empty value',
    ]);
    expect(await inventory.footer()).toMatch(/^3 secrets/);
    await inventory.confirmImport();
    await expect.poll(() => inventory.footer()).toMatch(/^6 secrets/);

    // Search matches ref, service, impact and tags; every word must match.
    await inventory.search('livekit');
    await expect
      .poll(() => inventory.visibleRefs())
      .toEqual([
        'livekit-vps1/LIVEKIT_API_KEY',
        'livekit-vps1/LIVEKIT_API_SECRET',
        'livekit-vps1/REDIS_URL',
      ]);
    expect(await inventory.footer()).toMatch(/^3 of 6 secrets/);
    await inventory.search('matrix synapse');
    await expect.poll(() => inventory.visibleRefs()).toEqual(['matrix-vps1/registration.secret']);
    await inventory.search('no such thing');
    await expect.poll(() => inventory.visibleRefs()).toEqual([]);
    expect(await inventory.footer()).toMatch(/^0 of 6 secrets/);
    await inventory.search('');

    // Facets, alone and combined with the search.
    await inventory.filterDeployment('matrix-vps1');
    await expect
      .poll(() => inventory.visibleRefs())
      .toEqual(['matrix-vps1/db.password', 'matrix-vps1/registration.secret']);
    await inventory.toggleWeak();
    await expect.poll(() => inventory.visibleRefs()).toEqual(['matrix-vps1/db.password']);
    await inventory.toggleWeak();
    await inventory.filterDeployment('');
    await inventory.toggleCompromised();
    await expect.poll(() => inventory.visibleRefs()).toEqual(['matrix-vps1/registration.secret']);
    await inventory.toggleCompromised();
    await inventory.filterRotation('ok');
    await expect.poll(() => inventory.visibleRefs()).toEqual(['synctv-prod/jwt.secret']);
    await inventory.filterRotation('no-policy');
    await inventory.search('matrix');
    await expect
      .poll(() => inventory.visibleRefs())
      .toEqual(['matrix-vps1/db.password', 'matrix-vps1/registration.secret']);
    await inventory.search('');
    await inventory.filterRotation('');
    await expect.poll(() => inventory.visibleRefs()).toHaveLength(6);

    // Sorting: by name by default; a header click sorts by it, a second click reverses.
    const byName = [
      'livekit-vps1/LIVEKIT_API_KEY',
      'livekit-vps1/LIVEKIT_API_SECRET',
      'livekit-vps1/REDIS_URL',
      'matrix-vps1/db.password',
      'matrix-vps1/registration.secret',
      'synctv-prod/jwt.secret',
    ];
    expect(await inventory.visibleRefs()).toEqual(byName);
    expect(await inventory.sortBy('ref')).toBe('descending');
    await expect.poll(() => inventory.visibleRefs()).toEqual([...byName].reverse());
    // By service (imported secrets have none, and sort first), then by name within a service.
    expect(await inventory.sortBy('service')).toBe('ascending');
    await expect
      .poll(() => inventory.visibleRefs())
      .toEqual([
        'livekit-vps1/LIVEKIT_API_KEY',
        'livekit-vps1/LIVEKIT_API_SECRET',
        'livekit-vps1/REDIS_URL',
        'matrix-vps1/db.password',
        'matrix-vps1/registration.secret',
        'synctv-prod/jwt.secret',
      ]);
    expect(await inventory.sortBy('service')).toBe('descending');
    await expect
      .poll(() => inventory.visibleRefs())
      .toEqual([
        'synctv-prod/jwt.secret',
        'matrix-vps1/registration.secret',
        'matrix-vps1/db.password',
        'livekit-vps1/LIVEKIT_API_KEY',
        'livekit-vps1/LIVEKIT_API_SECRET',
        'livekit-vps1/REDIS_URL',
      ]);

    base.expectNoConsoleErrors();
  });
});
