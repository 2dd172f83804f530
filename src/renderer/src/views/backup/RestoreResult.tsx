import type { MethodOutput } from '../../../../shared/api';
import { Icon } from '../../components/icons';
import type { RestoreChoices, VerifiedBundle } from './restore-choices';
import { describeDatabase } from './DatabaseFields';

export type RestoreOutcome = MethodOutput<'backups.restore'>;

/** What the confirm step lists: every place that will change, in plain words. */
export function RestoreSummary(props: { report: VerifiedBundle; choices: RestoreChoices }) {
  const { report, choices } = props;
  const lines: { key: string; text: string; danger: boolean }[] = [];
  for (const part of report.parts) {
    if (part.kind === 'database') {
      const choice = choices.databases[part.entry];
      if (choice?.on) {
        lines.push({
          key: part.entry,
          text: `Database ${describeDatabase(choice.target)}: the objects in ${part.entry} are dropped and restored from the bundle`,
          danger: true,
        });
      }
    } else if (part.kind === 'config' && choices.files[part.entry]) {
      lines.push({
        key: part.entry,
        text: `File ${part.path} on ${part.host}: replaced by the bundle's copy (the current one kept as a backup)`,
        danger: true,
      });
    }
  }
  if (choices.secrets && report.secrets) {
    const created = report.secrets.filter((item) => item.kind === 'create').length;
    const conflicts = report.secrets.filter((item) => item.kind === 'conflict');
    const useBundle = conflicts.filter((item) => choices.conflicts[item.ref] === 'use-bundle');
    lines.push({
      key: 'secrets',
      text: `Secrets: ${created} added, ${useBundle.length} made current again from the bundle, ${conflicts.length - useBundle.length} kept as they are in the vault; older versions added where missing`,
      danger: false,
    });
  }
  return (
    <ul className="restore-summary" data-testid="restore-summary">
      {lines.map((line) => (
        <li key={line.key} data-danger={line.danger ? 'true' : 'false'}>
          <Icon name={line.danger ? 'alert' : 'check'} size={14} /> {line.text}
        </li>
      ))}
    </ul>
  );
}

/** What the restore did: databases restored, files written (with their backup copies), secrets. */
export function RestoreResult({
  outcome,
  keptVault,
}: {
  outcome: RestoreOutcome;
  /** Secrets whose differing current value stayed the vault's, by the user's choice. */
  keptVault: readonly string[];
}) {
  return (
    <div className="stack" data-testid="restore-result">
      <div className="row">
        <span className="badge ok">
          <Icon name="check" size={14} /> Restored from a verified bundle
        </span>
      </div>
      <dl className="backup-facts">
        <dt>Databases</dt>
        <dd data-testid="restore-result-databases">
          {outcome.databases.length > 0 ? outcome.databases.join(', ') : 'none'}
        </dd>
        <dt>Files</dt>
        <dd>
          {outcome.files.length === 0 ? (
            'none'
          ) : (
            <ul className="backup-entries" data-testid="restore-result-files">
              {outcome.files.map((file) => (
                <li key={`${file.host}:${file.path}`}>
                  <span className="mono">{file.path}</span> on {file.host}
                  {file.backupPath ? (
                    <span className="faint">
                      {' '}
                      (the replaced file is kept as <span className="mono">{file.backupPath}</span>)
                    </span>
                  ) : (
                    <span className="faint"> (new)</span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Secrets</dt>
        <dd data-testid="restore-result-secrets">
          {outcome.secretsApplied.length > 0
            ? `changed: ${outcome.secretsApplied.join(', ')}`
            : 'nothing changed'}
          {keptVault.length > 0 ? `; the vault's current value kept: ${keptVault.join(', ')}` : ''}
        </dd>
      </dl>
    </div>
  );
}
