/**
 * Just enough of Engine.IO v4 and Socket.IO v5 for the connection doctor (issue 25), in one place
 * for its two engines: server/doctor (the CLI and the desktop's main process) and
 * renderer/model/doctor (the web client). Written out rather than borrowed from socket.io-client:
 * the doctor must see every status and packet that a client library hides behind its retries
 * ("Session ID unknown", a WebSocket that never opened).
 *
 * Engine.IO packets are text: 0 open, 1 close, 2 ping, 3 pong, 4 message, 6 noop; a polling body holds
 * several, separated by \x1e. A message carries a Socket.IO packet: 0 connect, 1 disconnect, 2 event,
 * 3 ack, 4 connect error; then an optional "/namespace," and an optional ack id, then JSON.
 */

export const EIO_PATH = '/socket.io/';
export const PACKET_SEPARATOR = '\x1e';

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
 * A namespace the relay does not have: Socket.IO refuses a connect to it at once ("Invalid
 * namespace") without touching chat state or the relay's own handshake checks. One such connect and
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
  /** The next packet other than ping or noop (pings are answered on the way); rejects after `timeoutMs`. */
  receive(timeoutMs: number): Promise<string>;
  close(): void;
}

/**
 * The next packet of a long-polling session other than a ping (answered on the way) or a noop:
 * from `queue` (packets already received), else from the next poll; `poll(leftMs)` answers a body.
 */
export async function receivePolled(queue: string[], timeoutMs: number, send: (packet: string) => Promise<void>, poll: (leftMs: number) => Promise<string>): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const next = queue.shift();
    if (next === '2') await send('3');
    else if (next !== undefined && next !== '6') return next;
    else if (next === undefined) {
      const left = end - Date.now();
      if (left <= 0) throw new Error(`no packet within ${timeoutMs / 1000} s`);
      queue.push(...(await poll(left)).split(PACKET_SEPARATOR).filter(Boolean));
    }
  }
}

/** Sends the probe and times its refusal: one Socket.IO round trip, ms. */
export async function roundTrip(session: EngineSession, timeoutMs = 5000): Promise<number> {
  const started = performance.now();
  await session.send(PROBE);
  for (;;) {
    const packet = await session.receive(timeoutMs);
    if (isProbeAnswer(packet)) return performance.now() - started;
  }
}

/**
 * The URL without credentials, query or fragment. Works on input that does not parse too: a report
 * of a typo must not echo a password, token or join code that came with it.
 */
export function reportableUrl(input: string): string {
  const trimmed = input.trim();
  try {
    const u = new URL(trimmed);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.href;
  } catch {
    return trimmed.replace(/[?#].*$/s, '').replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
  }
}
