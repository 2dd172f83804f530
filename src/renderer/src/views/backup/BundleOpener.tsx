import type { MethodOutput } from '../../../../shared/api';
import { Field } from '../../components/Field';

export type PgpKey = MethodOutput<'keys.list'>[number];

/** How a bundle is opened: a kept key (`key` set, `passphrase` its own if locked) or its passphrase. */
export interface Opener {
  key: string;
  passphrase: string;
}

export const NO_OPENER: Opener = { key: '', passphrase: '' };

/** The contract's decrypt input for an opener; the passphrase only when one is typed. */
export function openerInput(opener: Opener): { key?: string; passphrase?: string } {
  if (!opener.key) return { passphrase: opener.passphrase };
  return opener.passphrase
    ? { key: opener.key, passphrase: opener.passphrase }
    : { key: opener.key };
}

/** What is still missing before the bundle can be opened; null when ready. */
export function openerProblem(opener: Opener, keys: readonly PgpKey[]): string | null {
  if (!opener.key) return opener.passphrase ? null : 'Enter the passphrase of the bundle';
  const key = keys.find((candidate) => candidate.fingerprint === opener.key);
  if (key?.privateKeyProtected && !opener.passphrase) return `Enter the passphrase of ${key.name}`;
  return null;
}

/**
 * Choosing how to open a bundle: its passphrase, or a private key the vault keeps (asking for
 * that key's own passphrase when it is locked by one). The passphrase lives in the caller's
 * state only.
 */
export function BundleOpener(props: {
  /** Kept private keys that may open it. */
  keys: readonly PgpKey[];
  /** Whether the bundle may have a passphrase (unknown counts as yes). */
  passphraseAllowed: boolean;
  value: Opener;
  onChange(value: Opener): void;
  testIdPrefix: string;
}) {
  const { value, onChange, testIdPrefix } = props;
  const key = props.keys.find((candidate) => candidate.fingerprint === value.key);
  return (
    <>
      {props.keys.length > 0 ? (
        <Field label="Open with">
          <select
            value={value.key}
            onChange={(event) => onChange({ key: event.target.value, passphrase: '' })}
            data-testid={`${testIdPrefix}-with`}
          >
            {props.passphraseAllowed ? <option value="">The passphrase</option> : null}
            {props.keys.map((candidate) => (
              <option key={candidate.fingerprint} value={candidate.fingerprint}>
                Key {candidate.name} ({candidate.fingerprint.slice(-16)})
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      {!value.key || key?.privateKeyProtected ? (
        <Field
          label={
            value.key ? `Passphrase of the key ${key?.name ?? ''}` : 'Passphrase of the bundle'
          }
        >
          <input
            type="password"
            autoComplete="off"
            value={value.passphrase}
            onChange={(event) => onChange({ ...value, passphrase: event.target.value })}
            data-testid={`${testIdPrefix}-passphrase`}
          />
        </Field>
      ) : null}
    </>
  );
}
