import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { type Server, type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../processes';

/**
 * TLS for the stand-in. kubectl (client-go's clientcmd) reads a kubeconfig user's token
 * only when the cluster's server is https ("only try to read the auth information if we
 * are secure"), so a plain-HTTP server would see kubectl as anonymous. The stand-in
 * therefore answers both on one port: a connection opening with a TLS handshake goes to
 * the https server, anything else to the plain one.
 */

export interface Certificate {
  key: string;
  /** Self-signed, for IP 127.0.0.1 and localhost; it is its own CA. */
  cert: string;
}

let shared: Promise<Certificate> | undefined;

/** One throwaway certificate per test process (`openssl req -x509`, P-256, two days). */
export function standInCertificate(): Promise<Certificate> {
  shared ??= makeCertificate();
  return shared;
}

async function makeCertificate(): Promise<Certificate> {
  const dir = mkdtempSync(join(tmpdir(), 'rekey-kube-tls-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    const result = await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=kube-apiserver-stand-in',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ]);
    if (result.code !== 0) throw new Error(`openssl req failed: ${result.stderr}`);
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const TLS_HANDSHAKE = 0x16;

/** A TCP listener handing each connection to `https` or `http` by its first byte. */
export function dualProtocolListener(http: HttpServer, https: HttpsServer) {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === TLS_HANDSHAKE ? https : http).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  return {
    server,
    /** Closes the listener and every connection (watches included). */
    close(): Promise<void> {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      return closed;
    },
  };
}
