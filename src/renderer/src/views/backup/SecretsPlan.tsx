import type { ConflictChoice, SecretPlan } from './restore-choices';

const KIND_LABEL: Record<SecretPlan['kind'], string> = {
  create: 'new to this vault',
  same: 'same current value',
  conflict: 'current values differ',
};

function versionsNote(item: SecretPlan): string {
  if (item.kind === 'create')
    return `${item.versions} ${item.versions === 1 ? 'version' : 'versions'}`;
  if (item.versions === 0) return 'nothing to add';
  return `+${item.versions} older ${item.versions === 1 ? 'version' : 'versions'}`;
}

/**
 * What merging the bundle's secrets does, one row per secret. Where the vault's current value
 * and the bundle's differ, the user chooses which stays current (never decided silently): the
 * other value is kept among the versions either way. Values never appear, only fingerprints.
 */
export function SecretsPlan(props: {
  plan: readonly SecretPlan[];
  conflicts: Readonly<Record<string, ConflictChoice>>;
  onConflicts(conflicts: Record<string, ConflictChoice>): void;
}) {
  const conflicts = props.plan.filter((item) => item.kind === 'conflict');
  const chooseAll = (choice: ConflictChoice) =>
    props.onConflicts(Object.fromEntries(conflicts.map((item) => [item.ref, choice])));
  return (
    <div className="stack" data-testid="restore-secrets-plan">
      {conflicts.length > 1 ? (
        <div className="row">
          <span className="field-hint">For every differing secret:</span>
          <button type="button" className="button small" onClick={() => chooseAll('keep-vault')}>
            Keep the vault's values
          </button>
          <button type="button" className="button small" onClick={() => chooseAll('use-bundle')}>
            Use the bundle's values
          </button>
        </div>
      ) : null}
      <ul className="restore-plan">
        {props.plan.map((item) => (
          <li key={item.ref} data-testid="restore-secret" data-ref={item.ref} data-kind={item.kind}>
            <div className="row">
              <span className="mono">{item.ref}</span>
              <span className={item.kind === 'conflict' ? 'badge warn' : 'badge'}>
                {KIND_LABEL[item.kind]}
              </span>
              <span className="faint">{versionsNote(item)}</span>
            </div>
            {item.kind === 'conflict' ? (
              <div
                className="restore-conflict"
                role="radiogroup"
                aria-label={`Which value of ${item.ref} stays current`}
              >
                <label className="check">
                  <input
                    type="radio"
                    name={`conflict-${item.ref}`}
                    checked={props.conflicts[item.ref] === 'keep-vault'}
                    onChange={() =>
                      props.onConflicts({ ...props.conflicts, [item.ref]: 'keep-vault' })
                    }
                    data-testid="conflict-keep-vault"
                  />
                  Keep the vault's <span className="mono faint">{item.vaultCurrent}</span>
                  {item.vaultIsNewer ? <span className="badge">newer</span> : null}
                </label>
                <label className="check">
                  <input
                    type="radio"
                    name={`conflict-${item.ref}`}
                    checked={props.conflicts[item.ref] === 'use-bundle'}
                    onChange={() =>
                      props.onConflicts({ ...props.conflicts, [item.ref]: 'use-bundle' })
                    }
                    data-testid="conflict-use-bundle"
                  />
                  Use the bundle's <span className="mono faint">{item.bundleCurrent}</span>
                  {item.vaultIsNewer ? null : <span className="badge">newer</span>}
                </label>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {conflicts.length > 0 ? (
        <p className="field-hint">
          The bundle's value matches a restored database; the vault's may be what your services use
          now. Either way the other value stays in the secret's versions.
        </p>
      ) : null}
    </div>
  );
}
