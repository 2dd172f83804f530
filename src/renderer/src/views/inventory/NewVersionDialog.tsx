import { useState } from 'react';
import type { SecretDetail } from '../../../../shared/model';
import { call } from '../../api/client';
import { Dialog, DialogActions } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { useSubmit } from '../../components/use-submit';
import { useSecrets } from '../../stores/secrets';
import { useUi } from '../../stores/ui';
import { formatSpec, parseSpec } from './metadata-form';
import { EnteredValue, type ValueMode, ValueModeTabs } from './ValueChoice';

/** A new current value: generated (the default) or entered. The old one becomes "previous". */
export function NewVersionDialog({ detail, onClose }: { detail: SecretDetail; onClose(): void }) {
  const [mode, setMode] = useState<ValueMode>('generate');
  const [spec, setSpec] = useState(
    detail.metadata.generator ? formatSpec(detail.metadata.generator) : 'base64:32',
  );
  const [value, setValue] = useState('');
  const reloadDetail = useSecrets((state) => state.reloadDetail);
  const load = useSecrets((state) => state.load);
  const toast = useUi((state) => state.toast);
  const { deployment, name } = detail;

  const { submit, busy, error } = useSubmit(async (fail) => {
    const parsed = mode === 'generate' ? parseSpec(spec) : null;
    if (typeof parsed === 'string') return fail(parsed);
    if (mode === 'enter' && !value) return fail('Enter the new value');
    const next = await call('secrets.setValue', {
      ref: detail.ref,
      value:
        mode === 'generate' && parsed
          ? { kind: 'generate', spec: parsed }
          : { kind: 'enter', value },
    });
    setValue('');
    await Promise.all([reloadDetail(), load()]);
    toast('success', `New value for ${detail.ref}: fp:${next.currentFingerprint ?? ''}`);
    onClose();
  });

  return (
    <Dialog
      title={`New value for ${detail.ref}`}
      onClose={onClose}
      testId="new-version-dialog"
      footer={
        <DialogActions
          onCancel={onClose}
          onConfirm={() => void submit()}
          label="Store new value"
          busy={busy}
          testId="save-version"
        />
      }
    >
      <ValueModeTabs
        mode={mode}
        onChange={setMode}
        generateLabel="Generate"
        enterLabel="Enter a value"
      />
      {mode === 'generate' ? (
        <Field
          label="Generator"
          hint="hex, base64, base64url, alphanumeric or passphrase with a length; or ed25519"
        >
          <input className="input mono" value={spec} onChange={(e) => setSpec(e.target.value)} />
        </Field>
      ) : (
        <EnteredValue
          value={value}
          onChange={setValue}
          names={[deployment, name, detail.metadata.service]}
          testId="version-value"
        />
      )}
      <p className="field-hint">
        This only changes the vault. Servers keep the old value until it is written there (rotation
        does that for you).
      </p>
      <FormError message={error} />
    </Dialog>
  );
}
