import { readFileSync, writeFileSync } from 'node:fs';
import { seal } from '../../src/main/vault/crypto';
import {
  encodeFrame,
  chainHash,
  genesisHash,
  openFrame,
  recordAad,
  scanFrames,
} from '../../src/main/vault/frames';
import { decodeHeader } from '../../src/main/vault/header';
import { passwordUnlocker } from '../../src/main/vault/vault';
import { PASSWORD } from './vault';

/**
 * Rewrites a vault's records as someone holding its key could: every record re-sealed
 * correctly after `transform` edits the plaintexts. Only the history's own hash chain (and
 * the replay check) can notice such an edit; the record layer cannot.
 */
export async function forgeRecords(
  path: string,
  transform: (plaintexts: Buffer[]) => Buffer[],
  password = PASSWORD,
): Promise<void> {
  const bytes = readFileSync(path);
  const { header, length } = decodeHeader(bytes, path);
  const key = await passwordUnlocker(password)(header);
  const { frames } = scanFrames(bytes.subarray(length), length, 0);
  let previous = genesisHash(header.vaultId);
  const plaintexts = frames.map((frame) => {
    const plaintext = openFrame(key, header.vaultId, frame, previous);
    previous = chainHash(previous, frame.bytes);
    return plaintext;
  });
  const rebuilt: Buffer[] = [bytes.subarray(0, length)];
  previous = genesisHash(header.vaultId);
  for (const [index, plaintext] of transform(plaintexts).entries()) {
    const frame = encodeFrame(seal(key, plaintext, recordAad(header.vaultId, index, previous)));
    rebuilt.push(frame);
    previous = chainHash(previous, frame);
  }
  writeFileSync(path, Buffer.concat(rebuilt));
}
