/**
 * Hosts over SSH (ssh2): the public face of the SSH connector.
 *
 * - `connectSsh` opens one verified, authenticated connection; `SshPool` keeps one per host
 *   for a run. Files go over SFTP, commands over exec channels of the same connection.
 * - Host keys are pinned: no pin → HOST_KEY_UNKNOWN naming the presented key (confirm it with
 *   `probeHostKey` first), a different key → HOST_KEY_MISMATCH naming both. `HostKeyError`
 *   carries the fingerprints for the UI.
 * - Secrets never travel on a command line: see ssh-exec.ts.
 */
export { HostKeyError, type PresentedHostKey } from './host-key';
export { probeHostKey } from './ssh-connection';
export { SshConnector, connectSsh } from './ssh-connector';
export type { SshAuth, SshEndpoint, SshProbeEndpoint } from './ssh-endpoint';
export { SshPool } from './ssh-pool';
