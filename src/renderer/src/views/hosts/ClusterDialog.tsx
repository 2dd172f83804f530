import { useId, useState } from 'react';
import type { MethodInput, MethodOutput } from '../../../../shared/api';
import { hostNameSchema } from '../../../../shared/model';
import { call, errorMessage } from '../../api/client';
import { Dialog, DialogActions } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { useSubmit } from '../../components/use-submit';
import { useClusters } from '../../stores/clusters';
import { useHosts } from '../../stores/hosts';
import { useUi } from '../../stores/ui';

/**
 * "Add cluster": a kubeconfig (a file on this machine whose path the vault keeps, or pasted
 * text the vault keeps encrypted), one of its contexts, and optionally a namespace of its own.
 * The pasted text lives in this dialog only until it is sent; it never comes back.
 */

type Kubeconfig = MethodInput<'clusters.contexts'>['kubeconfig'];
type KubeContext = MethodOutput<'clusters.contexts'>[number];

function kubeconfigOf(source: 'path' | 'vault', path: string, text: string): Kubeconfig | null {
  if (source === 'path')
    return path.trim().startsWith('/') ? { kind: 'path', path: path.trim() } : null;
  return text.trim() ? { kind: 'vault', text } : null;
}

export function ClusterDialog({ onClose }: { onClose(): void }) {
  const loadClusters = useClusters((state) => state.load);
  const loadHosts = useHosts((state) => state.load);
  const toast = useUi((state) => state.toast);
  const [name, setName] = useState('');
  const [source, setSource] = useState<'path' | 'vault'>('path');
  const [path, setPath] = useState('');
  const [text, setText] = useState('');
  const [contexts, setContexts] = useState<KubeContext[] | null>(null);
  const [context, setContext] = useState('');
  const [namespace, setNamespace] = useState('');
  const [reading, setReading] = useState(false);
  const [readError, setReadError] = useState<string | null>(null);
  const contextId = useId();
  const kubeconfig = kubeconfigOf(source, path, text);

  const forgetContexts = () => {
    setContexts(null);
    setContext('');
    setReadError(null);
  };

  const readContexts = async () => {
    if (!kubeconfig || reading) return;
    setReading(true);
    setReadError(null);
    try {
      const found = await call('clusters.contexts', { kubeconfig });
      setContexts(found);
      setContext((found.find((item) => item.current) ?? found[0])?.name ?? '');
    } catch (failure) {
      setContexts(null);
      setReadError(errorMessage(failure));
    } finally {
      setReading(false);
    }
  };

  const { submit, busy, error } = useSubmit(async (fail) => {
    const parsedName = hostNameSchema.safeParse(name.trim());
    if (!parsedName.success)
      return fail(`Name: ${parsedName.error.issues[0]?.message ?? 'invalid'}`);
    if (!kubeconfig) {
      return fail(
        source === 'path'
          ? 'Give the absolute path of a kubeconfig file'
          : 'Paste the kubeconfig to keep in the vault',
      );
    }
    const added = await call('clusters.add', {
      name: parsedName.data,
      kubeconfig,
      namespace: namespace.trim() || null,
      ...(context ? { context } : {}),
    });
    await Promise.all([loadClusters(), loadHosts()]);
    toast('success', `Added cluster ${added.name} (context ${added.context})`);
    onClose();
  });

  return (
    <Dialog
      title="Add cluster"
      onClose={onClose}
      testId="cluster-dialog"
      footer={
        <DialogActions
          onCancel={onClose}
          onConfirm={() => void submit()}
          label="Add cluster"
          busy={busy}
          testId="save-cluster"
        />
      }
    >
      <div className="stack">
        <Field label="Name" hint="Used like a host name: deployments and targets name it">
          <input
            className="input mono"
            value={name}
            spellCheck={false}
            placeholder="e.g. k3s-prod"
            onChange={(event) => setName(event.target.value)}
            data-testid="cluster-name"
          />
        </Field>
        <fieldset className="login-choices">
          <legend>Kubeconfig</legend>
          {(
            [
              [
                'path',
                'A file on this machine',
                'The vault keeps its path; the file stays where it is',
              ],
              [
                'vault',
                'Keep it in the vault',
                'Paste it: the vault keeps it encrypted, like a secret',
              ],
            ] as const
          ).map(([kind, label, hint]) => (
            <label key={kind} className="login-choice">
              <input
                type="radio"
                name="kubeconfig-source"
                checked={source === kind}
                onChange={() => {
                  setSource(kind);
                  forgetContexts();
                }}
                data-testid={`kubeconfig-source-${kind}`}
              />
              <span>
                <span className="login-choice-label">{label}</span>
                <span className="field-hint">{hint}</span>
              </span>
            </label>
          ))}
          {source === 'path' ? (
            <Field label="Kubeconfig file">
              <input
                className="input mono"
                value={path}
                spellCheck={false}
                placeholder="/home/me/.kube/config"
                onChange={(event) => {
                  setPath(event.target.value);
                  forgetContexts();
                }}
                onBlur={() => void readContexts()}
                data-testid="kubeconfig-path"
              />
            </Field>
          ) : (
            <Field label="Kubeconfig">
              <textarea
                className="textarea mono"
                rows={6}
                spellCheck={false}
                autoComplete="off"
                value={text}
                onChange={(event) => {
                  setText(event.target.value);
                  forgetContexts();
                }}
                data-testid="kubeconfig-text"
              />
            </Field>
          )}
          <div className="row">
            <button
              className="button"
              aria-busy={reading}
              aria-disabled={!kubeconfig}
              onClick={() => void readContexts()}
              data-testid="read-contexts"
            >
              Read contexts
            </button>
          </div>
          <FormError message={readError} />
        </fieldset>
        {contexts ? (
          <label className="field" htmlFor={contextId}>
            <span>Context</span>
            <select
              id={contextId}
              className="select"
              value={context}
              onChange={(event) => setContext(event.target.value)}
              data-testid="cluster-context"
            >
              {contexts.map((item) => (
                <option key={item.name} value={item.name}>
                  {item.name}
                  {item.current ? ' (current)' : ''} · {item.server ?? '?'} · namespace{' '}
                  {item.namespace}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <Field label="Namespace" hint="Leave empty to use the context's namespace">
          <input
            className="input mono"
            value={namespace}
            spellCheck={false}
            placeholder={contexts?.find((item) => item.name === context)?.namespace ?? 'default'}
            onChange={(event) => setNamespace(event.target.value)}
            data-testid="cluster-namespace"
          />
        </Field>
        <FormError message={error} />
      </div>
    </Dialog>
  );
}
