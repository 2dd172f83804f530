import { useEffect, useState } from 'react';
import { call, errorMessage } from '../../api/client';
import { Icon } from '../../components/icons';
import { useSession } from '../../stores/session';
import { useUi } from '../../stores/ui';

/**
 * The only place a value appears in the UI: revealed on request into this component's own
 * state (never a store), hidden again after the configured time or when the secret changes.
 * Copying goes through the main process where it can (it clears the clipboard itself);
 * in a browser tab the page copies and clears.
 */
export function SecretValue({ refName, version }: { refName: string; version?: string }) {
  const revealSeconds = useSession((state) => state.preferences.revealSeconds);
  const toast = useUi((state) => state.toast);
  const [value, setValue] = useState<string | null>(null);
  const [left, setLeft] = useState(0);

  useEffect(() => {
    setValue(null);
  }, [refName, version]);

  useEffect(() => {
    if (value === null) return;
    setLeft(revealSeconds);
    const started = Date.now();
    const timer = window.setInterval(() => {
      const remaining = revealSeconds - Math.floor((Date.now() - started) / 1000);
      if (remaining <= 0) setValue(null);
      else setLeft(remaining);
    }, 250);
    return () => window.clearInterval(timer);
  }, [value, revealSeconds]);

  const reveal = async () => {
    try {
      const revealed = await call('secrets.reveal', {
        ref: refName,
        ...(version ? { version } : {}),
      });
      setValue(revealed.value);
    } catch (error) {
      toast('error', errorMessage(error));
    }
  };

  const copy = async () => {
    try {
      const result = await call('secrets.copy', { ref: refName, ...(version ? { version } : {}) });
      if (result.by === 'renderer') await copyInPage(result.value, result.clearAfterSeconds);
      toast(
        'success',
        `Copied fp:${result.fingerprint}; the clipboard clears in ${result.clearAfterSeconds} s`,
      );
    } catch (error) {
      toast('error', errorMessage(error));
    }
  };

  return (
    <div className="value-box" data-testid="value-box">
      <span className="value-text" data-testid="secret-value">
        {value ?? '••••••••••••••••••••••••'}
      </span>
      {value !== null ? (
        <span className="faint" data-testid="reveal-countdown">
          {left}s
        </span>
      ) : null}
      <button
        className="button small"
        onClick={() => (value === null ? void reveal() : setValue(null))}
        data-testid="reveal-button"
      >
        <Icon name={value === null ? 'eye' : 'eyeOff'} /> {value === null ? 'Reveal' : 'Hide'}
      </button>
      <button className="button small" onClick={() => void copy()} data-testid="copy-button">
        <Icon name="copy" /> Copy
      </button>
    </div>
  );
}

/** Browser tabs copy themselves, and clear later unless the user copied something else. */
async function copyInPage(value: string, clearAfterSeconds: number): Promise<void> {
  await navigator.clipboard.writeText(value);
  window.setTimeout(() => {
    void navigator.clipboard
      .readText()
      .then((current) => (current === value ? navigator.clipboard.writeText('') : undefined))
      // Without permission to read, clear anyway: a stale secret is the worse outcome.
      .catch(() => navigator.clipboard.writeText(''));
  }, clearAfterSeconds * 1000);
}
