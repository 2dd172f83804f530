import { useState } from 'react';
import { call, errorMessage } from '../../api/client';
import { useSession } from '../../stores/session';
import { useUi } from '../../stores/ui';

/**
 * "Remember on this device" in Settings: what the keychain holds for this vault, and one
 * click to forget it (or to remember it, the vault being open, without the password again).
 */
export function DeviceKeychain() {
  const keychain = useSession((state) => state.status?.keychain ?? null);
  const forgetDevice = useSession((state) => state.forgetDevice);
  const refresh = useSession((state) => state.refreshStatus);
  const toast = useUi((state) => state.toast);
  const [busy, setBusy] = useState(false);
  if (!keychain) return null;

  const run = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await action();
      await refresh();
      toast('success', done);
    } catch (error) {
      toast('error', errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  if (keychain.remembered) {
    return (
      <div className="row" data-testid="device-keychain" data-remembered="true">
        <span className="spacer">
          Remembered on this device: it unlocks here without the password.
        </span>
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => void run(forgetDevice, 'Forgotten: this device needs the password again.')}
          data-testid="forget-device"
        >
          Forget on this device
        </button>
      </div>
    );
  }
  if (!keychain.available) {
    return (
      <p className="field-hint" data-testid="device-keychain" data-remembered="false">
        No keychain on this device ({keychain.reason ?? 'unknown reason'}), so the vault cannot be
        remembered here.
      </p>
    );
  }
  return (
    <div className="row" data-testid="device-keychain" data-remembered="false">
      <span className="spacer">
        Not remembered on this device. Remembering keeps the vault key (never the password) in the
        system keychain.
      </span>
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() =>
          void run(
            () => call('vault.rememberDevice', {}),
            'Remembered: this device unlocks without the password.',
          )
        }
        data-testid="remember-device"
      >
        Remember on this device
      </button>
    </div>
  );
}
