import type { MethodOutput } from '../../../../shared/api';
import { Icon } from '../../components/icons';
import { formatBytes } from './format';

export type CreatedBundle = MethodOutput<'backups.create'>;

/** A path as one shell word. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** How to open a bundle with stock tools, without Rekey. */
export function restoreRecipe(file: string): string {
  return `gpg --decrypt ${shellWord(file)} | tar -x && sha256sum -c SHA256SUMS`;
}

/** The bundle made: where, how big, whether it verified (or every problem), how to open it. */
export function BackupResult({ bundle }: { bundle: CreatedBundle }) {
  return (
    <div
      className="stack"
      data-testid="backup-result"
      data-verified={bundle.verified ? 'true' : 'false'}
    >
      <div className="row">
        {bundle.verified ? (
          <span className="badge ok" data-testid="backup-verified">
            <Icon name="check" size={14} /> Verified
          </span>
        ) : (
          <span className="badge danger" data-testid="backup-verified">
            <Icon name="alert" size={14} /> Not verified
          </span>
        )}
        <span className="faint">{formatBytes(bundle.size)}</span>
      </div>
      <dl className="backup-facts">
        <dt>File</dt>
        <dd className="mono" data-testid="backup-result-file">
          {bundle.file}
        </dd>
        <dt>Contents</dt>
        <dd>
          <ul className="backup-entries" data-testid="backup-result-entries">
            {bundle.entries.map((entry) => (
              <li key={entry.name}>
                <span className="mono">{entry.name}</span>{' '}
                <span className="faint">{formatBytes(entry.size)}</span>
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      {bundle.problems.length > 0 ? (
        <ul className="form-error backup-problems" role="alert" data-testid="backup-problems">
          {bundle.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
      <div className="stack" style={{ gap: 4 }}>
        <span className="field-hint">To open it without Rekey (gpg asks for the passphrase):</span>
        <code className="backup-recipe" data-testid="backup-recipe">
          {restoreRecipe(bundle.file)}
        </code>
      </div>
    </div>
  );
}
