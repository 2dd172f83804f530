import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../shared/api';
import { call } from '../../api/client';
import { Dialog, DialogActions } from '../../components/Dialog';
import { FormError } from '../../components/Field';
import { useSubmit } from '../../components/use-submit';
import type { BackupSummary } from '../../stores/backups';
import {
  BundleOpener,
  NO_OPENER,
  type Opener,
  type PgpKey,
  openerInput,
  openerProblem,
} from './BundleOpener';
import { baseName } from './format';

type Report = MethodOutput<'backups.verify'>;

/**
 * Opens a bundle again and checks every file against its checksums: with the passphrase (typed
 * here, kept in this dialog only and dropped after the call) or a private key the vault keeps
 * (with its own passphrase when locked).
 * The outcome stays in place: OK, or every problem, or why it could not be opened.
 */
export function VerifyDialog({ backup, onClose }: { backup: BackupSummary; onClose(): void }) {
  const [opener, setOpener] = useState<Opener>(NO_OPENER);
  const [keys, setKeys] = useState<PgpKey[]>([]);
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
        if (!backup.passphrase && usable[0])
          setOpener({ key: usable[0].fingerprint, passphrase: '' });
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [backup]);

  const verify = useSubmit(async (fail) => {
    setReport(null);
    const missing = openerProblem(opener, keys);
    if (missing) return fail(missing);
    try {
      setReport(await call('backups.verify', { file: backup.file, ...openerInput(opener) }));
    } finally {
      setOpener((before) => ({ ...before, passphrase: '' }));
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
        <BundleOpener
          keys={keys}
          passphraseAllowed={backup.passphrase}
          value={opener}
          onChange={setOpener}
          testIdPrefix="verify"
        />
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
