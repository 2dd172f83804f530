import { describe, expect, it } from 'vitest';
import { type CliOptions, CLI_BUNDLE, initCliVault, runRekey } from '../helpers/rekey-cli';
import { useKeyring } from '../helpers/keyring';
import { useTempDirs } from '../helpers/temp';
import { inTerminal } from '../helpers/terminal';
import { PASSWORD } from '../helpers/vault';

/**
 * The CLI with a remembered key, against a real gnome-keyring on a private D-Bus session:
 * `rekey vault remember | forget`, commands that open the vault without any password source,
 * the usual password sources still first, and a stale key that falls back to the prompt.
 */

const keyring = useKeyring();
const tempDir = useTempDirs();

async function rememberedVault() {
  const vault = await initCliVault(tempDir());
  const withKeyring = (options: CliOptions = {}): CliOptions => ({
    ...options,
    env: { ...keyring().env, ...options.env },
  });
  /** `rekey --vault V ...` with no password source at all. */
  const bare = (args: readonly string[], options?: CliOptions) =>
    runRekey(['--vault', vault.vaultPath, ...args], withKeyring(options));
  const remembered = await vault.rekey(['vault', 'remember', '--json'], withKeyring());
  expect(remembered.stderr).toBe('');
  expect(remembered.code).toBe(0);
  expect(JSON.parse(remembered.stdout)).toEqual({
    available: true,
    reason: null,
    remembered: true,
  });
  const status = JSON.parse((await bare(['status', '--json'])).stdout) as { vaultId: string };
  return { vault, bare, withKeyring, vaultId: status.vaultId };
}

describe('rekey vault remember / forget', () => {
  it('opens the vault from the keychain when no password is given, and forgets it', async () => {
    const { vault, bare, withKeyring, vaultId } = await rememberedVault();
    const entry = await keyring().secretTool(['search', '--all', 'service', 'Rekey']);
    expect(entry.stderr).toContain(`attribute.username = ${vaultId}`);
    expect(entry.stdout).not.toContain(PASSWORD);

    // No --password-file, no REKEY_PASSWORD*, no terminal: only the keychain can open it.
    const added = await bare(['secret', 'add', 'app/api.token', '--generate', 'hex:16']);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const status = await bare(['status']);
    expect(status.stderr).toBe('');
    expect(status.stdout).toContain('keychain: remembered on this device');
    const history = JSON.parse(
      (await bare(['history', '--kind', 'vault.device-remembered', '--json'])).stdout,
    ) as unknown[];
    expect(history).toHaveLength(1);

    // A given password still wins, and a wrong one is still wrong (exit 3).
    const wrong = await bare(['secret', 'list'], { env: { REKEY_PASSWORD: 'wrong' } });
    expect(wrong.code).toBe(3);
    expect((await vault.rekey(['secret', 'list'], withKeyring())).code).toBe(0);

    const forgot = await bare(['vault', 'forget']);
    expect(forgot.code).toBe(0);
    expect(forgot.stdout).toContain('Forgot');
    const after = await keyring().secretTool(['search', '--all', 'service', 'Rekey']);
    expect(after.stderr).not.toContain(vaultId);
    const kinds = JSON.parse((await vault.rekey(['history', '--json'], withKeyring())).stdout) as {
      kind: string;
    }[];
    expect(kinds.map((event) => event.kind)).toContain('vault.device-forgotten');

    // Forgotten: without a terminal there is no password to be had any more.
    const refused = await bare(['secret', 'list']);
    expect(refused.code).not.toBe(0);
    expect((await bare(['vault', 'forget'])).stdout).toContain('nothing to forget');
  });

  it('REKEY_NO_KEYCHAIN skips the keychain', async () => {
    const { bare } = await rememberedVault();
    const skipped = await bare(['secret', 'list'], { env: { REKEY_NO_KEYCHAIN: '1' } });
    expect(skipped.code).not.toBe(0);
    const status = await bare(['status'], {
      env: { REKEY_PASSWORD: PASSWORD, REKEY_NO_KEYCHAIN: '1' },
    });
    expect(status.stdout).toContain('keychain: unavailable: switched off by REKEY_NO_KEYCHAIN');
    await bare(['vault', 'forget']);
  });

  it('a tampered entry is reported, removed, and the prompt takes over', async () => {
    const { vault, vaultId } = await rememberedVault();
    const tampered = await keyring().secretTool(
      ['store', '--label', 'tampered', 'service', 'Rekey', 'username', vaultId],
      'garbage',
    );
    expect(tampered.code).toBe(0);
    const command = `${process.execPath} ${CLI_BUNDLE} --vault ${vault.vaultPath} secret list`;
    const run = await inTerminal(command, [{ prompt: 'Vault password: ', answer: PASSWORD }]);
    expect(run.output).toContain('remembered key no longer opens this vault');
    expect(run.code).toBe(0);
    const after = await keyring().secretTool(['search', '--all', 'service', 'Rekey']);
    expect(after.stderr).not.toContain(vaultId);
  });
});
