/**
 * Speaking Engine.IO v4 / Socket.IO v5 by hand, for the security suite: raw HTTP requests with any
 * Host/Origin header and body, a raw WebSocket that sends exactly the frames a test writes (the `ws`
 * package, no socket.io-client in between), and raw long-polling sessions.
 *
 * Wire format reminders (EIO=4): Engine.IO packet = type digit + data (0 open, 1 close, 2 ping,
 * 3 pong, 4 message, 5 upgrade, 6 noop); a Socket.IO packet rides in a "4" message: type digit
 * (0 CONNECT, 1 DISCONNECT, 2 EVENT, 3 ACK, 4 CONNECT_ERROR, 5 BINARY_EVENT, 6 BINARY_ACK),
 * `<n>-` attachments for binary types, `/nsp,` namespace, ack id digits, then JSON. Long-polling
 * bodies join packets with \x1e.
 */
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import WebSocket from 'ws';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawRequestOptions {
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
  /** Send the body with Transfer-Encoding: chunked, in pieces of this size (no Content-Length). */
  chunkSize?: number;
  localAddress?: string;
  timeoutMs?: number;
}

/** One HTTP request to 127.0.0.1:port with full control of the headers (fetch forbids Host and Origin). */
export function rawHttp(port: number, method: string, path: string, opts: RawRequestOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: OutgoingHttpHeaders = { ...opts.headers };
    if (opts.body !== undefined && opts.chunkSize === undefined) headers['content-length'] = Buffer.byteLength(opts.body);
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, headers, agent: false, ...(opts.localAddress ? { localAddress: opts.localAddress } : {}) },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.setTimeout(opts.timeoutMs ?? 5000, () => req.destroy(new Error(`${method} ${path}: no answer`)));
    req.on('error', reject);
    if (opts.body !== undefined) {
      const buf = Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(opts.body);
      if (opts.chunkSize === undefined) req.write(buf);
      else for (let i = 0; i < buf.length; i += opts.chunkSize) req.write(buf.subarray(i, i + opts.chunkSize));
    }
    req.end();
  });
}

export const SIO_PATH = '/socket.io/';
export const pollingPath = (sid?: string) => `${SIO_PATH}?EIO=4&transport=polling${sid ? `&sid=${encodeURIComponent(sid)}` : ''}`;
export const websocketPath = () => `${SIO_PATH}?EIO=4&transport=websocket`;

export interface RawSocketOptions {
  origin?: string;
  headers?: Record<string, string>;
  localAddress?: string;
}

/** Refused before the WebSocket opened: the HTTP status and body of the refusal. */
export class UpgradeRefused extends Error {
  constructor(readonly status: number, readonly body: string) {
    super(`upgrade refused with ${status}: ${body}`);
    this.name = 'UpgradeRefused';
  }
}

export interface Closed {
  code: number;
  reason: string;
}

/** A WebSocket speaking Engine.IO v4 by hand. It answers pings, and records every frame it gets. */
export class RawSocket {
  /** Every text frame received, in order (Engine.IO level, e.g. `42["new message",{...}]`). */
  readonly frames: string[] = [];
  readonly closed: Promise<Closed>;
  private ackId = 0;
  private waiters: { test: (frame: string) => boolean; resolve: (frame: string) => void }[] = [];
  private closedInfo: Closed | undefined;

