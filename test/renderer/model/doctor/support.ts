/**
 * The doctor's model tests run the browser engine in Node against real relays: undici's fetch (Node's
 * own) and the `ws` package's WebSocket stand where a page has the browser's. Broken set-ups are made
 * for real: a port nothing listens on, a round-robin proxy over two relays without affinity (which
 * drops WebSocket upgrades too, as a proxy without the Upgrade headers does), and a TCP proxy that cuts
 * idle connections.
 */
import { createServer, request, type Server } from 'node:http';
import { createServer as createTcpServer, connect, type Server as TcpServer, type Socket } from 'node:net';
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import type { BrowserDoctorEnv } from '../../../../renderer/model/doctor/browser-doctor';
import type { WebSocketLike } from '../../../../renderer/model/doctor/socket-checks';

export const nodeEnv = (pageOrigin?: string): BrowserDoctorEnv => ({
  fetch: globalThis.fetch,
  // `ws` implements the browser's addEventListener API; its own types say so in Node's terms.
  openWebSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
  pageOrigin,
});

const closers: (() => Promise<void>)[] = [];
export function useProxies(): void {
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });
}

const listen = async (server: Server | TcpServer): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
};

/**
 * An HTTP proxy that deals requests to `ports` in turn, with no session affinity, and ignores
 * WebSocket upgrades (Node's http server answers none): both faults of a naive load balancer.
 */
export async function roundRobinProxy(ports: number[]): Promise<string> {
  let next = 0;
  const server = createServer((req, res) => {
    const port = ports[next++ % ports.length]!;
    const upstream = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${port}` } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  // An upgrade nobody handles: the connection is closed, as behind a proxy that strips Upgrade.
  server.on('upgrade', (_req, socket: Socket) => socket.destroy());
  const port = await listen(server);
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  server.on('connection', (s) => closers.push(async () => void s.destroy()));
  return `http://127.0.0.1:${port}`;
}

/** A TCP proxy to `port` that cuts any connection quiet for `idleMs`, as a gateway's idle timeout does. */
export async function idleCuttingProxy(port: number, idleMs: number): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((inbound) => {
    const outbound = connect(port, '127.0.0.1');
    sockets.add(inbound).add(outbound);
    const cut = () => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.setTimeout(idleMs, cut);
    inbound.on('error', cut).on('close', cut);
    outbound.on('error', cut).on('close', cut);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  const proxyPort = await listen(server);
  closers.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${proxyPort}`;
}
