import { useState } from 'react';
import {
  EXPORT_KINDS,
  type ExportKindName,
  type ExportResult,
  PLAINTEXT_EXPORTS,
  plaintextWarning,
} from '../../../../shared/interchange-api';
import { Dialog } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { useSubmit } from '../../components/use-submit';
import { useInterchange } from '../../stores/interchange';
import { useUi } from '../../stores/ui';

const LABELS: Record<ExportKindName, string> = {
  pass: 'pass store (encrypted to OpenPGP keys)',
  keepass: 'KeePass XML (for keepassxc-cli import; in clear)',
  env: '.env of one deployment (in clear)',
};

/**
 * Export: a pass store (encrypted) or a plaintext format, which is written only once the user
 * has ticked that they understand the file holds every value in clear.
 */
export function ExportDialog({ onClose }: { onClose(): void }) {
  const [kind, setKind] = useState<ExportKindName>('pass');
  const [path, setPath] = useState('');
  const [deployment, setDeployment] = useState('');
  const [recipients, setRecipients] = useState('');
  const [acknowledged, setAcknowledged] = useState(false);
  const [replace, setReplace] = useState(false);
  const [result, setResult] = useState<ExportResult | null>(null);
  const runExport = useInterchange((state) => state.runExport);
  const toast = useUi((state) => state.toast);
  const plaintext = PLAINTEXT_EXPORTS.includes(kind);

  const exporting = useSubmit(async (fail) => {
    if (!path.trim()) return fail('Give the path to write to');
    if (kind === 'env' && !deployment) return fail('A .env export is of one deployment: name it');
    if (plaintext && !acknowledged) return fail('Confirm that you understand the file is in clear');
    const done = await runExport({
      kind,
      path: path.trim(),
      deployment: deployment || null,
      recipients: kind === 'pass' ? splitRecipients(recipients) : [],
      acknowledgePlaintext: plaintext && acknowledged,
      overwrite: replace,
    });
    setResult(done);
    toast('success', `Exported ${done.refs.length} secrets to ${done.path}`);
  });

  return (
    <Dialog
      title="Export secrets"
      onClose={onClose}
      testId="interchange-export-dialog"
      footer={
        <>
          <button className="button" onClick={onClose}>
            Close
          </button>
          <button
            className="button primary"
            onClick={() => void exporting.submit()}
            disabled={exporting.busy || (plaintext && !acknowledged)}
            data-testid="interchange-export"
          >
            Export
          </button>
        </>
      }
    >
      <Field label="Format">
        <select
          className="input"
          value={kind}
          onChange={(e) => (setKind(e.target.value as ExportKindName), setAcknowledged(false))}
          data-testid="interchange-export-kind"
        >
          {EXPORT_KINDS.map((k) => (
            <option key={k} value={k}>
              {LABELS[k]}
            </option>
          ))}
        </select>
      </Field>
      <Field label={kind === 'pass' ? 'Store folder' : 'File path'}>
        <input
          className="input mono"
          value={path}
          onChange={(e) => (setPath(e.target.value), setAcknowledged(false), setReplace(false))}
          data-testid="interchange-export-path"
        />
      </Field>
      <label className="row">
        <input
          type="checkbox"
          checked={replace}
          onChange={(e) => setReplace(e.target.checked)}
          data-testid="interchange-export-replace"
        />{' '}
        Replace what is there (otherwise an existing file, or a store entry of the same name, stops
        the export)
      </label>
      <Field
        label="Deployment"
        hint={kind === 'env' ? 'Required.' : 'Leave empty for every secret.'}
      >
        <input
          className="input"
          value={deployment}
          onChange={(e) => setDeployment(e.target.value)}
          data-testid="interchange-export-deployment"
        />
      </Field>
      {kind === 'pass' ? (
        <Field
          label="Recipients"
          hint="gpg key ids, one per line, or a pasted armored public key. An existing store's .gpg-id decides."
        >
          <textarea
            className="textarea mono"
            value={recipients}
            onChange={(e) => setRecipients(e.target.value)}
            data-testid="interchange-recipients"
          />
        </Field>
      ) : null}
      {plaintext ? (
        <div className="form-error" role="alert" data-testid="plaintext-warning">
          <p>{plaintextWarning(kind, path.trim() || 'The file')}</p>
          <label className="row">
            <input
              type="checkbox"
              checked={acknowledged}
              onChange={(e) => setAcknowledged(e.target.checked)}
              data-testid="plaintext-confirm"
            />{' '}
            I understand: write the values in clear
          </label>
        </div>
      ) : null}
      {result ? (
        <p data-testid="interchange-export-result">
          Exported {result.refs.length} secrets to <span className="mono">{result.path}</span>
          {result.recipients.length ? `, encrypted to ${result.recipients.join(', ')}` : ''}.
          {result.renamed.length ? ` Renamed: ${result.renamed.join('; ')}.` : ''}
        </p>
      ) : null}
      <FormError message={exporting.error} />
    </Dialog>
  );
}

/** An armored key stays whole; other lines are key ids. */
function splitRecipients(text: string): string[] {
  const armored =
    text.match(/-----BEGIN PGP PUBLIC KEY BLOCK-----[\s\S]*?-----END PGP PUBLIC KEY BLOCK-----/g) ??
    [];
  const rest = text.replace(
    /-----BEGIN PGP PUBLIC KEY BLOCK-----[\s\S]*?-----END PGP PUBLIC KEY BLOCK-----/g,
    '',
  );
  return [
    ...armored,
    ...rest
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  ];
}
