import type { MethodInput } from '../../../../shared/api';
import { Field, FormError } from '../../components/Field';

/**
 * Where a cluster's kubeconfig comes from: a file on this machine (the vault keeps its path),
 * pasted text (the vault keeps it encrypted) or, when editing, the one the vault has now.
 */

export type KubeconfigSource = 'keep' | 'path' | 'vault';
export type KubeconfigInput = MethodInput<'clusters.add'>['kubeconfig'];

export function kubeconfigOf(
  source: KubeconfigSource,
  path: string,
  text: string,
): KubeconfigInput | null {
  if (source === 'keep') return null;
  if (source === 'path')
    return path.trim().startsWith('/') ? { kind: 'path', path: path.trim() } : null;
  return text.trim() ? { kind: 'vault', text } : null;
}

interface Props {
  source: KubeconfigSource;
  path: string;
  text: string;
  /** The kubeconfig the cluster has now, offered first when editing. */
  keep: string | null;
  onSource(source: KubeconfigSource): void;
  onPath(path: string): void;
  onText(text: string): void;
  onRead(): void;
  canRead: boolean;
  reading: boolean;
  readError: string | null;
}

export function KubeconfigFields(props: Props) {
  const choices: [KubeconfigSource, string, string][] = [
    ...(props.keep === null
      ? []
      : [['keep', 'Keep the current one', props.keep] as [KubeconfigSource, string, string]]),
    ['path', 'A file on this machine', 'The vault keeps its path; the file stays where it is'],
    ['vault', 'Keep it in the vault', 'Paste it: the vault keeps it encrypted, like a secret'],
  ];
  return (
    <fieldset className="login-choices">
      <legend>Kubeconfig</legend>
      {choices.map(([kind, label, hint]) => (
        <label key={kind} className="login-choice">
          <input
            type="radio"
            name="kubeconfig-source"
            checked={props.source === kind}
            onChange={() => props.onSource(kind)}
            data-testid={`kubeconfig-source-${kind}`}
          />
          <span>
            <span className="login-choice-label">{label}</span>
            <span className="field-hint">{hint}</span>
          </span>
        </label>
      ))}
      {props.source === 'path' ? (
        <Field label="Kubeconfig file">
          <input
            className="input mono"
            value={props.path}
            spellCheck={false}
            placeholder="/home/me/.kube/config"
            onChange={(event) => props.onPath(event.target.value)}
            onBlur={props.onRead}
            data-testid="kubeconfig-path"
          />
        </Field>
      ) : props.source === 'vault' ? (
        <Field label="Kubeconfig">
          <textarea
            className="textarea mono"
            rows={6}
            spellCheck={false}
            autoComplete="off"
            value={props.text}
            onChange={(event) => props.onText(event.target.value)}
            data-testid="kubeconfig-text"
          />
        </Field>
      ) : null}
      <div className="row">
        <button
          className="button"
          aria-busy={props.reading}
          aria-disabled={!props.canRead}
          onClick={props.onRead}
          data-testid="read-contexts"
        >
          Read contexts
        </button>
      </div>
      <FormError message={props.readError} />
    </fieldset>
  );
}
