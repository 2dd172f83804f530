import { useRef, useState } from 'react';
import { errorMessage } from '../api/client';

/**
 * The submit of a dialog or form: one run at a time, the error shown in place (what the
 * user typed stays), busy while it runs. `action` may call `fail(message)` for a check of
 * its own before anything is sent.
 */
export function useSubmit(action: (fail: (message: string) => void) => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const running = useRef(false);

  const submit = async () => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      await action(setError);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      running.current = false;
      setBusy(false);
    }
  };

  return { submit, busy, error, setError };
}
