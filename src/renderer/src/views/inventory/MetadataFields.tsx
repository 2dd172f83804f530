import { DIFFICULTIES } from '../../../../shared/model';
import { Field } from '../../components/Field';
import type { DraftErrors, MetadataDraft } from './metadata-form';

/** The metadata inputs, shared by "Add secret" and the detail pane's edit mode. */
export function MetadataFields(props: {
  draft: MetadataDraft;
  errors: DraftErrors;
  onChange(draft: MetadataDraft): void;
}) {
  const { draft, errors } = props;
  const set =
    <K extends keyof MetadataDraft>(key: K) =>
    (value: MetadataDraft[K]) =>
      props.onChange({ ...draft, [key]: value });
  return (
    <>
      <div className="grid-2">
        <Field label="Service" error={errors.service}>
          <input
            className="input"
            value={draft.service}
            onChange={(e) => set('service')(e.target.value)}
            placeholder="synctv, livekit, synapse…"
            data-testid="field-service"
          />
        </Field>
        <Field label="Rotation difficulty">
          <select
            className="select"
            value={draft.difficulty}
            onChange={(e) => set('difficulty')(e.target.value as MetadataDraft['difficulty'])}
            data-testid="field-difficulty"
          >
            {DIFFICULTIES.map((level) => (
              <option key={level} value={level}>
                {level}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field label="What it is">
        <input
          className="input"
          value={draft.description}
          onChange={(e) => set('description')(e.target.value)}
          data-testid="field-description"
        />
      </Field>
      <Field label="Impact if lost">
        <input
          className="input"
          value={draft.impact}
          onChange={(e) => set('impact')(e.target.value)}
          placeholder="Existing sessions end; users log in again"
          data-testid="field-impact"
        />
      </Field>
      <Field label="Handling">
        <textarea
          className="textarea"
          value={draft.handling}
          onChange={(e) => set('handling')(e.target.value)}
          placeholder="Restart all replicas; watch 401s"
          data-testid="field-handling"
        />
      </Field>
      <div className="grid-2">
        <Field label="Rotation policy" error={errors.policyDays}>
          <div className="row">
            <select
              className="select"
              value={draft.policyKind}
              onChange={(e) => set('policyKind')(e.target.value as MetadataDraft['policyKind'])}
              data-testid="field-policy"
            >
              <option value="none">No policy</option>
              <option value="interval">Every N days</option>
              <option value="manual">Do not rotate routinely</option>
            </select>
            {draft.policyKind === 'interval' ? (
              <input
                className="input"
                inputMode="numeric"
                value={draft.policyDays}
                onChange={(e) => set('policyDays')(e.target.value)}
                aria-label="Days"
                data-testid="field-policy-days"
              />
            ) : null}
          </div>
        </Field>
        <Field label="Generator" error={errors.generator} hint="For new values, e.g. base64:32">
          <input
            className="input mono"
            value={draft.generator}
            onChange={(e) => set('generator')(e.target.value)}
            placeholder="base64:32"
            data-testid="field-generator"
          />
        </Field>
      </div>
      <Field label="Tags" error={errors.tags} hint="Comma separated">
        <input
          className="input"
          value={draft.tags}
          onChange={(e) => set('tags')(e.target.value)}
          data-testid="field-tags"
        />
      </Field>
      <label className="row">
        <input
          type="checkbox"
          checked={draft.compromised}
          onChange={(e) => set('compromised')(e.target.checked)}
          data-testid="field-compromised"
        />
        Compromised (its value may be known to others)
      </label>
    </>
  );
}
