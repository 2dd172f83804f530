import { type FormEvent, useState } from 'react';
import type { SecretDetail } from '../../../../shared/model';
import { call, errorMessage } from '../../api/client';
import { FormError } from '../../components/Field';
import { useSecrets } from '../../stores/secrets';
import { useUi } from '../../stores/ui';

/**
 * The secret detail's reminder snooze: leave the secret out of due reminders for some days,
 * with a reason (kept in the history), or end a snooze early. The health report still shows
 * a snoozed secret, marked so.
 */
export function SnoozeSection({ detail }: { detail: SecretDetail }) {
  const select = useSecrets((state) => state.select);
  const toast = useUi((state) => state.toast);
  const [open, setOpen] = useState(false);
  const [days, setDays] = useState('7');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);

  const apply = async (input: { days?: number; reason?: string; clear?: boolean }) => {
    try {
      await call('secrets.snooze', { ref: detail.ref, ...input });
      setOpen(false);
      setError(null);
      toast(
        'success',
        input.clear
          ? `Reminders for ${detail.ref} are back`
          : `Reminders for ${detail.ref} snoozed`,
      );
      await select(detail.ref);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const count = Number(days);
    if (!Number.isInteger(count) || count < 1 || count > 3650) {
      setError('Days: a whole number from 1 to 3650');
      return;
    }
    void apply({ days: count, reason });
  };

  return (
    <div className="detail-section" data-testid="snooze-section">
      <h3>Reminders</h3>
      {detail.snooze ? (
        <div className="row wrap">
          <span className="badge" data-testid="snooze-state">
            Snoozed until {detail.snooze.until.slice(0, 10)}
          </span>
          {detail.snooze.reason ? <span className="faint">{detail.snooze.reason}</span> : null}
          <span className="spacer" />
          <button
            className="button small"
            onClick={() => void apply({ clear: true })}
            data-testid="snooze-clear"
          >
            End snooze
          </button>
        </div>
      ) : open ? (
        <form className="stack" onSubmit={submit} aria-label="Snooze reminders">
          <label className="field">
            <span>For how many days</span>
            <input
              className="input"
              inputMode="numeric"
              value={days}
              onChange={(event) => setDays(event.target.value)}
              data-testid="snooze-days"
            />
          </label>
          <label className="field">
            <span>Why (kept in the history)</span>
            <input
              className="input"
              value={reason}
              maxLength={1000}
              onChange={(event) => setReason(event.target.value)}
              data-testid="snooze-reason"
            />
          </label>
          <div className="row">
            <button className="button small" type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button className="button small primary" type="submit" data-testid="snooze-confirm">
              Snooze
            </button>
          </div>
        </form>
      ) : (
        <button className="button small" onClick={() => setOpen(true)} data-testid="snooze-button">
          Snooze reminders…
        </button>
      )}
      <FormError message={error} />
    </div>
  );
}
