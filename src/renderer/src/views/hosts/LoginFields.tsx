import { Field } from '../../components/Field';

export type LoginKind = 'generate' | 'import' | 'agent' | 'keep';

/** What the user typed for an imported key: dialog state only, never a store. */
export interface PrivateKeyInput {
  key: string;
  passphrase: string;
}

const CHOICES: { kind: LoginKind; label: string; hint: string }[] = [
  {
    kind: 'keep',
    label: 'Keep the current login',
    hint: 'Change only the endpoint above.',
  },
  {
    kind: 'generate',
    label: 'Generate a key pair in the vault',
    hint: 'An ed25519 key made for this host; you add its public key to authorized_keys.',
  },
  {
    kind: 'import',
    label: 'Import a private key',
    hint: 'A key the server already accepts; Rekey keeps it in the vault from now on.',
  },
  {
    kind: 'agent',
    label: 'ssh-agent',
    hint: 'Use the keys your running ssh-agent holds; nothing is stored in the vault.',
  },
];

/** How Rekey logs in: the radio group and, for an imported key, the key and its passphrase. */
export function LoginFields(props: {
  kind: LoginKind;
  onKind(kind: LoginKind): void;
  canKeep: boolean;
  privateKey: PrivateKeyInput;
  onPrivateKey(input: PrivateKeyInput): void;
  error: string | null;
}) {
  const choices = CHOICES.filter((choice) => choice.kind !== 'keep' || props.canKeep);
  return (
    <fieldset className="login-choices">
      <legend>Login</legend>
      {choices.map((choice) => (
        <label key={choice.kind} className="login-choice">
          <input
            type="radio"
            name="login"
            value={choice.kind}
            checked={props.kind === choice.kind}
            onChange={() => props.onKind(choice.kind)}
            data-testid={`login-${choice.kind}`}
          />
          <span>
            <span className="login-choice-label">{choice.label}</span>
            <span className="field-hint">{choice.hint}</span>
          </span>
        </label>
      ))}
      {props.kind === 'import' ? (
        <div className="stack login-import">
          <Field label="OpenSSH private key" error={props.error}>
            <textarea
              className="textarea mono"
              rows={6}
              spellCheck={false}
              autoComplete="off"
              placeholder={'-----BEGIN OPENSSH PRIVATE KEY-----\n…'}
              value={props.privateKey.key}
              onChange={(e) => props.onPrivateKey({ ...props.privateKey, key: e.target.value })}
              aria-invalid={Boolean(props.error)}
              data-testid="field-private-key"
            />
          </Field>
          <Field label="Passphrase" hint="Only if the key is protected with one">
            <input
              className="input"
              type="password"
              autoComplete="off"
              value={props.privateKey.passphrase}
              onChange={(e) =>
                props.onPrivateKey({ ...props.privateKey, passphrase: e.target.value })
              }
              data-testid="field-passphrase"
            />
          </Field>
        </div>
      ) : props.error ? (
        <span className="field-error">{props.error}</span>
      ) : null}
    </fieldset>
  );
}
