import { type FormEvent, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../api/client';
import { Field, FormError } from '../components/Field';
import { Icon } from '../components/icons';
import { useSession } from '../stores/session';
import { useUi } from '../stores/ui';

export function Unlock() {
  const unlock = useSession((state) => state.unlock);
  const unlockWithKeychain = useSession((state) => state.unlockWithKeychain);
  const usePath = useSession((state) => state.usePath);
  const path = useSession((state) => state.status?.path ?? '');
  const keychain = useSession((state) => state.status?.keychain ?? null);
  const notice = useSession((state) => state.lockNotice);
  const defaultPath = useSession((state) => state.info?.defaultVaultPath ?? '');
  const toast = useUi((state) => state.toast);
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const passwordField = useRef<HTMLInputElement>(null);
  const remembered = keychain?.remembered ?? false;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const wantsRemember = remember && keychain?.available === true && !remembered;
    try {
      await unlock(password, wantsRemember);
      // The unlock stands even when the keychain refused; say so once the vault is open.
      const after = useSession.getState().status?.keychain;
      if (wantsRemember && after && !after.remembered) {
        toast('error', after.reason ?? 'This vault could not be remembered on this device.');
      }
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.code === 'WRONG_PASSWORD'
          ? 'That is not the password of this vault.'
          : errorMessage(failure),
      );
      setPassword('');
      setBusy(false);
    }
  };

  const withKeychain = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await unlockWithKeychain();
      if (result.unlocked) return;
      setError(result.message ?? 'The keychain did not open this vault; use the password.');
    } catch (failure) {
      setError(errorMessage(failure));
    }
    setBusy(false);
    passwordField.current?.focus();
  };

  return (
    <div className="center-screen" data-testid="screen-unlock">
      <form className="auth-card stack" onSubmit={submit}>
        <div className="brand">
          <span className="brand-mark">
            <Icon name="lock" />
          </span>
          Rekey is locked
        </div>
        {notice ? <div className="notice">{notice}</div> : null}
        {remembered ? (
          <button
            className="button primary"
            type="button"
            onClick={() => void withKeychain()}
            disabled={busy}
            autoFocus
            data-testid="unlock-keychain"
          >
            <Icon name="lock" /> Unlock with this device&apos;s keychain
          </button>
        ) : null}
        <Field
          label="Master password"
          hint={remembered ? 'Or type the password; it always works.' : undefined}
        >
          <input
            ref={passwordField}
            className="input"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoFocus={!remembered}
            data-testid="unlock-password"
          />
        </Field>
        <KeychainOption
          keychain={keychain}
          checked={remember}
          onChange={setRemember}
          disabled={busy}
        />
        <FormError message={error} />
        <button
          className={remembered ? 'button' : 'button primary'}
          type="submit"
          disabled={busy || !password}
          data-testid="unlock-button"
        >
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
        <div className="row field-hint">
          <span className="spacer mono">{path}</span>
          {path !== defaultPath && defaultPath ? (
            <button
              type="button"
              className="button ghost small"
              onClick={() => void usePath(defaultPath)}
            >
              Use default vault
            </button>
          ) : null}
        </div>
      </form>
    </div>
  );
}

/**
 * "Remember on this device", offered only where a keychain answers; without one, a short
 * line says why instead, so the missing option is not a mystery.
 */
function KeychainOption(props: {
  keychain: { available: boolean; reason: string | null; remembered: boolean } | null;
  checked: boolean;
  onChange(checked: boolean): void;
  disabled: boolean;
}) {
  const { keychain } = props;
  if (!keychain || keychain.remembered) return null;
  if (!keychain.available) {
    return (
      <p className="field-hint" data-testid="keychain-unavailable">
        No keychain on this device ({keychain.reason ?? 'unknown reason'}): unlock with the
        password.
      </p>
    );
  }
  return (
    <label className="check-item" data-testid="keychain-remember">
      <input
        type="checkbox"
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
        disabled={props.disabled}
        data-testid="keychain-remember-checkbox"
      />
      <span>
        Remember on this device
        <span className="field-hint">
          {' '}
          · keeps the vault key (not the password) in the system keychain
        </span>
      </span>
    </label>
  );
}
