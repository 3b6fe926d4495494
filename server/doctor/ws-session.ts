/**
 * Engine.IO over a WebSocket, opened fresh (`transport=websocket`), the way Parley clients connect
 * first. Keeps what the idle check needs to say who ended a connection and when: the close code (1006:
 * no close frame, so the TCP connection was cut by something in between, or the network), the
 * socket error if any, and the pings answered meanwhile.
 */
import { WebSocket, type ClientOptions } from 'ws';
import type { IncomingMessage } from 'node:http';
import { EIO_PATH, parseOpen, type EngineSession, type OpenInfo } from './engine';
import type { DoctorHttp } from './http';

export interface CloseInfo {
  /** performance.now() when it closed. */
  at: number;
  code: number;
  reason: string;
  /** A socket error seen before the close (ECONNRESET: reset rather than closed). */
  error?: string;
}

/** Why no WebSocket session came about. */
export type WsRefusal =
  | { kind: 'http'; status: number; body: string }
  | { kind: 'network'; code: string; message: string }
  | { kind: 'timeout' }
  | { kind: 'no-open'; close?: CloseInfo };

export class WsRefusedError extends Error {
  constructor(readonly refusal: WsRefusal) {
    super(`WebSocket refused: ${refusal.kind}`);
  }
}

export class WsSession implements EngineSession {
  readonly transport = 'websocket';
  pings = 0;
  closeInfo: CloseInfo | undefined;
  readonly closed: Promise<CloseInfo>;
  private readonly queue: string[] = [];
  private waiter: (() => void) | undefined;
  private error: string | undefined;

  private constructor(
    private readonly ws: WebSocket,
    readonly open: OpenInfo,
    /** performance.now() when the open packet arrived. */
    readonly openedAt: number,
  ) {
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeInfo = { at: performance.now(), code, reason: reason.toString('utf8'), ...(this.error ? { error: this.error } : {}) };
        this.waiter?.();
        resolve(this.closeInfo);
      });
    });
    ws.on('error', (err: NodeJS.ErrnoException) => (this.error = err.code ?? err.message));
    ws.on('message', (data) => {
      const packet = data.toString();
      // The relay pings; a client answers, or the relay drops it after pingInterval + pingTimeout.
      if (packet === '2') {
        this.pings++;
        ws.send('3');
      } else if (packet !== '6') {
        this.queue.push(packet);
        this.waiter?.();
      }
    });
  }

  static connect(http: DoctorHttp, timeoutMs = 10_000): Promise<WsSession> {
    const { target } = http;
    const url = `${target.secure ? 'wss' : 'ws'}://${target.hostname.includes(':') ? `[${target.hostname}]` : target.hostname}:${target.port}${EIO_PATH}?EIO=4&transport=websocket`;
    const options: ClientOptions = {
      headers: http.cookieHeader(),
      handshakeTimeout: timeoutMs,
      perMessageDeflate: false,
      // ws hands these to tls.connect, which takes Node's checkServerIdentity (an Error or undefined).
      ...(target.secure ? (http.trust as ClientOptions) : {}),
    };
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options);
      let settled = false;
      const fail = (refusal: WsRefusal) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ws.terminate();
        reject(new WsRefusedError(refusal));
      };
      // The upgrade itself has handshakeTimeout; this also bounds the wait for the open packet.
      const timer = setTimeout(() => fail({ kind: 'timeout' }), timeoutMs + 1000);
      ws.on('unexpected-response', (req, res: IncomingMessage) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body.length < 4096 ? (body += c) : undefined));
        res.on('end', () => {
          req.destroy();
          fail({ kind: 'http', status: res.statusCode ?? 0, body });
        });
        res.on('error', () => fail({ kind: 'http', status: res.statusCode ?? 0, body }));
      });
      ws.on('error', (err: NodeJS.ErrnoException) => {
        if (/timeout/i.test(err.message)) fail({ kind: 'timeout' });
        else fail({ kind: 'network', code: err.code ?? 'error', message: err.message });
      });
      ws.on('close', (code, reason) => fail({ kind: 'no-open', close: { at: performance.now(), code, reason: reason.toString('utf8') } }));
      ws.once('message', (data) => {
        const open = parseOpen(data.toString());
        if (!open) return fail({ kind: 'no-open' });
        settled = true;
        clearTimeout(timer);
        ws.removeAllListeners('error');
        ws.removeAllListeners('close');
        resolve(new WsSession(ws, open, performance.now()));
      });
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  async send(packet: string): Promise<void> {
    if (!this.isOpen) throw new Error('the WebSocket is closed');
    this.ws.send(packet);
  }

  async receive(timeoutMs: number): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const next = this.queue.shift();
      if (next !== undefined) return next;
      if (this.closeInfo) throw new Error(`the WebSocket closed (code ${this.closeInfo.code})`);
      const left = end - Date.now();
      if (left <= 0) throw new Error(`no packet within ${timeoutMs / 1000} s`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }

  close(): void {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    // A close packet first, so the relay ends the session at once instead of waiting for a ping to fail.
    if (this.isOpen) this.ws.send('1');
    this.ws.close(1000);
    // A peer that never answers the close frame must not hold the doctor (or the CLI) open.
    setTimeout(() => this.ws.terminate(), 1000).unref();
  }
}
