import { useEffect, useState } from 'react';
import { formatTime } from '../components/badges';
import { Icon } from '../components/icons';
import { Shell } from '../components/Shell';
import { type BackupSummary, useBackups } from '../stores/backups';
import { useSession } from '../stores/session';
import { baseName, formatBytes } from './backup/format';
import { VerifyDialog } from './backup/VerifyDialog';

/**
 * Every backup bundle the vault recorded, newest first: its deployment, file, size, when it was
 * made, what it holds, how it is encrypted and its last verification. Each can be verified
 * again or restored; "New backup…" opens the backup wizard, "Restore from a file…" the restore
 * wizard for a bundle the vault has not seen (e.g. on a new machine).
 */
export function Backups() {
  const items = useBackups((state) => state.items);
  const loaded = useBackups((state) => state.loaded);
  const error = useBackups((state) => state.error);
  const load = useBackups((state) => state.load);
  const openWizard = useBackups((state) => state.openWizard);
  const openRestore = useBackups((state) => state.openRestore);
  const revision = useSession((state) => state.revision);
  const [verifying, setVerifying] = useState<BackupSummary | null>(null);

  useEffect(() => {
    void load();
  }, [load, revision]);

  return (
    <Shell
      flush
      actions={
        <>
          <button className="button" onClick={() => openRestore()} data-testid="restore-from-file">
            <Icon name="upload" /> Restore from a file…
          </button>
          <button className="button primary" onClick={openWizard} data-testid="new-backup">
            <Icon name="plus" /> New backup…
          </button>
        </>
      }
    >
      <div className="inventory" data-testid="screen-backups">
        <div className="inventory-main">
          {error ? <div className="form-error">{error}</div> : null}
          {loaded && items.length === 0 ? (
            <div className="empty runs-empty" data-testid="backups-empty">
              <Icon name="download" size={28} />
              <strong>No backups yet</strong>
              <p className="muted">
                A bundle holds a deployment's secrets and config files, encrypted, in one file you
                can open with gpg and tar alone.
              </p>
              <button className="button" onClick={openWizard}>
                New backup…
              </button>
            </div>
          ) : (
            <div className="table backups-table" role="table" data-testid="backup-table">
              <div className="table-head" role="row">
                <div role="columnheader">Deployment</div>
                <div role="columnheader">File</div>
                <div role="columnheader">Size</div>
                <div role="columnheader">Created</div>
                <div role="columnheader">Parts</div>
                <div role="columnheader">Encryption</div>
                <div role="columnheader">Last verification</div>
                <div role="columnheader" aria-label="Actions" />
              </div>
              <div className="table-body">
                {items.map((item) => (
                  <BackupRow
                    key={item.id}
                    item={item}
                    onVerify={() => setVerifying(item)}
                    onRestore={() => openRestore(item)}
                  />
                ))}
              </div>
            </div>
          )}
          <div className="table-footer" data-testid="backups-footer">
            {items.length} {items.length === 1 ? 'bundle' : 'bundles'}
          </div>
        </div>
      </div>
      {verifying ? (
        <VerifyDialog
          key={verifying.id}
          backup={verifying}
          onClose={() => {
            setVerifying(null);
            void load();
          }}
        />
      ) : null}
    </Shell>
  );
}

function BackupRow({
  item,
  onVerify,
  onRestore,
}: {
  item: BackupSummary;
  onVerify(): void;
  onRestore(): void;
}) {
  const encryption = [
    item.passphrase ? 'passphrase' : null,
    item.recipients.length
      ? `${item.recipients.length} ${item.recipients.length === 1 ? 'key' : 'keys'}`
      : null,
  ].filter(Boolean);
  const parts = item.contents.map((part) => part.name);
  return (
    <div className="table-row" role="row" data-testid="backup-row" data-file={item.file}>
      <div className="cell cell-name" role="cell">
        {item.deployment}
      </div>
      <div className="cell mono" role="cell" title={item.file}>
        {baseName(item.file)}
      </div>
      <div className="cell" role="cell">
        {formatBytes(item.size)}
      </div>
      <div className="cell" role="cell">
        {formatTime(item.createdAt)}
      </div>
      <div className="cell" role="cell" title={parts.join('\n')}>
        {parts.length}
      </div>
      <div className="cell" role="cell" data-testid="backup-encryption">
        {encryption.join(' + ')}
      </div>
      <div className="cell" role="cell" data-testid="backup-verification">
        {item.verified ? (
          <>
            <span className={item.verified.ok ? 'badge ok' : 'badge danger'}>
              {item.verified.ok ? 'OK' : 'FAILED'}
            </span>{' '}
            <span className="faint">{formatTime(item.verified.at)}</span>
          </>
        ) : (
          <span className="faint">never</span>
        )}
      </div>
      <div className="cell" role="cell">
        <div className="row">
          <button className="button small" onClick={onVerify} data-testid="verify-backup">
            Verify…
          </button>
          <button className="button small" onClick={onRestore} data-testid="restore-backup">
            Restore…
          </button>
        </div>
      </div>
    </div>
  );
}
