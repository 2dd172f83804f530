import { execFileSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSshd } from '../helpers/sshd';
import { openUnlocked } from './harness/app';
import { screenshot, useRekeyUi } from './harness/fixture';
import { knownValue } from './harness/seed-vault';
import { CommandPalette } from './pages/command-palette';
import { HostsPage } from './pages/hosts-page';

/**
 * A user brings a server under Rekey against a real OpenSSH server on a loopback port: adds
 * the host with a key pair generated in the vault, compares and pins its host key, tests the
 * login, and then meets a host key that changed (the server got a new one): the dialog shows
 * both fingerprints and the connection is refused until the pin is replaced. A second host
 * comes from an OpenSSH config. Removing is refused while a deployment still runs there.
 */

const DEPLOYMENT = 'matrix-vps1';
const SECRET = `${DEPLOYMENT}/postgres.password`;
const SCHEMES = ['light', 'dark'] as const;

describe('hosts', () => {
  const sshd = useSshd();
  const ui = useRekeyUi();

  it('adds a host, pins and checks its key, tests the login, refuses a changed key, removes it', async () => {
    const server = sshd();
    const {
      ui: opened,
      base,
      inventory,
    } = await openUnlocked(ui, [
      {
        ref: SECRET,
        value: knownValue(),
        metadata: {
          targets: [
            { host: 'local', path: '/srv/matrix/.env', format: 'dotenv', key: 'POSTGRES_PASSWORD' },
          ],
        },
      },
    ]);
    const { page } = opened;
    const hosts = new HostsPage(page, opened.errors);
    const palette = new CommandPalette(page, opened.errors);
    // Both themes of what is on screen now, without the toasts of earlier steps on top.
    const shoot = async (name: string) => {
      for (const toast of await page.locator('.toast').all()) {
        await toast.click({ timeout: 1_000 }).catch(() => undefined);
      }
      for (const scheme of SCHEMES) {
        await page.emulateMedia({ colorScheme: scheme });
        await screenshot(page, `${name}-${scheme}`);
      }
      await page.emulateMedia({ colorScheme: 'light' });
    };

    await hosts.open();
    await hosts.emptyState.waitFor();
    await shoot('hosts-empty');

    // A pasted text that is no private key: refused in place, and nothing typed is lost.
    await palette.open();
    await palette.run('add host server');
    await hosts.byTestId('host-dialog').waitFor();
    const endpoint = { address: '127.0.0.1', port: server.port, user: server.user };
    await hosts.fillHost({
      name: 'vps1',
      ...endpoint,
      login: { kind: 'import', privateKey: 'not an OpenSSH private key' },
    });
    expect(await hosts.saveHost()).toMatch(/\S/);
    expect(await hosts.hostField('name')).toBe('vps1');
    expect(await hosts.hostField('port')).toBe(String(server.port));
    expect(await hosts.hostField('private-key')).toBe('not an OpenSSH private key');
    await shoot('host-dialog-refused');

    // A key pair generated in the vault: the dialog shows the public half for authorized_keys.
    await hosts.fillHost({ login: { kind: 'generate' } });
    expect(await hosts.saveHost()).toBeNull();
    const publicKey = await hosts.generatedPublicKey();
    expect(publicKey).toMatch(/^ssh-ed25519 AAAA[\w+/=]+ rekey@vps1$/);
    await shoot('host-created');
    appendFileSync(join(server.dir, 'authorized_keys'), `${publicKey}\n`);
    await hosts.finishAdding();
    expect(await hosts.rowCells('vps1')).toEqual([
      'vps1',
      `${server.user}@127.0.0.1:${server.port}`,
      'vault key',
      'not trusted',
    ]);

    // Until its key is trusted, Rekey does not log in.
    await hosts.select('vps1');
    const untrusted = await hosts.testConnection();
    expect(untrusted.passed).toBe(false);
    expect(untrusted.text).toContain('not trusted yet');

    // The fingerprint shown is the one `ssh-keygen -lf` prints on the server.
    const probed = await hosts.openHostKeyDialog();
    expect(probed).toMatchObject({
      status: 'unknown',
      algorithm: 'ssh-ed25519',
      fingerprint: server.hostKeyFingerprint,
    });
    await shoot('host-key-dialog');
    await hosts.trustShownKey();
    await expect.poll(() => hosts.hostKeyState('vps1')).toMatch(/^trusted/);
    expect(await hosts.pinnedFingerprint()).toBe(server.hostKeyFingerprint);

    expect(await hosts.testConnection()).toMatchObject({
      passed: true,
      remoteUser: server.user,
      text: expect.stringMatching(/Linux/),
    });

    // The deployment runs on the new host.
    await hosts.setDeploymentHost(DEPLOYMENT, 'vps1', true);
    await expect
      .poll(() => hosts.detail.getByTestId('host-usage').textContent())
      .toContain(DEPLOYMENT);
    await shoot('hosts');

    // The server gets a new host key: shown as a change with both fingerprints, and refused.
    const pinned = server.hostKeyFingerprint;
    await server.regenerateHostKey();
    const presented = server.hostKeyFingerprint;
    const changed = await hosts.openHostKeyDialog();
    expect(changed.status).toBe('changed');
    expect(changed.pinned).toBe(pinned);
    expect(changed.presented).toBe(presented);
    await shoot('host-key-changed');
    await hosts.closeDialog('host-key-dialog');
    const refused = await hosts.testConnection();
    expect(refused.passed).toBe(false);
    expect(refused.text).toContain(pinned);
    expect(refused.text).toContain(presented);

    // The user checked the server: replace the pin, and the login works again.
    await hosts.openHostKeyDialog();
    await hosts.replacePin('vps1');
    await expect.poll(() => hosts.pinnedFingerprint()).toBe(presented);
    expect(await hosts.testConnection()).toMatchObject({ passed: true });

    // A second host from an OpenSSH config: its key file and its known_hosts pin come along.
    const config = join(opened.dir, 'ssh_config');
    const knownHosts = join(opened.dir, 'known_hosts');
    writeFileSync(
      config,
      [
        'Host vps1',
        '  HostName 127.0.0.1',
        'Host vps2',
        '  HostName 127.0.0.1',
        `  Port ${server.port}`,
        `  User ${server.user}`,
        `  IdentityFile ${server.clientKeys.plain}`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      knownHosts,
      execFileSync('ssh-keyscan', ['-t', 'ed25519', '-p', String(server.port), '127.0.0.1'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    );
    const candidates = await hosts.previewSshConfig({ config, knownHosts });
    expect(candidates.map(({ name, enabled }) => ({ name, enabled }))).toEqual([
      { name: 'vps1', enabled: false },
      { name: 'vps2', enabled: true },
    ]);
    expect(candidates[1]?.text).toContain('from known_hosts');
    await shoot('ssh-config-preview');
    await hosts.addSelectedFromSshConfig();
    await expect.poll(() => hosts.names()).toEqual(['vps1', 'vps2']);
    expect(await hosts.hostKeyState('vps2')).toMatch(/^trusted/);
    await hosts.select('vps2');
    expect(await hosts.pinnedFingerprint()).toBe(presented);
    expect(await hosts.testConnection()).toMatchObject({ remoteUser: server.user });

    // The table from the keyboard: Esc closes the detail, arrows move, Enter reaches the actions.
    await hosts.pressInTable('Escape');
    await expect.poll(() => hosts.detail.count()).toBe(0);
    await hosts.pressInTable('ArrowDown');
    await expect.poll(() => hosts.selectedName()).toBe('vps1');
    await hosts.pressInTable('ArrowDown', 'Enter');
    await expect.poll(() => hosts.selectedName()).toBe('vps2');
    await expect.poll(() => hosts.focusedTestId()).toBe('test-connection');

    // vps2 goes at once; vps1 is refused while a deployment runs there, and says so in place.
    expect(await hosts.removeSelected()).toBeNull();
    await hosts.select('vps1');
    expect(await hosts.removeSelected()).toContain(`still used by deployment ${DEPLOYMENT}`);
    await hosts.closeDialog('remove-host-dialog');
    await hosts.setDeploymentHost(DEPLOYMENT, 'vps1', false);
    expect(await hosts.removeSelected()).toBeNull();
    await hosts.emptyState.waitFor();

    // A secret's detail says where it lives: host, path, format and key.
    await base.navigate('inventory');
    const detail = await inventory.open(SECRET);
    const livesIn = (await detail.metadata())['Lives in'];
    for (const part of ['local', '/srv/matrix/.env', 'dotenv', 'POSTGRES_PASSWORD']) {
      expect(livesIn).toContain(part);
    }
    await shoot('secret-targets');

    hosts.expectNoConsoleErrors();
  });
});
