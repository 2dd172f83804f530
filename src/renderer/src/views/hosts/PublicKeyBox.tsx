import { useRef } from 'react';
import { Icon } from '../../components/icons';
import { useUi } from '../../stores/ui';

/**
 * A login key's public half, for the server's authorized_keys. It is not secret, so it is
 * shown in full and copied by the page itself, and the clipboard is not cleared afterwards.
 */
export function PublicKeyBox({ publicKey, user }: { publicKey: string; user: string }) {
  const text = useRef<HTMLTextAreaElement>(null);
  const toast = useUi((state) => state.toast);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(publicKey);
      toast('success', 'Copied the public key');
    } catch {
      // The desktop window refuses clipboard permissions to pages: select it for Ctrl+C.
      text.current?.select();
      toast('info', 'The public key is selected: press Ctrl+C to copy it');
    }
  };

  return (
    <div className="stack public-key">
      <div className="public-key-box">
        <textarea
          ref={text}
          className="textarea mono"
          readOnly
          rows={3}
          value={publicKey}
          aria-label="Public key"
          spellCheck={false}
          onFocus={(event) => event.target.select()}
          data-testid="host-public-key"
        />
        <button className="button small" onClick={() => void copy()} data-testid="copy-public-key">
          <Icon name="copy" /> Copy
        </button>
      </div>
      <span className="field-hint">
        Add this line to <code>~{user}/.ssh/authorized_keys</code> on the server: Rekey logs in with
        the matching private key, which never leaves the vault.
      </span>
    </div>
  );
}
