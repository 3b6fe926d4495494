/**
 * Registers an event handler with the checks every event needs, in one place: the ack callback
 * is separated from the payload (classic clients send none), the socket's rate bucket is charged,
 * login is required where it must be, the payload is parsed by its schema, and any failure becomes a
 * typed error for this client only: the ack when there is one, else a `parley:error` event.
 */
import type { z } from 'zod';
import {
  ErrorCode,
  ParleyError,
  type ClientToServerEvents,
  type ErrorBody,
} from '../../protocol/index';
import { parsePayload } from '../../protocol/schemas';
import type { Connection } from './connection';

export interface GuardSpec<T> {
  schema: z.ZodType<T>;
  /** Events before `add user` are refused with NOT_LOGGED_IN. */
  needsLogin: boolean;
  /** Quietly drop (without an error frame) when rate limited: for high-frequency, low-value events like typing. */
  quietWhenLimited?: boolean;
  /** Run after this connection's earlier events finished (default). Typing opts out: it must not wait behind a slow store write. */
  serial?: boolean;
}

type AckFn = (result: object) => void;

/**
 * Returned by a handler whose ordering-sensitive part is done but whose outcome comes later (a
 * message queued for a store write): the connection's next event may start at once, the ack waits
 * for `result`.
 */
export class Later {
  constructor(readonly result: Promise<object>) {}
}
const noop = (): void => undefined;

export function guard<T>(
  conn: Connection,
  event: keyof ClientToServerEvents,
  spec: GuardSpec<T>,
  handler: (payload: T) => Promise<object | void | Later>,
): void {
  const { socket, ctx } = conn;
  conn.handled.add(event);
  socket.on(event, (...args: unknown[]) => {
    // Caught flooding: the connection is closing; the rest of the flood is not even parsed.
    if (conn.flooding) return;
    const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as AckFn) : undefined;
    const fail = (err: unknown): void => {
      if (conn.flooding) return;
      if (err instanceof ParleyError && err.code === ErrorCode.RATE_LIMITED && spec.quietWhenLimited && !ack) return;
      const body = toErrorBody(err, ctx.log, event);
      if (ack) ack({ ok: false, ...body });
      else socket.emit('parley:error', { ...body, event });
    };
    try {
      conn.charge();
      const payload = parsePayload(spec.schema, args[0], `"${event}" payload`);
      const run = () => {
        // Checked in turn, not on arrival: an event sent right after `add user` waits for the login.
        if (spec.needsLogin && !conn.loggedIn) {
          throw new ParleyError(ErrorCode.NOT_LOGGED_IN, 'Log in with "add user" first.');
        }
        return handler(payload);
      };
      // Non-serial events still wait for a login in progress, so "add user" then "typing" works.
      const done = spec.serial === false ? conn.loginGate.then(run) : conn.serial(run);
      if (event === 'add user') conn.loginGate = done.then(noop, noop);
      done
        .then((result) => (result instanceof Later ? result.result : result))
        .then((result) => ack?.({ ok: true, ...(result ?? {}) }), fail);
    } catch (err) {
      fail(err);
    }
  });
}

/**
 * Events no handler listens to (unknown or non-string names, names Socket.IO reserves for itself such
 * as "error") are dropped before dispatch. They still cost the relay a decode, so they are charged to
 * the connection's bucket like any event: a flood of them ends in a disconnect like any other flood.
 * With an ack the client learns why (INVALID_PAYLOAD, or RATE_LIMITED); without one nothing is sent,
 * so junk never makes the relay write more than it read.
 */
export function refuseUnknownEvents(conn: Connection): void {
  conn.socket.use((packet, next) => {
    const [event] = packet as unknown[];
    if (typeof event === 'string' && conn.handled.has(event)) return next();
    if (conn.flooding) return;
    const last: unknown = packet[packet.length - 1];
    const ack = packet.length > 1 && typeof last === 'function' ? (last as AckFn) : undefined;
    let body: ErrorBody = { code: ErrorCode.INVALID_PAYLOAD, message: 'Unknown event.' };
    try {
      conn.charge();
    } catch (err) {
      if (err instanceof ParleyError) body = err.toBody();
    }
    if (ack && !conn.flooding) ack({ ok: false, ...body });
  });
}

function toErrorBody(err: unknown, log: { error: (o: object, m: string) => void }, event: string): ErrorBody {
  if (err instanceof ParleyError) return err.toBody();
  log.error({ err, event }, 'handler failed');
  return { code: ErrorCode.INTERNAL, message: 'Internal error; nothing was stored.' };
}
