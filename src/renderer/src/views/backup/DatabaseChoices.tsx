import { FormError } from '../../components/Field';
import { Icon } from '../../components/icons';
import { DatabaseFields, describeDatabase } from './DatabaseFields';
import { type DatabaseChoicesState, databaseKey } from './use-database-choices';

/**
 * The databases part of the backup wizard's contents: the ones found in the deployment's
 * playbook as checkboxes, and databases added by hand, each with where it is and how to reach
 * it. Each is dumped with `pg_dump -Fc` on its host.
 */
export function DatabaseChoices(props: {
  choices: DatabaseChoicesState;
  hosts: readonly string[];
  secrets: readonly string[];
}) {
  const { choices } = props;
  return (
    <fieldset className="backup-choices" data-testid="backup-databases">
      <legend>Databases (PostgreSQL)</legend>
      {choices.offered === null ? (
        <span className="faint" aria-busy="true">
          Looking for databases…
        </span>
      ) : choices.offered.length === 0 && choices.added.length === 0 ? (
        <span className="faint">
          None found in the deployment's playbook. Add one if the deployment keeps data in
          PostgreSQL: restoring data without the secrets it was written with (or the other way
          round) rarely works.
        </span>
      ) : null}
      {(choices.offered ?? []).map((source) => (
        <label className="check" key={databaseKey(source)}>
          <input
            type="checkbox"
            checked={!choices.unticked.has(databaseKey(source))}
            onChange={(event) => choices.toggle(source, event.target.checked)}
            data-testid="backup-database"
            data-database={databaseKey(source)}
          />
          <span className="mono">{describeDatabase(source)}</span>
        </label>
      ))}
      {choices.added.map((item, index) => (
        <div className="stack" key={item.key}>
          <div className="row">
            <strong>Database {(choices.offered?.length ?? 0) + index + 1}</strong>
            <span className="spacer" />
            <button
              type="button"
              className="button small"
              onClick={() => choices.remove(item.key)}
              data-testid="backup-database-remove"
            >
              Remove
            </button>
          </div>
          <DatabaseFields
            value={item.source}
            onChange={(source) => choices.update(item.key, source)}
            hosts={props.hosts}
            secrets={props.secrets}
            testId="backup-database-fields"
          />
        </div>
      ))}
      <div className="row">
        <button
          type="button"
          className="button small"
          onClick={choices.add}
          data-testid="backup-add-database"
        >
          <Icon name="plus" /> Add a database…
        </button>
      </div>
      <FormError message={choices.error} />
    </fieldset>
  );
}
