import { type FormEvent, useState } from 'react';
import { THEMES, type Preferences } from '../../../shared/api';
import { call, errorMessage } from '../api/client';
import { Dialog, DialogActions } from '../components/Dialog';
import { Field, FormError } from '../components/Field';
import { Shell } from '../components/Shell';
import { StrengthMeter } from '../components/StrengthMeter';
import { useSubmit } from '../components/use-submit';
import { useSession } from '../stores/session';
import { useUi } from '../stores/ui';
import { DeviceKeychain } from './settings/DeviceKeychain';

const LIMITS = {
  autoLockMinutes: [0, 1440],
  clipboardClearSeconds: [5, 600],
  revealSeconds: [3, 600],
  backupWarnDays: [1, 365],
  reminderDays: [0, 365],
  neverRotatedDays: [1, 3650],
} as const;

export function Settings() {
  const preferences = useSession((state) => state.preferences);
  const update = useSession((state) => state.updatePreferences);
  const status = useSession((state) => state.status);
  const dialog = useUi((state) => state.dialog);
  const openDialog = useUi((state) => state.openDialog);
  const toast = useUi((state) => state.toast);
  const [draft, setDraft] = useState(preferences);
  const [error, setError] = useState<string | null>(null);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    for (const [key, [min, max]] of Object.entries(LIMITS) as [
      keyof typeof LIMITS,
      readonly [number, number],
    ][]) {
      const value = draft[key];
      if (!Number.isInteger(value) || value < min || value > max)
        return setError(`${key}: between ${min} and ${max}`);
    }
    setError(null);
    try {
      await update(draft);
      toast('success', 'Settings saved');
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  const number = (key: keyof typeof LIMITS) => (
    <input
      className="input"
      inputMode="numeric"
      value={String(draft[key])}
      onChange={(e) => setDraft({ ...draft, [key]: Number(e.target.value) })}
      data-testid={`pref-${key}`}
    />
  );

  return (
    <Shell>
      <div className="settings" data-testid="screen-settings">
        <form className="card stack" onSubmit={save}>
          <h2>Safety and comfort</h2>
          <div className="grid-2">
            <Field label="Lock after idle (minutes)" hint="0 never locks on idle">
              {number('autoLockMinutes')}
            </Field>
            <Field label="Theme">
              <select
                className="select"
                value={draft.theme}
                onChange={(e) =>
                  setDraft({ ...draft, theme: e.target.value as Preferences['theme'] })
                }
                data-testid="pref-theme"
              >
                {THEMES.map((theme) => (
                  <option key={theme} value={theme}>
                    {theme === 'system' ? 'Follow the system' : theme}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Clear the clipboard after (seconds)">
              {number('clipboardClearSeconds')}
            </Field>
            <Field label="Hide revealed values after (seconds)">{number('revealSeconds')}</Field>
            <Field
              label="Warn when the last backup is older than (days)"
              hint="Per deployment, on the Dashboard"
            >
              {number('backupWarnDays')}
            </Field>
            <Field
              label="Remind of rotations due within (days)"
              hint="Notifications, the health report and rekey due"
            >
              {number('reminderDays')}
            </Field>
            <Field label="Report a value never rotated after (days)" hint="In the health report">
              {number('neverRotatedDays')}
            </Field>
            <label className="row">
              <input
                type="checkbox"
                checked={draft.notifications}
                onChange={(e) => setDraft({ ...draft, notifications: e.target.checked })}
                data-testid="pref-notifications"
              />{' '}
              Desktop notifications when rotations or backups are due
            </label>
          </div>
          <FormError message={error} />
          <div className="row">
            <span className="spacer" />
            <button className="button primary" type="submit" data-testid="save-settings">
              Save settings
            </button>
          </div>
        </form>
        <section className="card stack">
          <h2>Vault</h2>
          <dl className="meta-list">
            <dt>File</dt>
            <dd className="mono" data-testid="settings-path">
              {status?.path}
            </dd>
            <dt>Key derivation</dt>
            <dd>
              {status?.kdf
                ? `Argon2id, ${status.kdf.memoryKiB / 1024} MiB, ${status.kdf.iterations} passes, ${status.kdf.parallelism} ${status.kdf.parallelism === 1 ? 'lane' : 'lanes'}`
                : '–'}
            </dd>
            <dt>Size</dt>
            <dd>
              {status?.fileSize ? `${(status.fileSize / 1024).toFixed(1)} KiB` : '–'} ·{' '}
              {status?.events ?? 0} events
            </dd>
          </dl>
          <div className="row">
            <button
              className="button"
              onClick={() => openDialog('change-password')}
              data-testid="change-password-button"
            >
              Change master password
            </button>
            <CompactButton />
          </div>
          <DeviceKeychain />
          <SwitchVault />
        </section>
      </div>
      {dialog === 'change-password' ? (
        <ChangePasswordDialog onClose={() => openDialog(null)} />
      ) : null}
    </Shell>
  );
}

/** Opens another vault file: this one locks first, the other asks for its own password. */
function SwitchVault() {
  const usePath = useSession((state) => state.usePath);
  const [path, setPath] = useState('');
  const { submit, error } = useSubmit(() => usePath(path.trim()));
  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Field
        label="Use another vault file"
        hint="Locks this vault; the other one opens with its own password, or starts empty."
      >
        <div className="row">
          <input
            className="input mono"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/path/to/other.rekey"
            data-testid="switch-vault-path"
          />
          <button
            className="button"
            type="submit"
            disabled={!path.trim()}
            data-testid="switch-vault"
          >
            Switch
          </button>
        </div>
      </Field>
      <FormError message={error} />
    </form>
  );
}

function CompactButton() {
  const refresh = useSession((state) => state.refreshStatus);
  const toast = useUi((state) => state.toast);
  return (
    <button
      className="button"
      onClick={async () => {
        try {
          const result = await call('vault.compact', {});
          await refresh();
          toast('success', `Compacted: ${result.before} → ${result.after} bytes, history kept`);
        } catch (error) {
          toast('error', errorMessage(error));
        }
      }}
    >
      Compact the vault file
    </button>
  );
}

function ChangePasswordDialog({ onClose }: { onClose(): void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const progress = useSession((state) => state.kdfProgress);
  const refresh = useSession((state) => state.refreshStatus);
  const toast = useUi((state) => state.toast);
  // The vault key survives a password change, so a remembered device still unlocks: optional.
  const remembered = useSession((state) => state.status?.keychain.remembered ?? false);
  const [forgetDevice, setForgetDevice] = useState(false);

  const { submit, busy, error } = useSubmit(async (fail) => {
    if (next.length < 8) return fail('Use at least 8 characters; a passphrase is best.');
    if (next !== repeat) return fail('The new passwords differ.');
    await call('vault.changePassword', { currentPassword: current, newPassword: next });
    if (forgetDevice) await call('vault.forgetDevice', {});
    await refresh();
    toast('success', 'Password changed. Use the new one from now on.');
    onClose();
  });

  return (
    <Dialog
      title="Change master password"
      onClose={onClose}
      testId="change-password-dialog"
      footer={
        <DialogActions
          onCancel={onClose}
          onConfirm={() => void submit()}
          label={busy ? `Re-wrapping… ${Math.round((progress ?? 0) * 100)}%` : 'Change password'}
          busy={busy}
          testId="confirm-change-password"
        />
      }
    >
      <Field label="Current password">
        <input
          className="input"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          data-testid="current-password"
        />
      </Field>
      <Field label="New password">
        <input
          className="input"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          data-testid="next-password"
        />
      </Field>
      <StrengthMeter value={next} />
      <Field label="Repeat the new password">
        <input
          className="input"
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          data-testid="repeat-password"
        />
      </Field>
      <p className="field-hint">
        Only the key wrapping changes; your secrets and history are not re-encrypted.
      </p>
      {remembered ? (
        <label className="check-item">
          <input
            type="checkbox"
            checked={forgetDevice}
            onChange={(e) => setForgetDevice(e.target.checked)}
            data-testid="forget-device-on-change"
          />
          <span>
            Also forget this device&apos;s keychain entry (it keeps unlocking the vault otherwise)
          </span>
        </label>
      ) : null}
      <FormError message={error} />
    </Dialog>
  );
}
