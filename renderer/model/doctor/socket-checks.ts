/**
 * What a page can learn of a relay over a WebSocket: whether one opens at all (proxies that strip the
 * Upgrade header, Azure App Service with WebSockets off), round trips, what the relay answers a Parley
 * handshake that carries no join code, and, when asked, whether an idle connection survives.
 * A browser tells nothing about why a WebSocket failed (no HTTP status, no error text): only the
 * close code, whether the close was clean, and when.
 */
import { EIO_PATH, cacheBuster, duration, parseOpen, parseSio, percentile, roundTrip, throwawayKey, type EngineSession, type OpenInfo } from './engine-io';
import { ok, problem, skip, type Outcome } from './report';
import type { Target } from './http-checks';
import { PROTOCOL_VERSION } from '../../../protocol/index';

/** The part of the WebSocket API the doctor uses (a browser's, or `ws` in the Node tests). */
export interface WebSocketLike {
  readonly readyState: number;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string; wasClean: boolean }) => void): void;
  send(data: string): void;
  close(code?: number): void;
}
export type OpenWebSocket = (url: string) => WebSocketLike;

export interface CloseInfo {
  /** ms after the session opened (or after the attempt began, when it never opened). */
  after: number;
  code: number;
  wasClean: boolean;
}

const OPEN = 1;

export class WsSession implements EngineSession {
  readonly transport = 'websocket';
  pings = 0;
  closeInfo: CloseInfo | undefined;
  readonly closed: Promise<CloseInfo>;
  private readonly queue: string[] = [];
  private wake: (() => void) | undefined;

  private constructor(
    private readonly ws: WebSocketLike,
    readonly open: OpenInfo,
    rest: string[],
    readonly openedAt: number,
  ) {
    this.queue.push(...rest);
    this.closed = new Promise((resolve) => {
      ws.addEventListener('close', (e) => {
        this.closeInfo = { after: performance.now() - openedAt, code: e.code, wasClean: e.wasClean };
        this.wake?.();
        resolve(this.closeInfo);
      });
    });
    ws.addEventListener('message', (e) => {
      const packet = String(e.data);
      // The relay pings; a client answers, or the relay drops it after pingInterval + pingTimeout.
      if (packet === '2') {
        this.pings += 1;
        ws.send('3');
      } else if (packet !== '6') {
        this.queue.push(packet);
        this.wake?.();
      }
    });
  }

  /** A fresh WebSocket session (transport=websocket, as Parley clients connect first), or why none came. */
  static connect(openWs: OpenWebSocket, target: Target, timeoutMs = 10_000): Promise<WsSession | CloseInfo> {
    const started = performance.now();
    return new Promise((resolve) => {
      let ws: WebSocketLike;
      try {
        ws = openWs(`${target.wsOrigin}${EIO_PATH}?EIO=4&transport=websocket&t=${cacheBuster()}`);
      } catch {
        return resolve({ after: 0, code: 0, wasClean: false });
      }
      let settled = false;
      const timer = setTimeout(() => settle({ after: performance.now() - started, code: 0, wasClean: false }), timeoutMs);
      const settle = (outcome: WsSession | CloseInfo) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!(outcome instanceof WsSession)) ws.close();
        resolve(outcome);
      };
      // The close that follows says what there is to say; an error event must still have a listener
      // (Node's `ws` throws one that has none).
      ws.addEventListener('error', () => undefined);
      ws.addEventListener('close', (e) => settle({ after: performance.now() - started, code: e.code, wasClean: e.wasClean }));
      const first = (e: { data: unknown }) => {
        if (settled) return;
        const open = parseOpen(String(e.data));
        if (!open) return settle({ after: performance.now() - started, code: 0, wasClean: false });
        settle(new WsSession(ws, open, [], performance.now()));
      };
      ws.addEventListener('message', first);
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === OPEN && !this.closeInfo;
  }

  async send(packet: string): Promise<void> {
    if (!this.isOpen) throw new Error('the WebSocket is closed');
    this.ws.send(packet);
  }

