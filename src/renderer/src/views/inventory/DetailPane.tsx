import { useState } from 'react';
import type { SecretDetail } from '../../../../shared/model';
import { call, errorMessage } from '../../api/client';
import { RotationBadge, StrengthBadge, formatAge, formatTime } from '../../components/badges';
import { FormError } from '../../components/Field';
import { Icon } from '../../components/icons';
import { useIncidents } from '../../stores/incidents';
import { useRotations } from '../../stores/rotations';
import { useSecrets } from '../../stores/secrets';
import { useUi } from '../../stores/ui';
import { DeleteSecretDialog } from './DeleteSecretDialog';
import { MetadataFields } from './MetadataFields';
import {
  type DraftErrors,
  type MetadataDraft,
  draftFrom,
  formatSpec,
  metadataFrom,
} from './metadata-form';
import { SnoozeSection } from '../health/SnoozeSection';
import { NewVersionDialog } from './NewVersionDialog';
import { SecretValue } from './SecretValue';

const POLICY_TEXT = (detail: SecretDetail) =>
  detail.policy.kind === 'interval'
    ? `every ${detail.policy.days} days`
    : detail.policy.kind === 'manual'
      ? 'do not rotate routinely'
      : 'none';

export function DetailPane() {
  const detail = useSecrets((state) => state.detail);
  const error = useSecrets((state) => state.detailError);
  const select = useSecrets((state) => state.select);
  const openWizard = useRotations((state) => state.openWizard);
  const openExposed = useIncidents((state) => state.openExposed);
  const [editing, setEditing] = useState(false);
  const [dialog, setDialog] = useState<'version' | 'delete' | null>(null);

  if (error) {
    return (
      <aside className="detail" data-testid="detail-pane">
        <div className="detail-section">
          <FormError message={error} />
        </div>
      </aside>
    );
  }
  if (!detail) return <aside className="detail" data-testid="detail-pane" aria-busy="true" />;

  return (
    <aside className="detail" data-testid="detail-pane" aria-label={`Secret ${detail.ref}`}>
      <div className="detail-header">
        <div className="detail-title">
          <h2 className="spacer mono" data-testid="detail-ref">
            {detail.ref}
          </h2>
          <button
            className="button ghost small"
            onClick={() => void select(null)}
            aria-label="Close detail"
          >
            <Icon name="close" />
          </button>
        </div>
        <div className="row">
          <RotationBadge status={detail.rotation} />
          <StrengthBadge strength={detail.strength} />
          {detail.compromised ? <span className="badge danger">compromised</span> : null}
          {detail.metadata.service ? (
            <span className="badge accent">{detail.metadata.service}</span>
          ) : null}
        </div>
      </div>
      <div className="detail-section">
        <h3>Current value</h3>
        {/* Keyed by the current version: a value revealed before a new one was stored must
            not stay on screen as if it were current. */}
        <SecretValue
          key={detail.versions.find((v) => v.labels.includes('current'))?.id ?? 'none'}
          refName={detail.ref}
        />
        <div className="row wrap">
          <button
            className="button small"
            onClick={() => setDialog('version')}
            data-testid="new-version-button"
          >
            <Icon name="refresh" /> New value
          </button>
          <button
            className="button small"
            onClick={() => openWizard([detail.ref])}
            title="Plan, preview and run the rotation: a new value written where the secret lives"
            data-testid="rotate-button"
          >
            <Icon name="rotate" /> Rotate…
          </button>
          <button
            className="button small"
            onClick={() => setEditing(true)}
            disabled={editing}
            data-testid="edit-button"
          >
            <Icon name="edit" /> Edit details
          </button>
          <button
            className="button small"
            onClick={() => openExposed(detail.ref)}
            title="The value leaked: flag it, open an incident and follow the leak response"
            data-testid="mark-exposed-button"
          >
            <Icon name="alert" /> Mark as exposed…
          </button>
          <span className="spacer" />
          <button
            className="button small danger"
            onClick={() => setDialog('delete')}
            data-testid="delete-button"
          >
            <Icon name="trash" /> Delete
          </button>
        </div>
      </div>
      <SnoozeSection key={detail.ref} detail={detail} />
      {editing ? (
        <EditMetadata detail={detail} onDone={() => setEditing(false)} />
      ) : (
        <MetadataView detail={detail} />
      )}
      <div className="detail-section">
        <h3>Versions</h3>
        <ul className="versions" data-testid="versions">
          {detail.versions.map((version) => (
            <li key={version.id}>
              <code>fp:{version.fingerprint}</code>
              {version.labels.map((label) => (
                <span key={label} className={`badge ${label === 'current' ? 'accent' : ''}`}>
                  {label}
                </span>
              ))}
              <span className="spacer" />
              <span className="faint" title={version.strength.problems.join('; ')}>
                {version.origin} · {formatTime(version.createdAt)}
              </span>
            </li>
          ))}
        </ul>
      </div>
      {dialog === 'version' ? (
        <NewVersionDialog detail={detail} onClose={() => setDialog(null)} />
      ) : null}
      {dialog === 'delete' ? (
        <DeleteSecretDialog refName={detail.ref} onClose={() => setDialog(null)} />
      ) : null}
    </aside>
  );
}

