import { createHash } from 'node:crypto';
import { RekeyError } from '../../shared/errors';

/** A host key as the server presented it, described the way OpenSSH does. */
export interface PresentedHostKey {
  /** Key type from the key blob, e.g. `ssh-ed25519`. */
  algorithm: string;
  /** `SHA256:` and unpadded base64 of the key blob's SHA-256, as `ssh-keygen -lf` prints. */
  fingerprint: string;
}

/** `blob` is the host key in SSH wire format, as ssh2 hands it to a host verifier. */
export function describeHostKey(blob: Buffer): PresentedHostKey {
  const digest = createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
  return { algorithm: keyType(blob), fingerprint: `SHA256:${digest}` };
}

function keyType(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) return 'unknown';
  return blob.subarray(4, 4 + length).toString('latin1');
}

/**
 * Thrown when a host is not trusted: its key is not pinned yet (HOST_KEY_UNKNOWN; the UI
 * shows `presented` for the user to confirm) or differs from the pinned one
 * (HOST_KEY_MISMATCH; refused, both fingerprints named).
 */
export class HostKeyError extends RekeyError {
  /** The host's name in Rekey (for a jump host: the jump host's name). */
  readonly host: string;
  readonly algorithm: string;
  readonly presented: string;
  readonly expected: string | null;

  /** `label` is how messages name the host, e.g. `vps1 (root@203.0.113.7:22)`. */
  constructor(host: string, label: string, presented: PresentedHostKey, expected: string | null) {
    super(
      expected === null ? 'HOST_KEY_UNKNOWN' : 'HOST_KEY_MISMATCH',
      expected === null
        ? `The host key of ${label} is not trusted yet. It presented ${presented.algorithm} ` +
            `${presented.fingerprint}; confirm this fingerprint to trust the host.`
        : `The host key of ${label} has CHANGED: expected ${expected}, but the server presented ` +
            `${presented.algorithm} ${presented.fingerprint}. Rekey refused to connect. If the ` +
            `server was reinstalled, check the new fingerprint on the server before trusting it.`,
    );
    this.name = 'HostKeyError';
    this.host = host;
    this.algorithm = presented.algorithm;
    this.presented = presented.fingerprint;
    this.expected = expected;
  }
}

/** null when the presented key is the pinned one; otherwise the error to refuse with. */
export function checkHostKey(
  host: string,
  label: string,
  pinned: string | null,
  presented: PresentedHostKey,
): HostKeyError | null {
  if (pinned !== null && normalize(pinned) === presented.fingerprint) return null;
  return new HostKeyError(host, label, presented, pinned);
}

/** Accepts a pin with or without base64 padding, as other tools sometimes print it. */
function normalize(fingerprint: string): string {
  return fingerprint.trim().replace(/=+$/, '');
}
