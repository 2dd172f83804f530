import { createHmac } from 'node:crypto';
import { describeHostKey } from './host-key';

/**
 * Pins the user's OpenSSH already trusts, from `known_hosts`: plain and hashed (`|1|salt|hash`,
 * HashKnownHosts) host fields, `[host]:port` for other ports. Revoked (`@revoked`) and CA
 * (`@cert-authority`) lines are not pins and are skipped.
 */

export interface KnownHostKey {
  algorithm: string;
  fingerprint: string;
}

function hostField(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

function matches(pattern: string, wanted: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(wanted).digest('base64');
    return digest === hash;
  }
  return pattern.split(',').some((name) => name === wanted);
}

export function knownHostKeys(text: string, address: string, port: number): KnownHostKey[] {
  const wanted = hostField(address, port);
  const keys: KnownHostKey[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('@')) continue;
    const [hosts, algorithm, blob] = line.split(/\s+/);
    if (!hosts || !algorithm || !blob || !matches(hosts, wanted)) continue;
    keys.push({ algorithm, fingerprint: describeHostKey(Buffer.from(blob, 'base64')).fingerprint });
  }
  return keys;
}