function MetadataView({ detail }: { detail: SecretDetail }) {
  const { metadata } = detail;
  const problems =
    detail.versions.find((v) => v.labels.includes('current'))?.strength.problems ?? [];
  return (
    <div className="detail-section">
      <h3>Details</h3>
      <dl className="meta-list" data-testid="metadata">
        <dt>What it is</dt>
        <dd>{metadata.description || '–'}</dd>
        <dt>Impact if lost</dt>
        <dd>{metadata.impact || '–'}</dd>
        <dt>Difficulty</dt>
        <dd>{metadata.difficulty}</dd>
        <dt>Handling</dt>
        <dd>{metadata.handling || '–'}</dd>
        <dt>Rotation</dt>
        <dd>
          {POLICY_TEXT(detail)} · current value {formatAge(detail.ageDays)} old
        </dd>
        <dt>Generator</dt>
        <dd className="mono">{metadata.generator ? formatSpec(metadata.generator) : '–'}</dd>
        <dt>Tags</dt>
        <dd>{metadata.tags.length ? metadata.tags.join(', ') : '–'}</dd>
        <dt>Lives in</dt>
        <dd>
          {metadata.targets.length ? (
            <ul className="targets" data-testid="targets">
              {metadata.targets.map((target) => (
                <li key={`${target.host}|${target.path}|${target.key}`}>
                  <span className="badge">{target.host}</span>
                  <span className="mono">{target.path}</span>
                  <span className="faint">
                    {target.format}
                    {target.key ? (
                      <>
                        {' · '}
                        <span className="mono">{target.key}</span>
                      </>
                    ) : null}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            'no targets yet'
          )}
        </dd>
        {problems.length ? (
          <>
            <dt>Weaknesses</dt>
            <dd>{problems.join('; ')}</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}

function EditMetadata({ detail, onDone }: { detail: SecretDetail; onDone(): void }) {
  const [draft, setDraft] = useState<MetadataDraft>(() => draftFrom(detail.metadata));
  const [errors, setErrors] = useState<DraftErrors>({});
  const [error, setError] = useState<string | null>(null);
  const reloadDetail = useSecrets((state) => state.reloadDetail);
  const load = useSecrets((state) => state.load);
  const toast = useUi((state) => state.toast);

  const save = async () => {
    const parsed = metadataFrom(draft);
    if ('errors' in parsed) return setErrors(parsed.errors);
    setErrors({});
    try {
      await call('secrets.update', { ref: detail.ref, changes: parsed.metadata });
      await Promise.all([reloadDetail(), load()]);
      toast('success', `Saved ${detail.ref}`);
      onDone();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  return (
    <form
      className="detail-section"
      data-testid="edit-form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      onKeyDown={(event) => event.key === 'Escape' && onDone()}
    >
      <h3>Edit details</h3>
      <MetadataFields draft={draft} errors={errors} onChange={setDraft} />
      <FormError message={error} />
      <div className="row">
        <span className="spacer" />
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button primary" data-testid="save-metadata">
          Save
        </button>
      </div>
    </form>
  );
}
