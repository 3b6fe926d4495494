/**
 * Every client event goes through `dispatch`, with the checks every event needs, in one place: the
 * ack callback is separated from the payload (classic clients send none), the socket's rate bucket is
 * charged, login is required where it must be, the payload is parsed by its schema, and any failure
 * becomes a typed error for this client only: the ack when there is one, else a `parley:error` event.
 *
 * The routes (event → spec + handler) are built once per relay, not per socket: a socket costs one
 * Socket.IO middleware closure instead of a listener, a spec object and a handler closure per event,
 * which is most of what an idle connection would otherwise hold beyond Socket.IO's own state.
 *
 * Routing is central on purpose, and explicit: client events never reach `socket.on` listeners. The
 * ParleySocket type offers `on` for Socket.IO's own events only, a listener added anyway is logged
 * as an error when its event arrives, and the route table refuses to start without a route for
 * every event of protocol/requests.ts.
 */
import type * as z from 'zod';
import {
  declaresError,
  ErrorCode,
  CLIENT_EVENTS,
  ParleyError,
  type AckedEvent,
  type ClientEvent,
  type ErrorBody,
  type OkOf,
  type RequestOf,
} from '../../protocol/index';
import { parsePayload, REQUEST_SCHEMAS } from '../../protocol/schemas';
import type { Connection } from './connection';

/** How the relay runs one event; what it carries, answers and may fail with is in protocol/requests.ts. */
export interface RouteSpec {
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
export class Later<T extends object = object> {
  constructor(readonly result: Promise<T>) {}
}

/** What a handler resolves to: its event's success payload (now or Later), or nothing for an event without an ack. */
export type Reply<E extends ClientEvent> = E extends AckedEvent ? OkOf<E> | Later<OkOf<E>> : void;
type Handler<E extends ClientEvent> = (conn: Connection, payload: RequestOf<E>) => Promise<Reply<E>>;

export interface Route<E extends ClientEvent = ClientEvent> {
  readonly event: E;
  readonly spec: RouteSpec;
  readonly handler: Handler<E>;
  /** The `"<event>" payload` label of validation errors, built once. */
  readonly what: string;
}

/** Declares the handler of one client event; its payload and reply types come from the event's contract. */
export function route<E extends ClientEvent>(event: E, spec: RouteSpec, handler: Handler<E>): Route {
  // Widened once here: the table holds routes of every event, each checked against its own contract above.
  return { event, spec, handler, what: `"${event}" payload` } as unknown as Route;
}

export type Routes = ReadonlyMap<string, Route>;

/** The route table. Every event of the contract must have exactly one route: a missing or repeated one fails at start-up, not when a client first sends it. */
export function routeTable(routes: readonly Route[]): Routes {
  const table = new Map<string, Route>();
  for (const r of routes) {
    if (table.has(r.event)) throw new Error(`Two routes for the client event "${r.event}".`);
    table.set(r.event, r);
  }
  const missing = Object.keys(CLIENT_EVENTS).filter((event) => !table.has(event));
  if (missing.length > 0) throw new Error(`No route for the client events ${missing.map((e) => `"${e}"`).join(', ')}.`);
  return table;
}

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * Handles one incoming event packet (`[event, ...args, ack?]`, as Socket.IO hands it to a socket
 * middleware). Called synchronously on arrival, so a connection's events start in arrival order.
 */
export function dispatch(conn: Connection, routes: Routes, packet: unknown[]): void {
  const event = packet[0];
  const r = typeof event === 'string' ? routes.get(event) : undefined;
  if (r === undefined) return refuseUnknown(conn, packet, event);
  // Caught flooding: the connection is closing; the rest of the flood is not even parsed.
  if (conn.flooding) return;
  const last = packet[packet.length - 1];
  const ack = packet.length > 1 && typeof last === 'function' ? (last as AckFn) : undefined;
  const { spec } = r;
  const fail = (err: unknown): void => {
    if (conn.flooding) return;
    if (err instanceof ParleyError && err.code === ErrorCode.RATE_LIMITED && spec.quietWhenLimited && !ack) return;
    const body = toErrorBody(err, conn.ctx.log, r.event);
    // Sent all the same (the client still learns it failed), but loudly: no client was written for it.
    if (!declaresError(r.event, body.code)) conn.ctx.log.error({ event: r.event, code: body.code }, 'contract break: the event does not declare this error code (protocol/requests.ts)');
    if (ack) ack({ ok: false, ...body });
    else conn.socket.emit('parley:error', { ...body, event: r.event });
  };
  try {
    conn.charge();
    // The payload is the first argument after the event name, when there is one besides the ack.
    const payload = parsePayload(REQUEST_SCHEMAS[r.event] as z.ZodType<RequestOf<ClientEvent>>, packet.length > (ack ? 2 : 1) ? packet[1] : undefined, r.what);
    const run = () => {
      // Checked in turn, not on arrival: an event sent right after `add user` waits for the login.
      if (CLIENT_EVENTS[r.event].needsLogin && !conn.loggedIn) {
        throw new ParleyError(ErrorCode.NOT_LOGGED_IN, 'Log in with "add user" first.');
      }
      return r.handler(conn, payload);
    };
    // Non-serial events still wait for a login in progress, so "add user" then "typing" works.
    const done = spec.serial === false ? (conn.loginGate ?? RESOLVED).then(run) : conn.serial(run);
    if (r.event === 'add user') conn.gateOn(done);
    done
      .then((result) => (result instanceof Later ? result.result : result))
      .then((result) => ack?.({ ok: true, ...(result ?? {}) }), fail);
  } catch (err) {
    fail(err);
  }
}

/**
 * Events no handler listens to (unknown or non-string names, names Socket.IO reserves for itself such
 * as "error") are dropped before dispatch. They still cost the relay a decode, so they are charged to
 * the connection's bucket like any event: a flood of them ends in a disconnect like any other flood.
 * With an ack the client learns why (INVALID_PAYLOAD, or RATE_LIMITED); without one nothing is sent,
 * so junk never makes the relay write more than it read.
 */
function refuseUnknown(conn: Connection, packet: unknown[], event: unknown): void {
  if (conn.flooding) return;
  // Client events never reach socket.on listeners (every packet ends here or in a route), so a
  // listener someone added for one would silently never fire: say so where it can be seen.
  if (typeof event === 'string' && (conn.socket as unknown as { listenerCount(e: string): number }).listenerCount(event) > 0) {
    conn.ctx.log.error({ event }, 'socket.on listener for a client event never fires: add a route in server/chat (protocol/requests.ts first)');
  }
  const last: unknown = packet[packet.length - 1];
  const ack = packet.length > 1 && typeof last === 'function' ? (last as AckFn) : undefined;
  let body: ErrorBody = { code: ErrorCode.INVALID_PAYLOAD, message: 'Unknown event.' };
  try {
    conn.charge();
  } catch (err) {
    if (err instanceof ParleyError) body = err.toBody();
  }
  if (ack && !conn.flooding) ack({ ok: false, ...body });
}

function toErrorBody(err: unknown, log: { error: (o: object, m: string) => void }, event: string): ErrorBody {
  if (err instanceof ParleyError) return err.toBody();
  log.error({ err, event }, 'handler failed');
  return { code: ErrorCode.INTERNAL, message: 'Internal error; nothing was stored.' };
}
