import { useState } from 'react';
import { Field, FormError } from '../components/Field';
import { Icon } from '../components/icons';
import { StrengthMeter } from '../components/StrengthMeter';
import { useSubmit } from '../components/use-submit';
import { useSession } from '../stores/session';
import { TryRekeyDialog } from './first-run/TryRekeyDialog';

const MIN_PASSWORD = 8;

/**
 * No vault yet: create one (with a strong password), point Rekey at an existing file, or try
 * Rekey first on a demo that runs on this computer.
 */
export function FirstRun() {
  const [tab, setTab] = useState<'create' | 'open'>('create');
  const [trying, setTrying] = useState(false);
  return (
    <div className="center-screen" data-testid="screen-first-run">
      <div className="auth-card">
        <div className="brand">
          <span className="brand-mark">
            <Icon name="key" />
          </span>
          Rekey
        </div>
        <p>The secrets of your self-hosted stack, kept, rotated and recorded.</p>
        <div className="tabs" role="tablist">
          <button
            className="tab"
            role="tab"
            aria-selected={tab === 'create'}
            onClick={() => setTab('create')}
            data-testid="tab-create"
          >
            Create a vault
          </button>
          <button
            className="tab"
            role="tab"
            aria-selected={tab === 'open'}
            onClick={() => setTab('open')}
            data-testid="tab-open"
          >
            Open an existing vault
          </button>
        </div>
        {tab === 'create' ? <CreateVault /> : <OpenVault />}
        <div className="row">
          <span className="spacer field-hint">
            New to Rekey? Rotate a secret of a demo stack on this computer, no server needed.
          </span>
          <button className="button" onClick={() => setTrying(true)} data-testid="try-rekey">
            Try Rekey
          </button>
        </div>
      </div>
      {trying ? <TryRekeyDialog onClose={() => setTrying(false)} /> : null}
    </div>
  );
}

function CreateVault() {
  const create = useSession((state) => state.create);
  const progress = useSession((state) => state.kdfProgress);
  const path = useSession((state) => state.status?.path ?? '');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const mismatch = confirmation.length > 0 && confirmation !== password;
  const { submit, busy, error } = useSubmit(async (fail) => {
    if (password.length < MIN_PASSWORD)
      return fail(`Use at least ${MIN_PASSWORD} characters; a passphrase is best.`);
    if (password !== confirmation) return fail('The two passwords differ.');
    await create(password);
  });

  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Field label="Master password" hint={null}>
        <input
          className="input"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          data-testid="new-password"
          autoFocus
        />
      </Field>
      <StrengthMeter value={password} />
      <Field label="Repeat it" error={mismatch ? 'Does not match yet' : null}>
        <input
          className="input"
          type="password"
          autoComplete="new-password"
          value={confirmation}
          aria-invalid={mismatch}
          onChange={(e) => setConfirmation(e.target.value)}
          data-testid="confirm-password"
        />
      </Field>
      <span className="field-hint">
        Stored at <code>{path}</code>. There is no recovery without this password.
      </span>
      <FormError message={error} />
      {busy ? (
        <div className="stack" data-testid="kdf-progress" style={{ gap: 6 }}>
          <span className="field-hint">Tuning key derivation to this computer…</span>
          <div className="progress">
            <span style={{ width: `${Math.round((progress ?? 0) * 100)}%` }} />
          </div>
        </div>
      ) : null}
      <button className="button primary" type="submit" disabled={busy} data-testid="create-vault">
        Create vault
      </button>
    </form>
  );
}

function OpenVault() {
  const usePath = useSession((state) => state.usePath);
  const [path, setPath] = useState('');
  const { submit, error } = useSubmit(async (fail) => {
    await usePath(path.trim());
    if (useSession.getState().status?.state === 'missing') fail('There is no vault at that path.');
  });

  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Field
        label="Vault file"
        hint="The full path of a .rekey file, e.g. one restored from a backup."
      >
        <input
          className="input mono"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          placeholder="/home/me/.config/rekey/vault.rekey"
          data-testid="vault-path"
          autoFocus
        />
      </Field>
      <FormError message={error} />
      <button
        className="button primary"
        type="submit"
        disabled={!path.trim()}
        data-testid="open-vault"
      >
        Open
      </button>
    </form>
  );
}
