import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../shared/api';
import { call } from '../../api/client';
import { Dialog, DialogActions } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { useSubmit } from '../../components/use-submit';
import type { BackupSummary } from '../../stores/backups';
import { baseName } from './format';

type Report = MethodOutput<'backups.verify'>;
type PgpKey = MethodOutput<'keys.list'>[number];

/**
 * Opens a bundle again and checks every file against its checksums: with the passphrase (typed
 * here, kept in this dialog only and dropped after the call) or a private key the vault keeps.
 * The outcome stays in place: OK, or every problem, or why it could not be opened.
 */
export function VerifyDialog({ backup, onClose }: { backup: BackupSummary; onClose(): void }) {
  const [passphrase, setPassphrase] = useState('');
  const [keys, setKeys] = useState<PgpKey[]>([]);
  const [useKey, setUseKey] = useState<string>('');
  const [report, setReport] = useState<Report | null>(null);

  useEffect(() => {
    if (backup.recipients.length === 0) return undefined;
    let current = true;
    call('keys.list', {})
      .then((list) => {
        if (!current) return;
        const usable = list.filter(
          (key) => key.hasPrivateKey && backup.recipients.includes(key.fingerprint),
        );
        setKeys(usable);
        if (!backup.passphrase && usable[0]) setUseKey(usable[0].fingerprint);
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [backup]);

  const verify = useSubmit(async (fail) => {
    setReport(null);
    if (!useKey && !passphrase) return fail('Enter the passphrase of the bundle');
    try {
      setReport(
        await call(
          'backups.verify',
          useKey ? { file: backup.file, key: useKey } : { file: backup.file, passphrase },
        ),
      );
    } finally {
      setPassphrase('');
    }
  });

  return (
    <Dialog
      title={`Verify ${baseName(backup.file)}`}
      onClose={onClose}
      testId="verify-dialog"
      footer={
        <DialogActions
          onCancel={onClose}
          onConfirm={() => void verify.submit()}
          label="Verify"
          busy={verify.busy}
          testId="verify-submit"
        />
      }
    >
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void verify.submit();
        }}
      >
        <p className="field-hint mono">{backup.file}</p>
        {keys.length > 0 ? (
          <Field label="Open with">
            <select
              value={useKey}
              onChange={(event) => setUseKey(event.target.value)}
              data-testid="verify-with"
            >
              {backup.passphrase ? <option value="">The passphrase</option> : null}
              {keys.map((key) => (
                <option key={key.fingerprint} value={key.fingerprint}>
                  Key {key.name} ({key.fingerprint.slice(-16)})
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        {useKey ? null : (
          <Field label="Passphrase of the bundle">
            <input
              type="password"
              autoComplete="off"
              value={passphrase}
              onChange={(event) => setPassphrase(event.target.value)}
              data-testid="verify-passphrase"
            />
          </Field>
        )}
        <button type="submit" hidden />
      </form>
      <FormError message={verify.error} />
      {report ? (
        report.ok ? (
          <div className="badge ok" data-testid="verify-result" data-ok="true">
            OK: every file matches its checksum ({report.entries.length} files)
          </div>
        ) : (
          <div className="form-error" role="alert" data-testid="verify-result" data-ok="false">
            <strong>FAILED</strong>
            <ul>
              {report.problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          </div>
        )
      ) : null}
    </Dialog>
  );
}
