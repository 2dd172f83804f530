import { useId, useState } from 'react';
import type { MethodInput, MethodOutput } from '../../../../shared/api';
import type { ClusterSummary } from '../../../../shared/cluster-api';
import { hostNameSchema } from '../../../../shared/model';
import { call, errorMessage } from '../../api/client';
import { Dialog, DialogActions } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { useSubmit } from '../../components/use-submit';
import { useClusters } from '../../stores/clusters';
import { useHosts } from '../../stores/hosts';
import { useUi } from '../../stores/ui';
import { KubeconfigFields, type KubeconfigSource, kubeconfigOf } from './KubeconfigFields';

/**
 * "Add cluster" and "Edit cluster": a kubeconfig (a file on this machine whose path the vault
 * keeps, or pasted text the vault keeps encrypted), one of its contexts, and optionally a
 * namespace of its own. Editing keeps the name (deployments and targets use it) and, unless
 * another is given, the kubeconfig. Pasted text lives in this dialog only until it is sent;
 * it never comes back.
 */

type KubeContext = MethodOutput<'clusters.contexts'>[number];
type ContextsInput = MethodInput<'clusters.contexts'>;

export function ClusterDialog({ cluster, onClose }: { cluster?: ClusterSummary; onClose(): void }) {
  const loadClusters = useClusters((state) => state.load);
  const loadHosts = useHosts((state) => state.load);
  const toast = useUi((state) => state.toast);
  const editing = cluster !== undefined;
  const [name, setName] = useState(cluster?.name ?? '');
  const [source, setSource] = useState<KubeconfigSource>(editing ? 'keep' : 'path');
  const [path, setPath] = useState('');
  const [text, setText] = useState('');
  const [contexts, setContexts] = useState<KubeContext[] | null>(null);
  const [context, setContext] = useState(cluster?.context ?? '');
  const [namespace, setNamespace] = useState(cluster?.namespaceOverride ?? '');
  const [reading, setReading] = useState(false);
  const [readError, setReadError] = useState<string | null>(null);
  const contextId = useId();
  const kubeconfig = kubeconfigOf(source, path, text);
  const contextsFrom: ContextsInput | null = kubeconfig
    ? { kubeconfig }
    : source === 'keep' && cluster
      ? { cluster: cluster.name }
      : null;

  const forgetContexts = () => {
    setContexts(null);
    setContext(cluster?.context ?? '');
    setReadError(null);
  };

  const readContexts = async () => {
    if (!contextsFrom || reading) return;
    setReading(true);
    setReadError(null);
    try {
      const found = await call('clusters.contexts', contextsFrom);
      setContexts(found);
      const kept = found.find((item) => item.name === context);
      setContext((kept ?? found.find((item) => item.current) ?? found[0])?.name ?? '');
    } catch (failure) {
      setContexts(null);
      setReadError(errorMessage(failure));
    } finally {
      setReading(false);
    }
  };

  const { submit, busy, error } = useSubmit(async (fail) => {
    if (cluster) {
      const updated = await call('clusters.update', {
        name: cluster.name,
        ...(kubeconfig ? { kubeconfig } : {}),
        ...(context && context !== cluster.context ? { context } : {}),
        namespace: namespace.trim() || null,
      });
      await loadClusters();
      toast('success', `Saved cluster ${updated.name} (context ${updated.context})`);
      return onClose();
    }
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

  const keep = cluster
    ? cluster.kubeconfig.kind === 'path'
      ? `The file ${cluster.kubeconfig.path}`
      : 'The kubeconfig kept in the vault'
    : null;

  return (
    <Dialog
      title={editing ? `Edit cluster ${cluster.name}` : 'Add cluster'}
      onClose={onClose}
      testId="cluster-dialog"
      footer={
        <DialogActions
          onCancel={onClose}
          onConfirm={() => void submit()}
          label={editing ? 'Save' : 'Add cluster'}
          busy={busy}
          testId="save-cluster"
        />
      }
    >
      <div className="stack">
        <Field
          label="Name"
          hint={
            editing
              ? 'Deployments and targets use this name: it stays'
              : 'Used like a host name: deployments and targets name it'
          }
        >
          <input
            className="input mono"
            value={name}
            spellCheck={false}
            placeholder="e.g. k3s-prod"
            readOnly={editing}
            onChange={(event) => setName(event.target.value)}
            data-testid="cluster-name"
          />
        </Field>
        <KubeconfigFields
          source={source}
          path={path}
          text={text}
          keep={keep}
          onSource={(next) => {
            setSource(next);
            forgetContexts();
          }}
          onPath={(next) => {
            setPath(next);
            forgetContexts();
          }}
          onText={(next) => {
            setText(next);
            forgetContexts();
          }}
          onRead={() => void readContexts()}
          canRead={contextsFrom !== null}
          reading={reading}
          readError={readError}
        />
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
        ) : editing ? (
          <p className="field-hint" data-testid="cluster-context-now">
            Context {cluster.context}: read the contexts to choose another.
          </p>
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