  private constructor(readonly ws: WebSocket, readonly handshake: { sid: string; maxPayload: number }) {
    this.closed = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        this.closedInfo = { code, reason: reason.toString() };
        resolve(this.closedInfo);
      });
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = data.toString();
      if (frame === '2') {
        this.sendRaw('3');
        return;
      }
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
  }

  /** Opens the WebSocket and waits for the Engine.IO open packet; rejects with UpgradeRefused when refused. */
  static open(port: number, opts: RawSocketOptions = {}): Promise<RawSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}${websocketPath()}`, {
        perMessageDeflate: false,
        // Without `origin`, ws sends no Origin header, like a native client.
        ...(opts.origin !== undefined ? { origin: opts.origin } : {}),
        ...(opts.headers ? { headers: opts.headers } : {}),
        ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
        handshakeTimeout: 5000,
      });
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error('no Engine.IO open packet within 5 s'));
      }, 5000);
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => {
          clearTimeout(timer);
          reject(new UpgradeRefused(res.statusCode ?? 0, body));
        });
      });
      ws.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      ws.once('message', (data) => {
        clearTimeout(timer);
        const text = data.toString();
        if (!text.startsWith('0')) return reject(new Error(`expected an open packet, got ${text.slice(0, 80)}`));
        const open = JSON.parse(text.slice(1)) as { sid: string; maxPayload: number };
        ws.removeAllListeners('error');
        ws.on('error', () => undefined); // a server closing mid-frame must not throw in the test
        resolve(new RawSocket(ws, open));
      });
    });
  }

  /** Opens and connects to the main namespace; resolves with the CONNECT (40) or CONNECT_ERROR (44) frame. */
  static async connect(port: number, auth?: object, opts: RawSocketOptions = {}): Promise<{ socket: RawSocket; reply: string }> {
    const socket = await RawSocket.open(port, opts);
    const reply = socket.waitFor((f) => f.startsWith('40') || f.startsWith('44'));
    socket.sendRaw(auth === undefined ? '40' : `40${JSON.stringify(auth)}`);
    return { socket, reply: await reply };
  }

  get isOpen(): boolean {
    return this.closedInfo === undefined && this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends one frame exactly as given (text or binary). Silently ignored once closed. */
  sendRaw(frame: string | Buffer): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
  }

  /** A Socket.IO EVENT without an ack. */
  emit(event: unknown, ...args: unknown[]): void {
    this.sendRaw(`42${JSON.stringify([event, ...args])}`);
  }

  /** A Socket.IO EVENT with an ack id; resolves with the ack's arguments. */
  async request(event: unknown, ...args: unknown[]): Promise<unknown[]> {
    const id = ++this.ackId;
    const frame = this.waitFor((f) => f.startsWith(`43${id}[`));
    this.sendRaw(`42${id}${JSON.stringify([event, ...args])}`);
    return JSON.parse((await frame).slice(2 + String(id).length)) as unknown[];
  }

  /** Resolves with the first frame (already received or future) that passes `test`. */
  waitFor(test: (frame: string) => boolean, ms = 3000): Promise<string> {
    const seen = this.frames.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`no matching frame within ${ms} ms (got ${this.frames.length}: ${this.frames.slice(-3).join(' | ').slice(0, 300)})`));
      }, ms);
      const done = (f: string) => {
        clearTimeout(timer);
        resolve(f);
      };
      this.waiters.push({ test, resolve: done });
    });
  }

  /** The Socket.IO events of a given name received so far (payloads of `42["name", payload]`). */
  events(name: string): unknown[] {
    return this.frames.flatMap((f) => {
      if (!f.startsWith('42[')) return [];
      const [event, payload] = JSON.parse(f.slice(2)) as [unknown, unknown];
      return event === name ? [payload] : [];
    });
  }

  /** Resolves true if the socket closes within `ms`, false if it is still open then. */
  async closesWithin(ms: number): Promise<boolean> {
    return Promise.race([this.closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
  }

  close(): void {
    this.ws.terminate();
  }
}

/** A raw HTTP long-polling session (no upgrade). */
export class RawPolling {
  private constructor(readonly port: number, readonly sid: string, private readonly headers: OutgoingHttpHeaders) {}

  static async open(port: number, headers: OutgoingHttpHeaders = {}): Promise<RawPolling> {
    const res = await rawHttp(port, 'GET', pollingPath(), { headers });
    if (res.status !== 200 || !res.body.startsWith('0')) throw new Error(`polling handshake failed: ${res.status} ${res.body}`);
    const { sid } = JSON.parse(res.body.slice(1)) as { sid: string };
    return new RawPolling(port, sid, headers);
  }

  /** Opens and connects to the main namespace; resolves with the session and the CONNECT reply. */
  static async connect(port: number, auth?: object, headers: OutgoingHttpHeaders = {}): Promise<{ session: RawPolling; reply: string }> {
    const session = await RawPolling.open(port, headers);
    const post = await session.post(auth === undefined ? '40' : `40${JSON.stringify(auth)}`);
    if (post.status !== 200) throw new Error(`connect POST failed: ${post.status} ${post.body}`);
    const reply = await session.poll();
    return { session, reply: reply.body };
  }

  post(body: string | Buffer, opts: Omit<RawRequestOptions, 'body'> = {}): Promise<RawResponse> {
    return rawHttp(this.port, 'POST', pollingPath(this.sid), {
      ...opts,
      headers: { 'content-type': 'text/plain;charset=UTF-8', ...this.headers, ...opts.headers },
      body,
    });
  }

  /** One GET: the packets the server has for this session (it holds the request up to pingInterval when it has none). */
  poll(timeoutMs = 5000): Promise<RawResponse> {
    return rawHttp(this.port, 'GET', pollingPath(this.sid), { headers: this.headers, timeoutMs });
  }
}
