import { useState } from 'react';
import type { ImportReport } from '../../../../shared/api';
import { deploymentNameSchema } from '../../../../shared/model';
import { call, errorMessage } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { useSecrets } from '../../stores/secrets';
import { useUi } from '../../stores/ui';

/**
 * Import a docker compose .env: pick or paste it, preview exactly what would change (a dry
 * run in the core), then import in one atomic step. Nothing is overwritten silently.
 */
export function ImportEnvDialog({ onClose }: { onClose(): void }) {
  const [deployment, setDeployment] = useState('');
  const [content, setContent] = useState('');
  const [from, setFrom] = useState('pasted .env');
  const [all, setAll] = useState(false);
  const [newVersions, setNewVersions] = useState(false);
  const [preview, setPreview] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useSecrets((state) => state.load);
  const toast = useUi((state) => state.toast);

  const request = (dryRun: boolean) =>
    call('secrets.importEnv', {
      deployment,
      content,
      from,
      all,
      onExisting: newVersions ? 'new-version' : 'skip',
      dryRun,
    });

  const run = async (dryRun: boolean) => {
    setError(null);
    if (!deploymentNameSchema.safeParse(deployment).success)
      return setError('Name the deployment (letters, digits, . _ -)');
    if (!content.trim()) return setError('Choose a .env file or paste its contents');
    try {
      const report = await request(dryRun);
      if (dryRun) return setPreview(report);
      await load();
      toast(
        'success',
        `Imported ${report.added.length} new and ${report.updated.length} updated secrets into ${deployment}`,
      );
      onClose();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setContent(await file.text());
    setFrom(file.name);
    setPreview(null);
  };

  return (
    <Dialog
      title="Import a .env file"
      onClose={onClose}
      testId="import-dialog"
      footer={
        <>
          <button className="button" onClick={onClose}>
            Cancel
          </button>
          <button className="button" onClick={() => void run(true)} data-testid="import-preview">
            Preview
          </button>
          <button
            className="button primary"
            onClick={() => void run(false)}
            disabled={!preview}
            data-testid="import-confirm"
          >
            Import
          </button>
        </>
      }
    >
      <Field label="Deployment">
        <input
          className="input"
          value={deployment}
          onChange={(e) => (setDeployment(e.target.value), setPreview(null))}
          placeholder="matrix-vps1"
          data-testid="import-deployment"
        />
      </Field>
      <Field label="File">
        <input
          type="file"
          accept=".env,text/plain"
          onChange={(e) => void onFile(e.target.files?.[0])}
          data-testid="import-file"
        />
      </Field>
      <Field
        label="…or paste it"
        hint="Values stay in this dialog and in the vault; nothing is sent anywhere else."
      >
        <textarea
          className="textarea mono"
          value={content}
          onChange={(e) => (setContent(e.target.value), setPreview(null))}
          data-testid="import-content"
        />
      </Field>
      <label className="row">
        <input
          type="checkbox"
          checked={all}
          onChange={(e) => (setAll(e.target.checked), setPreview(null))}
        />{' '}
        Import every key, not only secret-looking ones
      </label>
      <label className="row">
        <input
          type="checkbox"
          checked={newVersions}
          onChange={(e) => (setNewVersions(e.target.checked), setPreview(null))}
        />{' '}
        Store a new version where a secret exists with another value
      </label>
      {preview ? (
        <div className="import-summary" data-testid="import-summary">
          <strong>
            {preview.added.length} new · {preview.updated.length} updated ·{' '}
            {preview.unchanged.length} unchanged · {preview.skipped.length} skipped
          </strong>
          {preview.added.map((ref) => (
            <span key={ref}>+ {ref}</span>
          ))}
          {preview.updated.map((ref) => (
            <span key={ref}>~ {ref}</span>
          ))}
          {preview.skipped.map((skip) => (
            <span key={skip.key} className="faint">
              – {skip.key}: {skip.reason}
            </span>
          ))}
        </div>
      ) : null}
      <FormError message={error} />
    </Dialog>
  );
}
