/**
 * ssh2's ed25519 generator drops a leading zero byte of the seed or of the public key (about
 * one pair in 150), writing a private key OpenSSH refuses ("error in libcrypto") and a public
 * key line no server accepts. Every ed25519 pair Rekey hands out (login keys, generated
 * secrets) is drawn through `wellFormedEd25519`, which draws again until the pair is whole.
 */

export interface Ed25519Pair {
  private: string;
  public: string;
}

export function wellFormedEd25519<P extends Ed25519Pair>(generate: () => P): P {
  for (;;) {
    const pair = generate();
    if (isWellFormedEd25519(pair.private)) return pair;
  }
}

/**
 * Whether an unencrypted OpenSSH ed25519 private key holds a 32-byte public key and a 64-byte
 * secret (seed and public key) that agree, as PROTOCOL.key lays them out. Only a check of
 * the lengths ssh2 gets wrong; parsing for use stays with ssh2.
 */
export function isWellFormedEd25519(privateKey: string): boolean {
  const body = privateKey
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('-----'))
    .join('');
  const bytes = Buffer.from(body, 'base64');
  let at = 'openssh-key-v1\0'.length;
  const next = (from: Buffer): Buffer | null => {
    if (at + 4 > from.length) return null;
    const length = from.readUInt32BE(at);
    if (at + 4 + length > from.length) return null;
    const value = from.subarray(at + 4, at + 4 + length);
    at += 4 + length;
    return value;
  };
  for (let field = 0; field < 3; field++) next(bytes); // cipher, kdf, kdf options
  at += 4; // number of keys
  next(bytes); // public key blob
  const secret = next(bytes);
  if (!secret) return false;
  at = 8; // two check integers
  const type = next(secret)?.toString('latin1');
  const publicKey = next(secret);
  const seedAndPublic = next(secret);
  return (
    type === 'ssh-ed25519' &&
    publicKey?.length === 32 &&
    seedAndPublic?.length === 64 &&
    seedAndPublic.subarray(32).equals(publicKey)
  );
}
