/**
 * Runs once per connection, before any event: decides whether the socket is a Parley client (it sent
 * valid `auth`) or a classic one (no auth), derives its user id, and records its address.
 */
import type { ExtendedError } from 'socket.io';
import { ErrorCode } from '../../protocol/index';
import { HandshakeAuthSchema } from '../../protocol/schemas';
import { randomUserId, userIdFromKey } from '../identity';
import type { ParleySocket } from './context';
import { clientAddress, type ProxyHops } from '../http/forwarded';
import type { JoinCodeGuard } from './join-code';
import type { PairingDesk } from './pairing-desk';

export interface HandshakeOptions {
  /** Trusted reverse-proxy hops for X-Forwarded-For. */
  proxyHops: ProxyHops;
  /** Set when the relay requires a join code (LAN hosting). */
  joinGuard?: JoinCodeGuard;
  /** Set when the relay also serves TLS: the code must then be proved (pairing), never sent. */
  pairing?: PairingDesk;
}

/**
 * What stays in `socket.handshake.auth` once the middleware is done with it: nothing. The client's
 * secret key must not outlive its use (Socket.IO keeps the handshake for the connection's lifetime,
 * and `fetchSockets` through the Redis adapter would send it to other instances), and an idle
 * connection should not pay for it either.
 */
const SPENT_AUTH = Object.freeze({});

export function handshakeMiddleware(opts: HandshakeOptions) {
  return (socket: ParleySocket, next: (err?: ExtendedError) => void): void => {
    const auth = socket.handshake.auth as Record<string, unknown> | undefined;
    socket.handshake.auth = SPENT_AUTH;
    socket.data.ip = clientAddress(socket.request, opts.proxyHops);
    if (!auth || Object.keys(auth).length === 0) {
      // A classic client cannot present a join code.
      if (opts.joinGuard) return next(connectError(ErrorCode.JOIN_CODE_REQUIRED, 'This session needs a join code (use the Parley app).'));
      socket.data.kind = 'classic';
      socket.data.userId = randomUserId();
      return next();
    }
    const parsed = HandshakeAuthSchema.safeParse(auth);
    if (!parsed.success) {
      return next(connectError(ErrorCode.INVALID_PAYLOAD, `Invalid handshake auth: ${parsed.error.issues[0]?.message ?? 'malformed'}`));
    }
    if (opts.pairing) {
      const verdict = opts.pairing.redeem(socket.data.ip, parsed.data.joinTicket, parsed.data.joinTag);
      if (!verdict.ok) return next(connectError(verdict.code, verdict.message, verdict.retryAfterMs === undefined ? undefined : { retryAfterMs: verdict.retryAfterMs }));
    } else if (opts.joinGuard) {
      const verdict = opts.joinGuard.check(socket.data.ip, parsed.data.joinCode);
      if (!verdict.ok) return next(connectError(verdict.code, verdict.message, verdict.retryAfterMs === undefined ? undefined : { retryAfterMs: verdict.retryAfterMs }));
    }
    socket.data.kind = 'parley';
    socket.data.userId = userIdFromKey(parsed.data.key);
    next();
  };
}

/** A `connect_error` the client can branch on: `err.message` is the code, `err.data` the body. */
export function connectError(code: ErrorCode, message: string, extra?: object): ExtendedError {
  const err = new Error(code) as ExtendedError;
  err.data = { code, message, ...extra };
  return err;
}
