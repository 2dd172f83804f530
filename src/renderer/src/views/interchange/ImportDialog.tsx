import { useState } from 'react';
import { IMPORT_KINDS, type ImportKindName } from '../../../../shared/interchange-api';
import { deploymentNameSchema } from '../../../../shared/model';
import { Dialog } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { useSubmit } from '../../components/use-submit';
import { useInterchange } from '../../stores/interchange';
import { useSecrets } from '../../stores/secrets';
import { useUi } from '../../stores/ui';
import { PreviewTable } from './PreviewTable';

export const KIND_LABELS: Record<ImportKindName, string> = {
  env: '.env file',
  compose: 'docker compose file (environment:)',
  pass: 'pass store (folder)',
  'keepass-xml': 'KeePassXC XML export',
  'keepass-csv': 'KeePassXC CSV export',
  bitwarden: 'Bitwarden JSON export (unencrypted)',
};

/**
 * Import from another tool: the source kind and its path (read by Rekey itself; the browser
 * host has no file dialog), a preview that writes nothing, a choice per duplicate, then one
 * all-or-nothing apply.
 */
export function ImportDialog({ onClose }: { onClose(): void }) {
  const [kind, setKind] = useState<ImportKindName>('env');
  const [path, setPath] = useState('');
  const [deployment, setDeployment] = useState('');
  const [keyFile, setKeyFile] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [all, setAll] = useState(false);
  const preview = useInterchange((state) => state.preview);
  const loadPreview = useInterchange((state) => state.loadPreview);
  const apply = useInterchange((state) => state.apply);
  const reset = useInterchange((state) => state.openDialog);
  const reload = useSecrets((state) => state.load);
  const toast = useUi((state) => state.toast);
  const changed = () => useInterchange.setState({ preview: null, choices: {} });

  const previewing = useSubmit(async (fail) => {
    if (!path.trim()) return fail('Give the path of the file or folder to import');
    if (deployment && !deploymentNameSchema.safeParse(deployment).success)
      return fail('Deployment names use letters, digits, . _ -');
    await loadPreview(
      {
        kind,
        path: path.trim(),
        all,
        ...(kind === 'pass' && keyFile.trim() ? { keyFile: keyFile.trim() } : {}),
        ...(kind === 'pass' && passphrase ? { passphrase } : {}),
      },
      deployment || null,
    );
  });
  const applying = useSubmit(async () => {
    const result = await apply();
    await reload();
    toast(
      'success',
      `Imported ${result.created.length} new secrets and ${result.versioned.length} new versions; ${result.skipped.length} skipped`,
    );
    reset(null);
    onClose();
  });

  return (
    <Dialog
      title="Import from another tool"
      onClose={onClose}
      testId="interchange-import-dialog"
      footer={
        <>
          <button className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            className="button"
            onClick={() => void previewing.submit()}
            disabled={previewing.busy}
            data-testid="interchange-preview-button"
          >
            Preview
          </button>
          <button
            className="button primary"
            onClick={() => void applying.submit()}
            disabled={!preview || applying.busy}
            data-testid="interchange-apply"
          >
            Import
          </button>
        </>
      }
    >
      <Field label="Source">
        <select
          className="input"
          value={kind}
          onChange={(e) => (setKind(e.target.value as ImportKindName), changed())}
          data-testid="interchange-kind"
        >
          {IMPORT_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label={kind === 'pass' ? 'Store folder' : 'File path'}
        hint="Read by Rekey on this machine."
      >
        <input
          className="input mono"
          value={path}
          onChange={(e) => (setPath(e.target.value), changed())}
          placeholder={kind === 'pass' ? '~/.password-store' : '/path/to/file'}
          data-testid="interchange-path"
        />
      </Field>
      <Field label="Deployment" hint="Leave empty to use the source's folders or groups.">
        <input
          className="input"
          value={deployment}
          onChange={(e) => (setDeployment(e.target.value), changed())}
          placeholder="matrix-vps1"
          data-testid="interchange-deployment"
        />
      </Field>
      {kind === 'pass' ? (
        <>
          <Field label="Private key file (optional)" hint="Without one, gpg and its agent decrypt.">
            <input
              className="input mono"
              value={keyFile}
              onChange={(e) => (setKeyFile(e.target.value), changed())}
              data-testid="interchange-key-file"
            />
          </Field>
          <Field label="Key passphrase (optional)">
            <input
              className="input"
              type="password"
              autoComplete="off"
              value={passphrase}
              onChange={(e) => (setPassphrase(e.target.value), changed())}
            />
          </Field>
        </>
      ) : null}
      {kind === 'env' || kind === 'compose' ? (
        <label className="row">
          <input
            type="checkbox"
            checked={all}
            onChange={(e) => (setAll(e.target.checked), changed())}
          />{' '}
          Import every key, not only secret-looking ones
        </label>
      ) : null}
      <PreviewTable />
      <FormError message={previewing.error ?? applying.error} />
    </Dialog>
  );
}