  async receive(timeoutMs: number): Promise<string> {
    const end = performance.now() + timeoutMs;
    for (;;) {
      const next = this.queue.shift();
      if (next !== undefined) return next;
      if (this.closeInfo) throw new Error(`the WebSocket closed (code ${this.closeInfo.code})`);
      const left = end - performance.now();
      if (left <= 0) throw new Error(`no packet within ${duration(timeoutMs)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  close(): void {
    if (!this.isOpen) return;
    // A close packet first, so the relay ends the session at once rather than at a missed ping.
    this.ws.send('1');
    this.ws.close(1000);
  }
}

/**
 * `polling`: long-polling works (the app still connects without WebSockets); `originRefused` (by the
 * polling check): the relay refuses this page's origin, the likelier reason for a WebSocket that fails.
 */
export async function checkWebSocket(openWs: OpenWebSocket, target: Target, polling: boolean, originRefused = false): Promise<{ outcome: Outcome; session?: WsSession }> {
  const started = performance.now();
  const attempt = await WsSession.connect(openWs, target);
  if (attempt instanceof WsSession) {
    try {
      const rtt = await roundTrip(attempt);
      return { session: attempt, outcome: ok(`A WebSocket to ${target.wsOrigin}${EIO_PATH} opened in ${duration(attempt.openedAt - started)} and answered a round trip in ${duration(rtt)}.`) };
    } catch (err) {
      attempt.close();
      return { outcome: problem('websocket', 'fail', `A WebSocket opened but did not answer: ${err instanceof Error ? err.message : String(err)}.`, 'A proxy in front may buffer WebSocket frames or cut them: check its WebSocket settings.') };
    }
  }
  const how = attempt.code === 0 ? `no answer within ${duration(attempt.after)}` : `closed with code ${attempt.code}${attempt.wasClean ? '' : ' (no close frame)'} after ${duration(attempt.after)}`;
  if (originRefused) {
    return {
      outcome: problem('websocket', 'fail', `A WebSocket to ${target.wsOrigin}${EIO_PATH} did not open: ${how}. The relay does not accept this page's origin (see polling), and refuses its WebSockets too.`, "Add this page's origin to the relay's ALLOWED_ORIGINS."),
    };
  }
  const fallback = polling ? ' Long-polling works, so Parley still connects, more slowly and with more load on the relay.' : '';
  return {
    outcome: problem(
      'websocket',
      'fail',
      `A WebSocket to ${target.wsOrigin}${EIO_PATH} did not open: ${how}.${fallback}`,
      'A proxy or gateway in front may drop the Upgrade and Connection headers (nginx: proxy_http_version 1.1 and proxy_set_header Upgrade/Connection), or WebSockets are turned off (Azure App Service: Configuration → Web sockets: On).',
    ),
  };
}

const LATENCY_ROUNDS = 10;

/** p50 and p95 of round trips on the session (WebSocket when it opened, else long-polling). */
export async function checkLatency(session: EngineSession): Promise<Outcome> {
  const samples: number[] = [];
  try {
    for (let i = 0; i < LATENCY_ROUNDS; i++) samples.push(await roundTrip(session));
  } catch (err) {
    if (samples.length === 0) return problem('latency', 'fail', `No round trip came back: ${err instanceof Error ? err.message : String(err)}.`, 'The connection stalls: see the websocket and affinity checks.');
  }
  const p50 = percentile(samples, 50);
  const p95 = percentile(samples, 95);
  const detail = `${samples.length} round trips over ${session.transport === 'websocket' ? 'WebSocket' : 'long-polling'}: p50 ${duration(p50)}, p95 ${duration(p95)}.`;
  if (p95 > 1000) return problem('latency', 'warn', `${detail} That is slow: messages will take a noticeable moment.`, 'A slow or overloaded network or relay, or a VPN that routes far away.');
  return ok(detail);
}

/**
 * A Parley handshake without a join code, on the session: the relay either connects it (no code
 * needed) and then refuses a request for not being logged in, the way only a Parley relay does, or
 * refuses the connect with its reason. No code is ever sent, and the throwaway key is not kept.
 */
export async function checkProtocol(session: EngineSession): Promise<{ protocol: Outcome; joinCode: Outcome }> {
  try {
    await session.send(`40${JSON.stringify({ client: 'parley', protocol: PROTOCOL_VERSION, key: throwawayKey() })}`);
    for (;;) {
      const packet = parseSio(await session.receive(5000));
      if (!packet || packet.nsp !== '/') continue;
      if (packet.type === 0) return await probeRequests(session);
      if (packet.type === 4) return refusal(packet.data);
    }
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return {
      protocol: problem('protocol', 'warn', `The relay did not answer a Parley handshake: ${why}.`, 'This may not be a Parley relay (a classic chat server answers too, but differently).'),
      joinCode: skip('Not known: the relay did not answer the handshake.'),
    };
  }
}

async function probeRequests(session: EngineSession): Promise<{ protocol: Outcome; joinCode: Outcome }> {
  const joinCode = ok('No join code needed: anyone who can reach this relay can join.');
  try {
    await session.send('421["room:list"]');
    for (;;) {
      const packet = parseSio(await session.receive(3000));
      if (packet?.type !== 3 || packet.id !== 1) continue;
      const answer = Array.isArray(packet.data) ? (packet.data[0] as { ok?: unknown; code?: unknown } | undefined) : undefined;
      if (answer?.ok === false && answer.code === 'NOT_LOGGED_IN') {
        return { joinCode, protocol: ok(`A Parley relay: it accepted a protocol ${PROTOCOL_VERSION} handshake and answers Parley requests.`) };
      }
      return { joinCode, protocol: problem('protocol', 'warn', 'The relay accepted the handshake but answered a Parley request unexpectedly.', 'The relay may run another version of Parley than this app: update whichever is older.') };
    }
  } catch {
    return {
      joinCode: skip('Not known: this does not look like a Parley relay.'),
      protocol: problem('protocol', 'fail', 'The server accepted the connection but does not answer Parley requests: it is a Socket.IO server, but not a Parley relay (or a much older one).', 'Check the address: Parley needs a Parley relay (`parley-server`).'),
    };
  } finally {
    await session.send('41').catch(() => undefined);
  }
}

function refusal(data: unknown): { protocol: Outcome; joinCode: Outcome } {
  const body = typeof data === 'object' && data !== null ? (data as { message?: unknown; data?: { code?: unknown; message?: unknown; retryAfterMs?: unknown } }) : {};
  const code = typeof body.data?.code === 'string' ? body.data.code : typeof body.message === 'string' ? body.message : 'unknown';
  const parley = ok(`A Parley relay: it answered a protocol ${PROTOCOL_VERSION} handshake with its own refusal (${code}).`);
  if (code === 'JOIN_CODE_REQUIRED') return { protocol: parley, joinCode: ok('This relay needs a join code: the host shows it, and Parley asks for it when you join.') };
  if (code === 'LOCKED_OUT') {
    const wait = typeof body.data?.retryAfterMs === 'number' ? ` for ${duration(body.data.retryAfterMs)}` : '';
    return { protocol: parley, joinCode: problem('join-code', 'warn', `This relay needs a join code, and this address is locked out${wait} after too many wrong ones.`, 'Wait, then ask the host for the code and type it carefully.') };
  }
  if (code === 'INVALID_PAYLOAD') {
    return {
      protocol: problem('protocol', 'fail', `The relay refused Parley's handshake (${code}).`, 'The relay runs another version of Parley than this app: update whichever is older.'),
      joinCode: skip('Not known: the handshake was refused before the join code was looked at.'),
    };
  }
  return { protocol: parley, joinCode: skip(`Not known: the relay refused the handshake first (${code}).`) };
}

/** Holds a WebSocket session idle for `seconds`, answering the relay's pings, and says whether and how it ended. */
export async function checkIdle(openWs: OpenWebSocket, target: Target, seconds: number): Promise<Outcome> {
  const attempt = await WsSession.connect(openWs, target);
  if (!(attempt instanceof WsSession)) return skip('Not run: no WebSocket opened for it (see websocket).');
  const interval = duration(attempt.open.pingInterval);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const held = new Promise<'held'>((resolve) => (timer = setTimeout(() => resolve('held'), seconds * 1000)));
  const outcome = await Promise.race([held, attempt.closed]);
  clearTimeout(timer);
  if (outcome === 'held') {
    attempt.close();
    // Shorter than the ping interval, the connection was never quiet for as long as it is between pings.
    const short = seconds * 1000 <= attempt.open.pingInterval ? ` That is within one ping interval: hold it longer than ${interval} to catch a gateway that cuts quiet connections sooner than the relay pings.` : '';
    return ok(`An idle connection was held for ${seconds} s and stayed open; the relay pinged ${attempt.pings} time${attempt.pings === 1 ? '' : 's'} (every ${interval}).${short}`);
  }
  const who = outcome.wasClean ? `closed with code ${outcome.code}` : `cut without a close frame (code ${outcome.code}): something between this browser and the relay dropped it`;
  return problem(
    'idle',
    'fail',
    `An idle connection was ${who} after ${duration(outcome.after)}, with ${attempt.pings} ping${attempt.pings === 1 ? '' : 's'} answered (the relay pings every ${interval}).`,
    `A gateway, proxy or firewall cuts quiet connections too soon: set its idle timeout well above the relay's ping interval (${interval}). Azure Application Gateway, nginx proxy_read_timeout, HAProxy timeout tunnel.`,
  );
}
