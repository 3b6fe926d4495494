/**
 * What one client address may hold of the relay: open Socket.IO connections, new ones per unit of
 * time, Engine.IO sessions (a polling session that never sends CONNECT costs memory until it times
 * out), and how long a connection may stay without logging in. Addresses behind a proxy are read
 * from X-Forwarded-For only when the relay trusts that proxy (http/forwarded.ts).
 *
 * The defaults leave room for many people behind one NAT (an office, a campus) while keeping a
 * single hostile host to a bounded share. Loopback is not limited: it is this computer (the desktop
 * app's own window), or a proxy on it whose X-Forwarded-For the relay was not told to trust, where
 * every client would share one address and the cap would become the relay's total.
 */
import type { ExtendedError } from 'socket.io';
import { ErrorCode } from '../../protocol/index';
import type { ParleySocket } from './context';
import { connectError } from './handshake';
import { MemoryRateLimiter, type BucketSpec } from '../stores/token-bucket';

export interface AddressLimitSpec {
  /** Open Socket.IO connections per address; Engine.IO sessions may reach twice this (upgrades in flight). */
  connections: number;
  /** New Socket.IO connections per address. */
  handshakes: BucketSpec;
  /** A Parley client logs in right after connecting; one that has not by then is closed. */
  loginDeadlineMs: number;
  /** The classic client connects on page load and logs in when a person has typed a name. */
  classicLoginDeadlineMs: number;
}

export const DEFAULT_ADDRESS_LIMITS: AddressLimitSpec = {
  connections: 256,
  handshakes: { capacity: 120, perSecond: 2 },
  loginDeadlineMs: 30_000,
  classicLoginDeadlineMs: 10 * 60_000,
};

export type AddressVerdict = { ok: true } | { ok: false; code: ErrorCode; message: string; retryAfterMs?: number };

export class AddressLimits {
  private readonly sockets = new Map<string, number>();
  private readonly sessions = new Map<string, number>();
  private readonly handshakes: MemoryRateLimiter;

  constructor(readonly spec: AddressLimitSpec) {
    this.handshakes = new MemoryRateLimiter(spec.handshakes);
  }

  /** A new Engine.IO session from `ip` (allowRequest): refused past twice the connection cap. */
  admitSession(ip: string): boolean {
    return isLoopback(ip) || (this.sessions.get(ip) ?? 0) < this.spec.connections * 2;
  }

  sessionOpened(ip: string): void {
    this.sessions.set(ip, (this.sessions.get(ip) ?? 0) + 1);
  }

  sessionClosed(ip: string): void {
    decrement(this.sessions, ip);
  }

  /** A new Socket.IO connection from `ip`; counted when admitted, until `socketClosed`. */
  admitSocket(ip: string): AddressVerdict {
    if (isLoopback(ip)) return { ok: true };
    if ((this.sockets.get(ip) ?? 0) >= this.spec.connections) {
      return { ok: false, code: ErrorCode.TOO_MANY_CONNECTIONS, message: `At most ${this.spec.connections} connections from one address.` };
    }
    const rate = this.handshakes.take(ip);
    if (!rate.ok) return { ok: false, code: ErrorCode.RATE_LIMITED, message: 'Too many new connections from this address; wait a moment.', retryAfterMs: rate.retryAfterMs };
    this.sockets.set(ip, (this.sockets.get(ip) ?? 0) + 1);
    return { ok: true };
  }

  socketClosed(ip: string): void {
    decrement(this.sockets, ip);
  }
}

export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1' || ip.startsWith('::ffff:127.');
}

function decrement(counts: Map<string, number>, key: string): void {
  const n = (counts.get(key) ?? 0) - 1;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}

/**
 * Socket.IO middleware, registered after the handshake middleware (which may still refuse the
 * socket): a socket admitted here is sure to connect, so its place is freed on 'disconnect'.
 */
export function addressMiddleware(limits: AddressLimits) {
  return (socket: ParleySocket, next: (err?: ExtendedError) => void): void => {
    const ip = socket.data.ip;
    const verdict = limits.admitSocket(ip);
    if (!verdict.ok) return next(connectError(verdict.code, verdict.message, verdict.retryAfterMs === undefined ? undefined : { retryAfterMs: verdict.retryAfterMs }));
    socket.once('disconnect', () => limits.socketClosed(ip));
    next();
  };
}
