import { DatabaseFields } from './DatabaseFields';
import { formatBytes } from './format';
import type { RestoreChoices, VerifiedBundle } from './restore-choices';
import { SecretsPlan } from './SecretsPlan';

/**
 * The choose step of the restore wizard: each database dump with where it goes (prefilled with
 * where it came from), each config file (put back where it came from, the current file kept
 * as a backup copy), and the secrets with what merging them does to this vault.
 */
export function RestoreChoicesView(props: {
  report: VerifiedBundle;
  choices: RestoreChoices;
  onChange(choices: RestoreChoices): void;
  hosts: readonly string[];
  secretRefs: readonly string[];
}) {
  const { report, choices, onChange } = props;
  const dumps = report.parts.filter((part) => part.kind === 'database');
  const files = report.parts.filter((part) => part.kind === 'config');
  return (
    <>
      {dumps.length > 0 ? (
        <fieldset className="backup-choices" data-testid="restore-databases">
          <legend>Databases</legend>
          {dumps.map((part) => {
            const choice = choices.databases[part.entry];
            if (!choice) return null;
            const set = (next: typeof choice) =>
              onChange({ ...choices, databases: { ...choices.databases, [part.entry]: next } });
            return (
              <div className="stack" key={part.entry}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={choice.on}
                    onChange={(event) => set({ ...choice, on: event.target.checked })}
                    data-testid="restore-database"
                    data-entry={part.entry}
                  />
                  <span className="mono">{part.entry}</span>
                  <span className="faint">{formatBytes(part.size)}</span>
                  {part.source ? (
                    <span className="faint">
                      from {part.source.database} on {part.source.host}
                    </span>
                  ) : null}
                </label>
                {choice.on ? (
                  <>
                    <DatabaseFields
                      value={choice.target}
                      onChange={(target) => set({ ...choice, target })}
                      hosts={props.hosts}
                      secrets={props.secretRefs}
                      testId="restore-database-fields"
                    />
                    <p className="field-hint">
                      pg_restore --clean --if-exists: every object in the dump is dropped and
                      created again in this database; other objects stay.
                    </p>
                  </>
                ) : null}
              </div>
            );
          })}
        </fieldset>
      ) : null}
      {files.length > 0 ? (
        <fieldset className="backup-choices" data-testid="restore-files">
          <legend>Config files (put back where they came from)</legend>
          {files.map((part) => (
            <label className="check" key={part.entry}>
              <input
                type="checkbox"
                checked={choices.files[part.entry] ?? false}
                onChange={(event) =>
                  onChange({
                    ...choices,
                    files: { ...choices.files, [part.entry]: event.target.checked },
                  })
                }
                data-testid="restore-file"
                data-file={`${part.host}:${part.path}`}
              />
              <span className="mono">{part.path}</span>
              <span className="badge">{part.host}</span>
              <span className="faint">{formatBytes(part.size)}</span>
            </label>
          ))}
          <p className="field-hint">A file there now is kept beside it as a backup copy.</p>
        </fieldset>
      ) : null}
      {report.secrets ? (
        <fieldset className="backup-choices" data-testid="restore-secrets">
          <legend>Secrets</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={choices.secrets}
              onChange={(event) => onChange({ ...choices, secrets: event.target.checked })}
              data-testid="restore-include-secrets"
            />
            Bring the bundle's secrets back into this vault ({report.secrets.length})
          </label>
          {choices.secrets ? (
            <SecretsPlan
              plan={report.secrets}
              conflicts={choices.conflicts}
              onConflicts={(conflicts) => onChange({ ...choices, conflicts })}
            />
          ) : null}
        </fieldset>
      ) : null}
    </>
  );
}
