/**
 * Which entries of a config file hold secrets, judged by the key's name (the last segment of a
 * key path) or by credentials inside a URL value. Used by `.env` import and host discovery.
 */
const SECRET_KEY =
  /(SECRET|PASSWORD|PASSWD|PASS$|PWD|TOKEN|API_?KEY|_KEY$|^KEY|PRIVATE|CREDENTIAL|AUTH|SALT|SIGNING|DSN)/i;
const CREDENTIALS_IN_URL = /:\/\/[^/\s:@]+:[^/\s@]+@/;

export function looksSecret(key: string, value: string): boolean {
  const lastSegment = key.split('.').pop() ?? key;
  return SECRET_KEY.test(lastSegment) || CREDENTIALS_IN_URL.test(value);
}
