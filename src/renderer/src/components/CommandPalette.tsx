import { Command } from 'cmdk';
import { useEffect, useState } from 'react';
import { useBackups } from '../stores/backups';
import { useHealth } from '../stores/health';
import { useIncidents } from '../stores/incidents';
import { useInterchange } from '../stores/interchange';
import { useRotations } from '../stores/rotations';
import { useSecrets } from '../stores/secrets';
import { type View, useSession } from '../stores/session';
import { useUi } from '../stores/ui';
import { VIEW_TITLES } from './Shell';

const MAX_SECRETS = 40;

/**
 * Ctrl/Cmd+K: go anywhere, find any secret, run any action, from the keyboard. (cmdk's own
 * dialog is not used: it injects a style element, which the CSP forbids.)
 */
export function CommandPalette() {
  const open = useUi((state) => state.paletteOpen);
  const setOpen = useUi((state) => state.setPaletteOpen);
  const openDialog = useUi((state) => state.openDialog);
  const navigate = useSession((state) => state.navigate);
  const lock = useSession((state) => state.lock);
  const secrets = useSecrets((state) => state.items);
  const select = useSecrets((state) => state.select);
  const selectedRef = useSecrets((state) => state.selectedRef);
  const openWizard = useRotations((state) => state.openWizard);
  const openBackupWizard = useBackups((state) => state.openWizard);
  const openRestore = useBackups((state) => state.openRestore);
  const openNewIncident = useIncidents((state) => state.openNew);
  const openExposed = useIncidents((state) => state.openExposed);
  const [search, setSearch] = useState('');

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() === 'k' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        setOpen(!useUi.getState().paletteOpen);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setOpen]);

  if (!open) return null;
  // The palette lists at most MAX_SECRETS secrets; with thousands, pick them by the search first.
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const matching = secrets
    .filter((secret) =>
      words.every((word) => `${secret.ref} ${secret.service}`.toLowerCase().includes(word)),
    )
    .slice(0, MAX_SECRETS);
  const run = (action: () => void) => () => {
    setOpen(false);
    action();
  };
  const go = (view: View) => run(() => navigate(view));

  return (
    <div
      className="overlay"
      onMouseDown={(event) => event.target === event.currentTarget && setOpen(false)}
    >
      <Command
        className="palette"
        label="Command palette"
        data-testid="palette"
        onKeyDown={(event) => {
          if (event.key === 'Escape') setOpen(false);
        }}
      >
        <Command.Input
          autoFocus
          value={search}
          onValueChange={setSearch}
          placeholder="Type a command or a secret name…"
          data-testid="palette-input"
        />
        <Command.List>
          <Command.Empty>Nothing matches.</Command.Empty>
          <Command.Group heading="Go to">
            {(Object.keys(VIEW_TITLES) as View[]).map((view) => (
              <Command.Item key={view} value={`go ${VIEW_TITLES[view]}`} onSelect={go(view)}>
                {VIEW_TITLES[view]}
              </Command.Item>
            ))}
          </Command.Group>
          <Command.Group heading="Actions">
            <Command.Item
              value="add secret new"
              onSelect={run(() => (navigate('inventory'), openDialog('add-secret')))}
            >
              Add a secret
            </Command.Item>
            <Command.Item
              value="import env dotenv file"
              onSelect={run(() => (navigate('inventory'), openDialog('import-env')))}
            >
              Import a .env file
            </Command.Item>
            <Command.Item
              value="import compose pass keepass keepassxc bitwarden other tool"
              onSelect={run(() => useInterchange.getState().openDialog('import'))}
            >
              Import from compose, pass, KeePassXC or Bitwarden…
            </Command.Item>
            <Command.Item
              value="export pass keepass env secrets out"
              onSelect={run(() => useInterchange.getState().openDialog('export'))}
            >
              Export secrets (pass, KeePass XML, .env)…
            </Command.Item>
            <Command.Item
              value="add host server ssh"
              onSelect={run(() => (navigate('hosts'), openDialog('add-host')))}
            >
              Add a host
            </Command.Item>
            <Command.Item
              value="import hosts ssh config"
              onSelect={run(() => (navigate('hosts'), openDialog('import-ssh-config')))}
            >
              Import hosts from ~/.ssh/config
            </Command.Item>
            <Command.Item
              value="scan host for secrets find discover config files"
              onSelect={run(() => (navigate('hosts'), openDialog('scan-host')))}
            >
              Scan a host for secrets
            </Command.Item>
            <Command.Item
              value="change password"
              onSelect={run(() => (navigate('settings'), openDialog('change-password')))}
            >
              Change the master password
            </Command.Item>
            {selectedRef ? (
              <Command.Item
                value={`rotate ${selectedRef} rotation wizard new value`}
                onSelect={run(() => openWizard([selectedRef]))}
              >
                Rotate <span className="mono">{selectedRef}</span>…
              </Command.Item>
            ) : null}
            <Command.Item
              value="health check hosts ports file modes git findings"
              onSelect={run(
                () => (navigate('health'), void useHealth.getState().load({ hosts: true })),
              )}
            >
              Run health checks on hosts…
            </Command.Item>
            <Command.Item
              value="new backup bundle encrypted gpg"
              onSelect={run(() => (navigate('backups'), openBackupWizard()))}
            >
              New backup…
            </Command.Item>
            <Command.Item
              value="restore backup bundle database secrets"
              onSelect={run(() => (navigate('backups'), openRestore()))}
            >
              Restore a backup…
            </Command.Item>
            <Command.Item
              value="new incident leak breach timeline"
              onSelect={run(() => (navigate('incidents'), openNewIncident(true)))}
            >
              New incident…
            </Command.Item>
            {selectedRef ? (
              <Command.Item
                value={`mark ${selectedRef} as exposed leaked compromised incident`}
                onSelect={run(() => openExposed(selectedRef))}
              >
                Mark <span className="mono">{selectedRef}</span> as exposed…
              </Command.Item>
            ) : null}
            <Command.Item value="lock vault" onSelect={run(() => void lock())}>
              Lock the vault
            </Command.Item>
          </Command.Group>
          <Command.Group heading="Secrets">
            {matching.map((secret) => (
              <Command.Item
                key={secret.id}
                value={`secret ${secret.ref} ${secret.service}`}
                onSelect={run(() => (navigate('inventory'), void select(secret.ref)))}
              >
                <span className="mono">{secret.ref}</span>
                <span className="faint">{secret.service}</span>
              </Command.Item>
            ))}
          </Command.Group>
        </Command.List>
      </Command>
    </div>
  );
}
