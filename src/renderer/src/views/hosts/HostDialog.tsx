import { type RefObject, useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import type { LoginChoice, MethodInput } from '../../../../shared/api';
import {
  type HostSummary,
  hostAddressSchema,
  hostNameSchema,
  portSchema,
  sshUserSchema,
} from '../../../../shared/model';
import { call, errorMessage } from '../../api/client';
import { Dialog, DialogActions } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { useHosts } from '../../stores/hosts';
import { useUi } from '../../stores/ui';
import { LoginFields, type LoginKind, type PrivateKeyInput } from './LoginFields';
import { PublicKeyBox } from './PublicKeyBox';

interface EndpointDraft {
  name: string;
  address: string;
  port: string;
  user: string;
  jump: string;
}

type FieldName = keyof EndpointDraft | 'login';
type FieldErrors = Partial<Record<FieldName, string>>;

const NEW_HOST: EndpointDraft = { name: '', address: '', port: '22', user: 'root', jump: '' };

function draftOf(host: HostSummary): EndpointDraft {
  return {
    name: host.name,
    address: host.address,
    port: String(host.port),
    user: host.user,
    jump: host.jump ?? '',
  };
}

/** The first complaint of a schema about a value, or undefined when it is fine. */
function complaint(schema: z.ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : (result.error.issues[0]?.message ?? 'invalid');
}

/** The same rules the core applies, checked before sending so each field says what is wrong. */
function checkDraft(draft: EndpointDraft): FieldErrors {
  const errors: FieldErrors = {
    name: complaint(hostNameSchema, draft.name),
    address: complaint(hostAddressSchema, draft.address),
    port: /^\d+$/.test(draft.port)
      ? complaint(portSchema, Number(draft.port))
      : 'a port number from 1 to 65535',
    user: complaint(sshUserSchema, draft.user),
  };
  return Object.fromEntries(
    Object.entries(errors).filter(([, message]) => message !== undefined),
  ) as FieldErrors;
}

/**
 * The core reports invalid input as `field: message; other: message`: put each part beside
 * its field, and whatever names no field (already exists, unreadable key) above the buttons.
 */
function placeCoreError(message: string): { fields: FieldErrors; rest: string | null } {
  const fields: FieldErrors = {};
  const rest: string[] = [];
  for (const part of message.split('; ')) {
    const match = /^(name|address|port|user|jump|login)(?:\.[\w.]+)?: (.*)$/.exec(part);
    if (match?.[1] && match[2]) fields[match[1] as FieldName] = match[2];
    else rest.push(part);
  }
  return { fields, rest: rest.length ? rest.join('; ') : null };
}

/**
 * Adds a host, or edits one (`host` given). The login key pair is generated in the vault by
 * default; an imported private key and its passphrase live only in this dialog's state and
 * are cleared once the core has them. After a generated key, the dialog shows its public key
 * and what to do next.
 */
export function HostDialog({ host, onClose }: { host?: HostSummary; onClose(): void }) {
  const editing = host !== undefined;
  const [draft, setDraft] = useState<EndpointDraft>(() => (host ? draftOf(host) : NEW_HOST));
  const [login, setLogin] = useState<LoginKind>(editing ? 'keep' : 'generate');
  const [privateKey, setPrivateKey] = useState<PrivateKeyInput>({ key: '', passphrase: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<HostSummary | null>(null);
  const problems = useRef<HTMLDivElement>(null);
  useRevealProblem(problems, errors, error);
  const hosts = useHosts((state) => state.hosts);
  const load = useHosts((state) => state.load);
  const select = useHosts((state) => state.select);
  const toast = useUi((state) => state.toast);

  const change = (changes: Partial<EndpointDraft>) => setDraft({ ...draft, ...changes });

  const loginChoice = (): LoginChoice | undefined => {
    if (login === 'keep') return undefined;
    if (login !== 'import') return { kind: login };
    return {
      kind: 'import',
      privateKey: privateKey.key,
      ...(privateKey.passphrase ? { passphrase: privateKey.passphrase } : {}),
    };
  };

  const submit = async () => {
    if (busy) return;
    setError(null);
    const found = checkDraft(draft);
    if (login === 'import' && !privateKey.key.trim())
      found.login = 'Paste the OpenSSH private key (-----BEGIN OPENSSH PRIVATE KEY-----…)';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const choice = loginChoice();
    const endpoint = {
      name: draft.name,
      address: draft.address,
      port: Number(draft.port),
      user: draft.user,
      jump: draft.jump || null,
    };
    setBusy(true);
    try {
      const saved = editing
        ? await call('hosts.update', {
            ...endpoint,
            ...(choice ? { login: choice } : {}),
          } satisfies MethodInput<'hosts.update'>)
        : await call('hosts.add', { ...endpoint, login: choice ?? { kind: 'generate' } });
      setPrivateKey({ key: '', passphrase: '' });
      await load();
      select(saved.name);
      toast('success', editing ? `Saved ${saved.name}` : `Added ${saved.name}`);
      if (choice?.kind === 'generate') setCreated(saved);
      else onClose();
    } catch (failure) {
      const placed = placeCoreError(errorMessage(failure));
      setErrors(placed.fields);
      setError(placed.rest);
    } finally {
      setBusy(false);
    }
  };

  if (created) return <NextSteps host={created} replaced={editing} onClose={onClose} />;

  const jumpCandidates = hosts.filter((other) => other.name !== draft.name);
  return (
    <Dialog
      title={editing ? `Edit ${host.name}` : 'Add a host'}
      onClose={onClose}
      testId="host-dialog"
      footer={
        <DialogActions
          onCancel={onClose}
          onConfirm={() => void submit()}
          label={editing ? 'Save' : 'Add host'}
          busy={busy}
          testId="save-host"
        />
      }
    >
      <div className="stack" ref={problems}>
        <form
          className="stack"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <div className="grid-2">
            <Field
              label="Name"
              error={errors.name}
              hint={
                editing
                  ? 'Targets and deployments refer to it by this name'
                  : 'How targets and deployments refer to it, e.g. vps1'
              }
            >
              <input
                className="input mono"
                value={draft.name}
                readOnly={editing}
                onChange={(e) => change({ name: e.target.value.trim() })}
                aria-invalid={Boolean(errors.name)}
                data-testid="field-host-name"
              />
            </Field>
            <Field label="Address" error={errors.address} hint="Host name or IP address">
              <input
                className="input mono"
                value={draft.address}
                onChange={(e) => change({ address: e.target.value.trim() })}
                placeholder="203.0.113.7"
                aria-invalid={Boolean(errors.address)}
                data-testid="field-host-address"
              />
            </Field>
            <Field label="Port" error={errors.port}>
              <input
                className="input mono"
                inputMode="numeric"
                value={draft.port}
                onChange={(e) => change({ port: e.target.value.trim() })}
                aria-invalid={Boolean(errors.port)}
                data-testid="field-host-port"
              />
            </Field>
            <Field label="User" error={errors.user}>
              <input
                className="input mono"
                value={draft.user}
                onChange={(e) => change({ user: e.target.value.trim() })}
                aria-invalid={Boolean(errors.user)}
                data-testid="field-host-user"
              />
            </Field>
          </div>
          <Field
            label="Jump host"
            error={errors.jump}
            hint="Connect through another host first, like OpenSSH's ProxyJump"
          >
            <select
              className="select"
              value={draft.jump}
              onChange={(e) => change({ jump: e.target.value })}
              data-testid="field-host-jump"
            >
              <option value="">None: connect directly</option>
              {jumpCandidates.map((other) => (
                <option key={other.name} value={other.name}>
                  {other.name}
                </option>
              ))}
            </select>
          </Field>
          <LoginFields
            kind={login}
            onKind={setLogin}
            canKeep={editing}
            privateKey={privateKey}
            onPrivateKey={setPrivateKey}
            error={errors.login ?? null}
          />
          {/* Enter in a field submits, as in every other form. */}
          <button type="submit" hidden />
        </form>
        <FormError message={error} />
      </div>
    </Dialog>
  );
}

/**
 * After a refused save, brings the first problem into view: the first invalid field gets the
 * focus, or else the message about the whole form scrolls into the dialog's view.
 */
function useRevealProblem(
  container: RefObject<HTMLElement | null>,
  fieldErrors: FieldErrors,
  formError: string | null,
): void {
  useEffect(() => {
    if (!formError && Object.keys(fieldErrors).length === 0) return;
    const invalid = container.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (invalid) invalid.focus();
    else container.current?.querySelector('.form-error')?.scrollIntoView({ block: 'nearest' });
  }, [container, fieldErrors, formError]);
}

/** After a key pair was generated: the public half and the two steps before Rekey can log in. */
function NextSteps(props: { host: HostSummary; replaced: boolean; onClose(): void }) {
  const { host, onClose } = props;
  return (
    <Dialog
      title={props.replaced ? `New login key for ${host.name}` : `${host.name} added`}
      onClose={onClose}
      testId="host-dialog"
      footer={
        <button className="button primary" onClick={onClose} data-testid="host-dialog-done">
          Done
        </button>
      }
    >
      <div className="stack" data-testid="host-created">
        <p>Rekey generated a key pair for {host.name} and keeps the private key in the vault.</p>
        {host.auth.kind === 'key' ? (
          <PublicKeyBox publicKey={host.auth.publicKey} user={host.user} />
        ) : null}
        <ol className="next-steps">
          <li>
            Add the public key above to <code>~{host.user}/.ssh/authorized_keys</code> on{' '}
            {host.address}.
          </li>
          {host.hostKey ? (
            <li>
              Then choose <strong>Test connection</strong> in the host&apos;s detail to check that
              Rekey logs in with it.
            </li>
          ) : (
            <li>
              Then choose <strong>Trust host key…</strong> in the host&apos;s detail to pin the key
              the server presents, and <strong>Test connection</strong>.
            </li>
          )}
          {props.replaced ? (
            <li>Once the test passes, remove the old key from authorized_keys.</li>
          ) : null}
        </ol>
      </div>
    </Dialog>
  );
}
