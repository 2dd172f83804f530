import { useState } from 'react';
import { call } from '../../api/client';
import { Dialog, DialogActions } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { StrengthMeter } from '../../components/StrengthMeter';
import { useSubmit } from '../../components/use-submit';
import { useSession } from '../../stores/session';
import { useUi } from '../../stores/ui';

const MIN_PASSWORD = 8;

/** `~/rekey-demo`, written with the separator the home directory uses. */
function suggestedFolder(home: string): string {
  if (!home) return '';
  const separator = home.includes('\\') && !home.includes('/') ? '\\' : '/';
  return `${home.replace(/[\\/]+$/, '')}${separator}rekey-demo`;
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path);
}

/**
 * "Try Rekey": makes the demo (config files, a small local service that reads them, and a
 * vault that knows their secrets) in a folder of the user's choosing, then opens that vault
 * on the inventory, ready for a first rotation.
 */
export function TryRekeyDialog({ onClose }: { onClose(): void }) {
  const home = useSession((state) => state.info?.homeDir ?? '');
  const progress = useSession((state) => state.kdfProgress);
  const toast = useUi((state) => state.toast);
  const [dir, setDir] = useState(() => suggestedFolder(home));
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const mismatch = confirmation.length > 0 && confirmation !== password;

  const { submit, busy, error } = useSubmit(async (fail) => {
    const folder = dir.trim();
    if (!isAbsolute(folder))
      return fail('Give the folder as a full path, e.g. /home/me/rekey-demo.');
    if (password.length < MIN_PASSWORD)
      return fail(`Use at least ${MIN_PASSWORD} characters; a passphrase is best.`);
    if (password !== confirmation) return fail('The two passwords differ.');
    useSession.setState({ kdfProgress: 0 });
    try {
      const report = await call('demo.create', { dir: folder, password });
      useSession.setState({ status: report.vault, view: 'inventory', lockNotice: null });
      toast(
        'success',
        `Demo ready: its service runs at ${report.service.url}. Select ${report.deployment}/jwt.secret and rotate it.`,
      );
    } finally {
      useSession.setState({ kdfProgress: null });
    }
  });

  return (
    <Dialog
      title="Try Rekey on this computer"
      onClose={onClose}
      locked={busy}
      testId="try-rekey-dialog"
      footer={
        <DialogActions
          onCancel={onClose}
          onConfirm={() => void submit()}
          label={busy ? 'Creating the demo…' : 'Create the demo'}
          testId="create-demo"
          busy={busy}
        />
      }
    >
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <p className="muted">
          No server needed: Rekey writes SyncTV- and LiveKit-style config files into a folder,
          starts a small service on 127.0.0.1 that reads its token secret from them, and opens a
          demo vault that knows every secret and how to rotate it. Nothing outside the folder
          changes.
        </p>
        <Field label="Demo folder" hint="A new or empty folder; the demo vault is kept there too.">
          <input
            className="input mono"
            value={dir}
            onChange={(e) => setDir(e.target.value)}
            spellCheck={false}
            data-testid="demo-dir"
          />
        </Field>
        <Field label="Password of the demo vault" hint={null}>
          <input
            className="input"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="demo-password"
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
            data-testid="demo-confirm"
          />
        </Field>
        <FormError message={error} />
        {busy ? (
          <div className="stack" data-testid="demo-progress" style={{ gap: 6 }}>
            <span className="field-hint">Creating the vault, the files and the service…</span>
            <div className="progress">
              <span style={{ width: `${Math.round((progress ?? 0) * 100)}%` }} />
            </div>
          </div>
        ) : null}
        {/* Enter in a field submits; the visible action is in the dialog's footer. */}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
