/**
 * Per-connection state that must not travel with `socket.data` (which the Redis adapter serialises
 * for remote `fetchSockets`): the event bucket, the serial queue, typing state.
 *
 * An idle connection is the common case (a relay holds thousands that mostly listen), so everything
 * here is a plain field, and whatever only a busy connection needs (a pending queue, typing rooms,
 * rate-limit strikes) is created when first needed and dropped again when done.
 */
import { ErrorCode, ParleyError, type ErrorBody } from '../../protocol/index';
import type { Target } from './addressing';
import type { ChatContext, ParleySocket } from './context';

const RESOLVED: Promise<void> = Promise.resolve();
const noop = (): void => undefined;

export class Connection {
  /** Where this socket is currently shown as typing; undefined while it types nowhere. */
  typing: Map<string, Target> | undefined = undefined;
  /** Typing notices this socket raised in the current second (see chat/typing.ts), and when that second began. */
  typingNotices = 0;
  typingSecond = 0;
  /** Messages are refused until then: the rest of a burst that hit the rate limit. */
  messagesBlockedUntil = 0;
  /** Settles when the `add user` in progress has been handled; undefined when none is. */
  loginGate: Promise<void> | undefined = undefined;
  /**
   * Set once the connection was caught flooding: it is being closed, and whatever else it already
   * sent is dropped unread, without an error frame each (which would make the relay write more than
   * the flooder does).
   */
  flooding = false;
  // The socket's event bucket (see TokenBucket), inlined: two numbers instead of an object each.
  private tokens: number;
  private tokensAt: number;
  /** Times of recent rate-limit rejections; undefined until the first. */
  private strikes: number[] | undefined = undefined;
  /** The last event handler queued by `serial`; undefined when the queue is empty. */
  private tail: Promise<void> | undefined = undefined;

  constructor(readonly socket: ParleySocket, readonly ctx: ChatContext) {
    this.tokens = ctx.limits.socketEvents.capacity;
    this.tokensAt = Date.now();
  }

  get userId(): string {
    return this.socket.data.userId;
  }

  get username(): string {
    const name = this.socket.data.username;
    if (name === undefined) throw new ParleyError(ErrorCode.NOT_LOGGED_IN, 'Log in with "add user" first.');
    return name;
  }

  get loggedIn(): boolean {
    return this.socket.data.username !== undefined;
  }

  /**
   * Runs event handlers of one connection one after another, in arrival order, so that a client's
   * messages are stored in the order it sent them even when a store call is asynchronous.
   */
  serial<T>(task: () => Promise<T>): Promise<T> {
    const run = (this.tail ?? RESOLVED).then(task, task);
    // The tail must not hold the task's result (a login's result is the whole lobby), and an empty
    // queue holds nothing at all.
    const settle = (): void => {
      if (this.tail === tail) this.tail = undefined;
    };
    const tail: Promise<void> = run.then(settle, settle);
    this.tail = tail;
    return run;
  }

  /** Makes non-serial events wait for this login (`done`) to be handled. */
  gateOn(done: Promise<unknown>): void {
    const gate: Promise<void> = done.then(noop, noop).then(() => {
      if (this.loginGate === gate) this.loginGate = undefined;
    });
    this.loginGate = gate;
  }

  /** Typing state, created on first use. */
  typingRooms(): Map<string, Target> {
    return (this.typing ??= new Map());
  }

  /** Charges the socket's event bucket; throws RATE_LIMITED (and counts a strike) when empty. */
  charge(cost = 1): void {
    const { capacity, perSecond } = this.ctx.limits.socketEvents;
    const now = Date.now();
    this.tokens = Math.min(capacity, this.tokens + ((now - this.tokensAt) / 1000) * perSecond);
    this.tokensAt = now;
    if (this.tokens >= cost) {
      this.tokens -= cost;
      return;
    }
    this.reject(Math.ceil(((cost - this.tokens) / perSecond) * 1000));
  }

  /** Records a rate-limit rejection; a sustained flood closes the connection. */
  reject(retryAfterMs: number): never {
    const now = Date.now();
    const { floodStrikes, floodWindowMs } = this.ctx.limits;
    const strikes = (this.strikes ??= []);
    strikes.push(now);
    while (strikes.length > 0 && strikes[0]! < now - floodWindowMs) strikes.shift();
    if (strikes.length >= floodStrikes && !this.flooding) {
      this.flooding = true;
      this.strikes = undefined;
      const body: ErrorBody = { code: ErrorCode.RATE_LIMITED, message: 'Disconnected for flooding.', retryAfterMs: floodWindowMs };
      this.ctx.log.warn({ userId: this.userId, ip: this.socket.data.ip }, 'disconnecting flooder');
      this.socket.emit('parley:error', body);
      // Let the error frame go out before the close.
      setImmediate(() => this.socket.disconnect(true));
    }
    throw new ParleyError(ErrorCode.RATE_LIMITED, 'Too many requests; slow down.', retryAfterMs);
  }
}
