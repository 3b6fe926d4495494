/**
 * Just enough of Engine.IO v4 and Socket.IO v5 to talk to a relay the way its clients do, written out
 * rather than borrowed from socket.io-client: the doctor must see every HTTP status and every packet
 * (a client library hides "Session ID unknown" behind a retry), and socket.io-client is not a
 * production dependency of the relay.
 *
 * Engine.IO packets are text: 0 open, 1 close, 2 ping, 3 pong, 4 message, 6 noop; polling bodies hold
 * several, separated by \x1e. A message carries a Socket.IO packet: 0 connect, 1 disconnect, 2 event,
 * 3 ack, 4 connect error; then an optional "/namespace," and an optional ack id, then JSON.
 */
import type { DoctorHttp } from './http';
import { isUnknownSession, type Answer } from './http';

export const EIO_PATH = '/socket.io/';

/** What the open packet says about the session and the relay's heartbeat. */
export interface OpenInfo {
  sid: string;
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  maxPayload?: number;
}

export function parseOpen(packet: string): OpenInfo | undefined {
  if (!packet.startsWith('0')) return undefined;
  try {
    const o = JSON.parse(packet.slice(1)) as Record<string, unknown>;
    if (typeof o.sid !== 'string' || typeof o.pingInterval !== 'number' || typeof o.pingTimeout !== 'number') return undefined;
    return {
      sid: o.sid,
      upgrades: Array.isArray(o.upgrades) ? o.upgrades.filter((u): u is string => typeof u === 'string') : [],
      pingInterval: o.pingInterval,
      pingTimeout: o.pingTimeout,
      ...(typeof o.maxPayload === 'number' ? { maxPayload: o.maxPayload } : {}),
    };
  } catch {
    return undefined;
  }
}

export interface SioPacket {
  type: number;
  nsp: string;
  id?: number;
  data?: unknown;
}

/** A Socket.IO packet out of an Engine.IO message packet ("4…"), or undefined for anything else. */
export function parseSio(packet: string): SioPacket | undefined {
  const m = /^4(\d)(?:(\/[^,]*),)?(\d+)?(.*)$/s.exec(packet);
  if (!m) return undefined;
  let data: unknown;
  if (m[4]) {
    try {
      data = JSON.parse(m[4]);
    } catch {
      return undefined;
    }
  }
  return { type: Number(m[1]), nsp: m[2] ?? '/', ...(m[3] ? { id: Number(m[3]) } : {}), ...(data === undefined ? {} : { data }) };
}

/**
 * A namespace the relay does not have: connecting to it is refused at once ("Invalid namespace")
 * by Socket.IO itself, without touching chat state or the relay's handshake. One such connect and
 * its refusal is the doctor's round trip.
 */
export const PROBE_NAMESPACE = '/parley-doctor';
export const PROBE = `40${PROBE_NAMESPACE},`;
export const isProbeAnswer = (packet: string): boolean => packet.startsWith(`44${PROBE_NAMESPACE},`) || packet.startsWith(`40${PROBE_NAMESPACE},`);

/** One Engine.IO session, over either transport: send packets, receive the next one that is not a ping. */
export interface EngineSession {
  readonly transport: 'websocket' | 'polling';
  readonly open: OpenInfo;
  send(packet: string): Promise<void>;
  /** The next packet other than ping or noop; pings are answered on the way. */
  receive(timeoutMs: number): Promise<string>;
  close(): void;
}

/** A request on a polling session was answered "Session ID unknown": it reached another instance. */
export class SessionUnknownError extends Error {
  constructor(readonly method: 'GET' | 'POST') {
    super(`${method} on the session was answered "Session ID unknown"`);
  }
}

export interface PollRequest {
  method: 'GET' | 'POST';
  status: number;
  unknownSession: boolean;
}

/** Engine.IO over HTTP long-polling: a POST sends, a GET waits for what the relay has queued. */
export class PollingSession implements EngineSession {
  readonly transport = 'polling';
  /** Every request on the session after the handshake: the affinity check reads them. */
  readonly requests: PollRequest[] = [];
  private readonly queue: string[] = [];
  private closed = false;

  private constructor(
    private readonly http: DoctorHttp,
    readonly open: OpenInfo,
  ) {}

  /** The handshake: a session, or the answer that refused one. */
  static async start(http: DoctorHttp, timeoutMs = 10_000): Promise<{ session: PollingSession; answer: Answer } | { answer: Answer }> {
    const answer = await http.request('GET', `${EIO_PATH}?EIO=4&transport=polling&t=${Date.now().toString(36)}`, undefined, timeoutMs);
    const packets = answer.status === 200 ? answer.body.split('\x1e') : [];
    const open = packets[0] ? parseOpen(packets[0]) : undefined;
    if (!open) return { answer };
    const session = new PollingSession(http, open);
    session.queue.push(...packets.slice(1));
    return { session, answer };
  }

  private path(): string {
    return `${EIO_PATH}?EIO=4&transport=polling&sid=${encodeURIComponent(this.open.sid)}&t=${Date.now().toString(36)}`;
  }

  private log(method: 'GET' | 'POST', answer: Answer): void {
    const unknownSession = isUnknownSession(answer);
    this.requests.push({ method, status: answer.status, unknownSession });
    if (unknownSession) throw new SessionUnknownError(method);
    if (answer.status !== 200) throw new Error(`${method} on the session was answered HTTP ${answer.status}`);
  }

  async send(packet: string): Promise<void> {
    this.log('POST', await this.http.request('POST', this.path(), packet));
  }

  async receive(timeoutMs: number): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const next = this.queue.shift();
      if (next === '2') await this.send('3');
      else if (next !== undefined && next !== '6') return next;
      else if (next === undefined) {
        const left = end - Date.now();
        if (left <= 0) throw new Error(`no packet within ${timeoutMs / 1000} s`);
        const answer = await this.http.request('GET', this.path(), undefined, left);
        this.log('GET', answer);
        this.queue.push(...answer.body.split('\x1e').filter(Boolean));
      }
    }
  }

  /** The close packet; best effort (on a balancer without affinity it may reach another instance). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.http.request('POST', this.path(), '1', 5000).catch(() => undefined);
  }
}

/** Sends the probe and times its refusal: one Socket.IO round trip. */
export async function roundTrip(session: EngineSession, timeoutMs = 5000): Promise<number> {
  const started = performance.now();
  await session.send(PROBE);
  for (;;) {
    const packet = await session.receive(timeoutMs);
    if (isProbeAnswer(packet)) return performance.now() - started;
  }
}
