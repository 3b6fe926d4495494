/**
 * TLS for tests: self-signed identities (made once per file: key generation is cheap but not free),
 * a JSON POST that trusts one certificate, and a man in the middle on loopback.
 */
import { request } from 'node:https';
import { createServer, connect, type Server, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createSelfSigned, type TlsIdentity } from '../../server/tls/certificate';
import type { PairStart, PostJson } from '../../protocol/pairing';

const made = new Map<string, Promise<TlsIdentity>>();

/** A self-signed identity for `name`, the same one for the whole test file. */
export function identity(name: string): Promise<TlsIdentity> {
  if (!made.has(name)) made.set(name, createSelfSigned(name));
  return made.get(name)!;
}

/** POSTs JSON, trusting exactly `ca`: what a pinning client does. `headers` adds or overrides headers. */
export function postJsonTrusting(ca: string, headers: Record<string, string> = {}): PostJson {
  return (url: string, body: PairStart | unknown) =>
    new Promise((resolve, reject) => {
      const data = Buffer.from(JSON.stringify(body));
      const req = request(url, { method: 'POST', ca, headers: { 'content-type': 'application/json', 'content-length': data.length, ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* not JSON: the raw text is the body */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.on('error', reject);
      req.end(data);
    });
}

export interface Mitm {
  url: string;
  /** Everything the interceptor read in the clear, both ways. */
  seen(): string;
  close(): Promise<void>;
}

/**
 * A man in the middle: terminates TLS with its own certificate, opens TLS to the real host (whose
 * certificate it does not need to trust: it is the attacker) and relays bytes both ways, reading them.
 */
export async function manInTheMiddle(targetPort: number, own: TlsIdentity): Promise<Mitm> {
  const chunks: Buffer[] = [];
  const sockets = new Set<TLSSocket>();
  const server: Server = createServer({ cert: own.cert, key: own.key }, (client) => {
    const upstream = connect({ host: '127.0.0.1', port: targetPort, rejectUnauthorized: false });
    sockets.add(client).add(upstream);
    client.on('data', (c: Buffer) => {
      chunks.push(c);
      upstream.write(c);
    });
    upstream.on('data', (c: Buffer) => {
      chunks.push(c);
      client.write(c);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen: () => Buffer.concat(chunks).toString('latin1'),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
