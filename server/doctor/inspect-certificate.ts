/**
 * The one TLS connection in Parley that does not stop at an untrusted certificate: the doctor's look
 * at what a relay presents, so it can say why the certificate is refused (self-signed, expired, made
 * out to another name) and show its fingerprint. The socket sends nothing and is destroyed as soon as
 * the certificate is read; every connection that carries anything verifies (tls.ts).
 * test/security/redis-tls.test.ts allows this file, and only this one, to turn verification off.
 */
import { isIP } from 'node:net';
import { connect, type DetailedPeerCertificate } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { Target } from './target';

const HANDSHAKE_TIMEOUT_MS = 10_000;

export interface Inspection {
  protocol: string | null;
  authorized: boolean;
  authorizationError?: string;
  x509: X509Certificate;
  peer: DetailedPeerCertificate;
}

export function inspect(target: Pick<Target, 'hostname' | 'port'>): Promise<Inspection> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: target.hostname,
      port: target.port,
      ...(isIP(target.hostname) ? {} : { servername: target.hostname }),
      // This socket only looks at the certificate and sends nothing; the verdict is reported below.
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    const timer = setTimeout(() => socket.destroy(new Error(`no TLS handshake within ${HANDSHAKE_TIMEOUT_MS / 1000} s`)), HANDSHAKE_TIMEOUT_MS);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      // The detailed chain first: in Node 20, getPeerCertificate(true) comes back empty once
      // getPeerX509Certificate() has been called on the socket.
      const peer = socket.getPeerCertificate(true);
      const result: Inspection | undefined = peer.raw && {
        protocol: socket.getProtocol(),
        authorized: socket.authorized,
        ...(socket.authorizationError ? { authorizationError: String((socket.authorizationError as NodeJS.ErrnoException).code ?? socket.authorizationError) } : {}),
        x509: new X509Certificate(peer.raw),
        peer,
      };
      socket.destroy();
      if (result) resolve(result);
      else reject(new Error('the server sent no certificate'));
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
