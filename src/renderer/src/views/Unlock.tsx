import { type FormEvent, useState } from 'react';
import { ApiError, errorMessage } from '../api/client';
import { Field, FormError } from '../components/Field';
import { Icon } from '../components/icons';
import { useSession } from '../stores/session';

export function Unlock() {
  const unlock = useSession((state) => state.unlock);
  const usePath = useSession((state) => state.usePath);
  const path = useSession((state) => state.status?.path ?? '');
  const notice = useSession((state) => state.lockNotice);
  const defaultPath = useSession((state) => state.info?.defaultVaultPath ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await unlock(password);
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
        <Field label="Master password">
          <input
            className="input"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoFocus
            data-testid="unlock-password"
          />
        </Field>
        <FormError message={error} />
        <button
          className="button primary"
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
