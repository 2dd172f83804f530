import { useEffect, useState } from 'react';
import type { Strength } from '../../../shared/model';
import { call } from '../api/client';

const LEVEL_WORDS = ['Very weak', 'Weak', 'Fair', 'Good', 'Strong'];

/** Bits of estimated entropy -> 0..4 for the meter. */
function level(strength: Strength): number {
  if (strength.rating === 'weak') return strength.bits < 40 ? 0 : 1;
  if (strength.rating === 'fair') return 2;
  return strength.bits >= 128 ? 4 : 3;
}

/**
 * A debounced strength estimate of what the user is typing, computed by the core. `onRating`
 * hears the rating (null while nothing is typed) for forms that react to a weak value.
 */
export function StrengthMeter({
  value,
  names = [],
  onRating,
}: {
  value: string;
  names?: string[];
  onRating?: (rating: Strength['rating'] | null) => void;
}) {
  const [strength, setStrength] = useState<Strength | null>(null);
  const key = names.join('\n');
  const rating = value ? (strength?.rating ?? null) : null;
  useEffect(() => onRating?.(rating), [rating, onRating]);
  useEffect(() => {
    if (!value) {
      setStrength(null);
      return;
    }
    let current = true;
    const timer = window.setTimeout(() => {
      call('strength.check', { value, names: key ? key.split('\n') : [] })
        .then((result) => current && setStrength(result))
        .catch(() => current && setStrength(null));
    }, 180);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [value, key]);

  const meterLevel = strength ? level(strength) : -1;
  return (
    <div
      className="stack"
      data-testid="strength-meter"
      data-rating={strength?.rating ?? ''}
      style={{ gap: 4 }}
    >
      <div className="meter" data-level={meterLevel}>
        <span />
        <span />
        <span />
        <span />
      </div>
      <span className="field-hint">
        {strength
          ? `${LEVEL_WORDS[meterLevel]} · about ${strength.bits} bits${strength.problems.length ? ` · ${strength.problems[0]}` : ''}`
          : 'Use a long passphrase: four or more unrelated words.'}
      </span>
    </div>
  );
}
