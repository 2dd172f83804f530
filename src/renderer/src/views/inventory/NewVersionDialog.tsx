import { useState } from 'react';
import type { SecretDetail } from '../../../../shared/model';
import { call, errorMessage } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { StrengthMeter } from '../../components/StrengthMeter';
import { useSecrets } from '../../stores/secrets';
import { useUi } from '../../stores/ui';
import { formatSpec, parseSpec } from './metadata-form';

/** A new current value: generated (the default) or entered. The old one becomes "previous". */
export function NewVersionDialog({ detail, onClose }: { detail: SecretDetail; onClose(): void }) {
  const [mode, setMode] = useState<'generate' | 'enter'>('generate');
  const [spec, setSpec] = useState(
    detail.metadata.generator ? formatSpec(detail.metadata.generator) : 'base64:32',
  );
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reloadDetail = useSecrets((state) => state.reloadDetail);
  const load = useSecrets((state) => state.load);
  const toast = useUi((state) => state.toast);
  const { deployment, name } = detail;

  const submit = async () => {
    setError(null);
    const parsed = mode === 'generate' ? parseSpec(spec) : null;
    if (typeof parsed === 'string') return setError(parsed);
    if (mode === 'enter' && !value) return setError('Enter the new value');
    setBusy(true);
    try {
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
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={`New value for ${detail.ref}`}
      onClose={onClose}
      testId="new-version-dialog"
      footer={
        <>
          <button className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            className="button primary"
            onClick={() => void submit()}
            disabled={busy}
            data-testid="save-version"
          >
            Store new value
          </button>
        </>
      }
    >
      <div className="tabs" role="tablist">
        <button
          className="tab"
          role="tab"
          aria-selected={mode === 'generate'}
          onClick={() => setMode('generate')}
        >
          Generate
        </button>
        <button
          className="tab"
          role="tab"
          aria-selected={mode === 'enter'}
          onClick={() => setMode('enter')}
          data-testid="mode-enter"
        >
          Enter a value
        </button>
      </div>
      {mode === 'generate' ? (
        <Field
          label="Generator"
          hint="hex, base64, base64url, alphanumeric or passphrase with a length; or ed25519"
        >
          <input className="input mono" value={spec} onChange={(e) => setSpec(e.target.value)} />
        </Field>
      ) : (
        <>
          <Field label="Value">
            <input
              className="input mono"
              type="password"
              autoComplete="off"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              data-testid="version-value"
            />
          </Field>
          <StrengthMeter value={value} names={[deployment, name, detail.metadata.service]} />
        </>
      )}
      <p className="field-hint">
        This only changes the vault. Servers keep the old value until it is written there (rotation
        does that for you).
      </p>
      <FormError message={error} />
    </Dialog>
  );
}
