import { useState } from 'react';
import { DEFAULT_METADATA, secretRefSchema } from '../../../../shared/model';
import { call } from '../../api/client';
import { Dialog, DialogActions } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { useSubmit } from '../../components/use-submit';
import { useSecrets } from '../../stores/secrets';
import { useUi } from '../../stores/ui';
import { MetadataFields } from './MetadataFields';
import { EnteredValue, type ValueMode, ValueModeTabs } from './ValueChoice';
import { type DraftErrors, draftFrom, metadataFrom, parseSpec } from './metadata-form';

export function AddSecretDialog({ onClose }: { onClose(): void }) {
  const [ref, setRef] = useState('');
  const [mode, setMode] = useState<ValueMode>('generate');
  const [value, setValue] = useState('');
  const [draft, setDraft] = useState(() => ({
    ...draftFrom(DEFAULT_METADATA),
    generator: 'base64:32',
  }));
  const [errors, setErrors] = useState<DraftErrors>({});
  const [refError, setRefError] = useState<string | null>(null);
  const load = useSecrets((state) => state.load);
  const select = useSecrets((state) => state.select);
  const toast = useUi((state) => state.toast);

  const { submit, busy, error } = useSubmit(async (fail) => {
    const refCheck = secretRefSchema.safeParse(ref.trim());
    setRefError(refCheck.success ? null : (refCheck.error.issues[0]?.message ?? 'Invalid name'));
    const parsed = metadataFrom(draft);
    setErrors('errors' in parsed ? parsed.errors : {});
    if (!refCheck.success || 'errors' in parsed) return;
    if (mode === 'enter' && !value) return fail('Enter the value, or let Rekey generate one');
    const spec = parsed.metadata.generator ?? parseSpec('base64:32');
    const created = await call('secrets.add', {
      ref: refCheck.data,
      metadata: parsed.metadata,
      value:
        mode === 'enter'
          ? { kind: 'enter', value }
          : { kind: 'generate', ...(typeof spec === 'string' ? {} : { spec }) },
    });
    setValue('');
    await load();
    await select(created.ref);
    toast('success', `Added ${created.ref}`);
    onClose();
  });

  const [deployment = '', name = ''] = ref.split('/');
  return (
    <Dialog
      title="Add a secret"
      onClose={onClose}
      testId="add-secret-dialog"
      footer={
        <DialogActions
          onCancel={onClose}
          onConfirm={() => void submit()}
          label="Add secret"
          busy={busy}
          testId="save-secret"
        />
      }
    >
      <Field label="Name" error={refError} hint="deployment/name, e.g. synctv-prod/jwt.secret">
        <input
          className="input mono"
          value={ref}
          onChange={(e) => setRef(e.target.value)}
          aria-invalid={Boolean(refError)}
          data-testid="field-ref"
        />
      </Field>
      <ValueModeTabs
        mode={mode}
        onChange={setMode}
        generateLabel="Generate a value"
        enterLabel="Enter an existing value"
      />
      {mode === 'enter' ? (
        <EnteredValue
          value={value}
          onChange={setValue}
          names={[deployment, name, draft.service]}
          testId="field-value"
        />
      ) : null}
      <MetadataFields draft={draft} errors={errors} onChange={setDraft} />
      <FormError message={error} />
    </Dialog>
  );
}
