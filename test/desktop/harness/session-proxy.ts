/**
 * The network path of one desktop's windows, so that its session decides their TLS connections as
 * Electron's does. A plain Chromium has no setCertificateVerifyProc, so each window's browser context
 * sends its traffic through this forward proxy (started per desktop, closed when its app has quit)
 * with Chromium's own certificate check switched off (`ignoreHTTPSErrors`): the proxy asks the
 * session before letting a TLS handshake through, so the session's decision replaces Chromium's as
 * the proc replaces it in Electron.
 *
 *  - https and wss (and ws, which Chromium always tunnels through an HTTP proxy) arrive as CONNECT.
 *    The target is connected to, the tunnel answered, then its first bytes tell TLS (a handshake
 *    record) from plain HTTP: a TLS one goes through only if the session accepts the certificate
 *    the target presents; a refused one is closed before any byte reaches the target, so the page
 *    sees a network error (net::ERR_CONNECTION_CLOSED here; in Electron, the code the proc gave, -2 = net::ERR_FAILED).
 *  - plain http arrives as absolute-URI requests and is forwarded as is.
 *  - a target that cannot be reached resets the page's connection: a network error, as without
 *    the proxy (net::ERR_CONNECTION_RESET where Chromium alone would say ERR_CONNECTION_REFUSED).
 *
 * Chromium never proxies loopback unless told (`<-loopback>`), and LAN hosts are tested on
 * 127.0.0.1, so the contexts say so. The renderer's origin (the app:// stand-in, which is no network
 * traffic in Electron) is reached directly.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** One connection or request the proxy carried: `tls` and `tunnel` are CONNECT tunnels (with and without TLS), `http` a forwarded request. */
export interface ProxiedTraffic {
  kind: 'tls' | 'tunnel' | 'http';
  /** host:port, as the page addressed it. */
  target: string;
  /** For `tls`: whether the session let the handshake through. */
  allowed?: boolean;
}

export interface SessionProxyOptions {
  /** host:port Chromium reaches without the proxy: the renderer server. */
  direct: readonly string[];
  /** The session's decision on a TLS handshake with hostname:port. */
  allowsTls(hostname: string, port: number): Promise<boolean>;
}

export interface SessionProxy {
  /** The `proxy` option of a window's browser context. */
  contextProxy(): Promise<{ server: string; bypass: string }>;
  readonly traffic: ProxiedTraffic[];
  close(): Promise<void>;
}

/**
 * Chromium's own services, which Electron does not call (autofill queries for the app's forms go to
 * content-autofill.googleapis.com): reached directly, as before the proxy, so that no session
 * decision and no record is about traffic the app never makes.
 */
const CHROMIUM_SERVICES = ['*.googleapis.com', '*.google.com', '*.gvt1.com'];

/** Headers for one connection only (RFC 9110 §7.6.1), which a proxy does not pass on. */
const HOP_BY_HOP = ['connection', 'proxy-connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

/** rawHeaders (name, value, name, value…) without the hop-by-hop ones, including those Connection names. */
function endToEnd(raw: readonly string[]): string[] {
  const drop = new Set(HOP_BY_HOP);
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === 'connection') for (const token of raw[i + 1]!.split(',')) drop.add(token.trim().toLowerCase());
  }
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (!drop.has(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!);
  return out;
}

/** "host:port" or "[v6]:port" of a CONNECT line. */
function authority(target: string): { hostname: string; port: number } | null {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(target);
  if (!match) return null;
  return { hostname: (match[1] ?? match[2]!).toLowerCase(), port: Number(match[3]) };
}

/** The first bytes the page sends into a tunnel (held back: the socket is paused until piped). */
function firstBytes(client: Duplex, head: Buffer): Promise<Buffer | null> {
  if (head.length > 0) return Promise.resolve(head);
  return new Promise((resolve) => {
    const done = (chunk: Buffer | null) => {
      client.off('data', onData);
      client.off('close', onClose);
      resolve(chunk);
    };
    const onData = (chunk: Buffer) => {
      client.pause();
      done(chunk);
    };
    const onClose = () => done(null);
    client.on('data', onData);
    client.once('close', onClose);
  });
}

/** A TLS record starts with its content type; 22 is a handshake (the ClientHello). */
const TLS_HANDSHAKE = 0x16;

export function startSessionProxy(options: SessionProxyOptions): SessionProxy {
  const traffic: ProxiedTraffic[] = [];
  const sockets = new Set<Socket | Duplex>();
  const track = <T extends Socket | Duplex>(socket: T): T => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    return socket;
  };
  /**
   * What the page gets when the target cannot be reached: a reset connection, a network error as
   * without the proxy (a 502 would be an answer, which a fetch would take for the server's).
   */
  const unreachable = (socket: Socket) => socket.resetAndDestroy();

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('desktop harness proxy: absolute http:// URL expected');
      return;
    }
    if (target.protocol !== 'http:') {
      res.writeHead(400).end('desktop harness proxy: only http:// is forwarded; https goes through CONNECT');
      return;
    }
    traffic.push({ kind: 'http', target: target.host });
    const upstream = httpRequest(
      {
        host: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port || 80,
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers: endToEnd(req.rawHeaders),
        // A connection per request: a pooled one the target has closed meanwhile would fail a
        // request that Chromium, connecting itself, would have retried.
        agent: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.rawHeaders));
        answer.pipe(res);
      },
    );
    upstream.on('error', () => (res.headersSent ? res.destroy() : unreachable(req.socket)));
    // The page gave up (navigation, aborted fetch, closed window): so does the request upstream.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };

  const tunnel = (req: IncomingMessage, client: Duplex, head: Buffer) => {
    const socket = track(client as Socket); // a CONNECT's socket is the page's TCP connection
    socket.on('error', () => socket.destroy());
    const target = req.url ?? '';
    const to = authority(target);
    if (!to) {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    // The target first, as Chromium connects before it shakes hands: unreachable, the page sees a failed connection.
    const upstream = track(connect(to.port, to.hostname));
    let connected = false;
    upstream.on('error', () => (connected ? socket.destroy() : unreachable(socket)));
    upstream.once('close', () => socket.destroy());
    socket.once('close', () => upstream.destroy());
    upstream.once('connect', () => {
      connected = true;
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      void (async () => {
        const first = await firstBytes(socket, head);
        if (!first) return;
        const entry: ProxiedTraffic = { kind: first[0] === TLS_HANDSHAKE ? 'tls' : 'tunnel', target };
        traffic.push(entry);
        if (entry.kind === 'tls') {
          entry.allowed = await options.allowsTls(to.hostname, to.port).catch(() => false);
          // Refused, or no certificate to judge: closed before the page's handshake reaches the
          // target, so the page sees a network error, as a refusing proc gives it in Electron.
          if (!entry.allowed) {
            socket.destroy();
            return;
          }
        }
        if (socket.destroyed || upstream.destroyed) return;
        upstream.write(first);
        upstream.pipe(socket);
        socket.pipe(upstream);
      })();
    });
  };

  const server = createServer(forward);
  server.on('connect', tunnel);
  server.on('connection', (socket: Socket) => void track(socket));
  const listening = new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  listening.catch(() => undefined); // a failure surfaces where the port is awaited
  // A desktop a test forgot to quit must not keep the worker alive.
  server.unref();

  return {
    traffic,
    contextProxy: async () => ({ server: `http://127.0.0.1:${await listening}`, bypass: ['<-loopback>', ...options.direct, ...CHROMIUM_SERVICES].join(',') }),
    close: async () => {
      await listening.catch(() => undefined);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
