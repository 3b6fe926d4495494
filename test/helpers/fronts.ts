/**
 * Small TCP fronts for a relay, standing for what users put in front of one: a TLS terminator (the
 * relay itself serves plain HTTP; App Service, a gateway or nginx end TLS) and a proxy that closes
 * connections idle for a while (a gateway's or firewall's idle timeout). Both pass bytes through
 * untouched, so HTTP upgrades work through them.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

export interface Front {
  port: number;
  url: string;
  close(): Promise<void>;
}

function splice(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  for (const s of [a, b]) {
    s.on('error', () => undefined);
    s.on('close', () => {
      a.destroy();
      b.destroy();
    });
  }
}

async function listen(server: Server, scheme: string, sockets: Set<Socket>): Promise<Front> {
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: `${scheme}://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** TLS in front of a plain-HTTP relay, with the given certificate. */
export function tlsFront(targetPort: number, cert: { key: string; cert: string }): Promise<Front> {
  const server = createTlsServer({ key: cert.key, cert: cert.cert }, (clear) => splice(clear, connect(targetPort, '127.0.0.1')));
  // A client that drops the handshake (the doctor's certificate inspection) is not an error here.
  server.on('tlsClientError', () => undefined);
  return listen(server, 'https', new Set());
}

/** Closes both sides of any connection that carried no byte either way for `idleMs`, as a gateway would. */
export function idleTimeoutFront(targetPort: number, idleMs: number): Promise<Front> {
  const server = createServer((inbound) => {
    const outbound = connect(targetPort, '127.0.0.1');
    // socket.setTimeout counts inactivity in both directions of that socket: one side is enough.
    inbound.setTimeout(idleMs, () => {
      inbound.destroy();
      outbound.destroy();
    });
    splice(inbound, outbound);
  });
  return listen(server, 'http', new Set());
}
