import { useState } from 'react';
import type { Strength } from '../../../../shared/model';
import { Field } from '../../components/Field';
import { StrengthMeter } from '../../components/StrengthMeter';

/**
 * A bundle's passphrase typed twice, with the vault-create form's strength meter and a note
 * when it is weak: a bundle leaves the machine, and anyone who finds it may guess offline.
 */
export function PassphraseFields(props: {
  passphrase: string;
  confirmation: string;
  onPassphrase(value: string): void;
  onConfirmation(value: string): void;
}) {
  const [rating, setRating] = useState<Strength['rating'] | null>(null);
  const mismatch = props.confirmation.length > 0 && props.confirmation !== props.passphrase;
  return (
    <div className="stack" data-testid="backup-passphrase">
      <Field label="Passphrase">
        <input
          type="password"
          autoComplete="new-password"
          value={props.passphrase}
          onChange={(event) => props.onPassphrase(event.target.value)}
          data-testid="backup-passphrase-input"
        />
      </Field>
      <StrengthMeter value={props.passphrase} onRating={setRating} />
      {rating === 'weak' ? (
        <div className="notice" role="note" data-testid="weak-passphrase">
          This passphrase is weak. Whoever finds the bundle can try passphrases offline, as fast as
          their hardware allows: choose a longer one.
        </div>
      ) : null}
      <Field label="Passphrase again" error={mismatch ? 'The two passphrases differ' : null}>
        <input
          type="password"
          autoComplete="new-password"
          value={props.confirmation}
          onChange={(event) => props.onConfirmation(event.target.value)}
          data-testid="backup-passphrase-confirm"
        />
      </Field>
    </div>
  );
}
