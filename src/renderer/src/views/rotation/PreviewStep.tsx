import type { RotationPreview } from '../../../../shared/rotation-api';
import { Icon } from '../../components/icons';
import { DiffView } from './DiffView';

/**
 * The dry run: each target as it is now and as it will be, read from the host, with
 * `[current value]` and `[new value]` where the values are. Nothing has been written yet.
 */
export function PreviewStep({ preview }: { preview: RotationPreview }) {
  if (preview.targets.length === 0) {
    return (
      <p className="muted" data-testid="preview-targets">
        This procedure writes no file Rekey can show beforehand; its steps are on the plan.
      </p>
    );
  }
  return (
    <div className="stack" data-testid="preview-targets">
      <p className="muted">
        What changes in each file, read from its host just now. Nothing is written until you run it.
      </p>
      {preview.targets.map((target) => (
        <section
          key={`${target.host}:${target.path}:${target.key}`}
          className="preview-target"
          data-target={`${target.host}:${target.path}`}
        >
          <header className="row">
            <span className="badge">{target.host}</span>
            <span className="mono spacer preview-path">{target.path}</span>
            {target.key ? <span className="mono faint">{target.key}</span> : null}
          </header>
          {target.diff.length > 0 ? <DiffView lines={target.diff} /> : null}
          {target.note ? (
            <p
              className={target.diff.length > 0 ? 'field-hint' : 'notice'}
              data-testid="preview-note"
            >
              {target.diff.length > 0 ? null : <Icon name="alert" />} {target.note}
            </p>
          ) : null}
        </section>
      ))}
    </div>
  );
}
