/**
 * Per-connection state that must not travel with `socket.data` (which the Redis adapter serialises
 * for remote `fetchSockets`): rate buckets, the serial queue, typing state.
 */
import { ErrorCode, ParleyError, type ErrorBody } from '../../protocol/index';
import { TokenBucket } from '../stores/token-bucket';
import type { Target } from './addressing';
import type { ChatContext, ParleySocket } from './context';

export class Connection {
  readonly bucket: TokenBucket;
  /** Where this socket is currently shown as typing. */
  readonly typing = new Map<string, Target>();
  /** Messages are refused until then: the rest of a burst that hit the rate limit. */
  messagesBlockedUntil = 0;
  /** Settles when the latest `add user` of this connection has been handled. */
  loginGate: Promise<void> = Promise.resolve();
  /**
   * Set once the connection was caught flooding: it is being closed, and whatever else it already
   * sent is dropped unread, without an error frame each (which would make the relay write more than
   * the flooder does).
   */
  flooding = false;
  /** Event names a handler is registered for; anything else is refused by `refuseUnknownEvents`. */
  readonly handled = new Set<string>();
  private strikes: number[] = [];
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly socket: ParleySocket, readonly ctx: ChatContext) {
    this.bucket = new TokenBucket(ctx.limits.socketEvents);
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
    const run = this.tail.then(task, task);
    // The tail must not hold the task's result: a login's result (the whole lobby) would otherwise
    // stay reachable for the connection's lifetime.
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Charges the socket's event bucket; throws RATE_LIMITED (and counts a strike) when empty. */
  charge(cost = 1): void {
    const result = this.bucket.take(cost);
    if (!result.ok) this.reject(result.retryAfterMs);
  }

  /** Records a rate-limit rejection; a sustained flood closes the connection. */
  reject(retryAfterMs: number): never {
    const now = Date.now();
    const { floodStrikes, floodWindowMs } = this.ctx.limits;
    this.strikes.push(now);
    while (this.strikes.length > 0 && this.strikes[0]! < now - floodWindowMs) this.strikes.shift();
    if (this.strikes.length >= floodStrikes && !this.flooding) {
      this.flooding = true;
      this.strikes = [];
      const body: ErrorBody = { code: ErrorCode.RATE_LIMITED, message: 'Disconnected for flooding.', retryAfterMs: floodWindowMs };
      this.ctx.log.warn({ userId: this.userId, ip: this.socket.data.ip }, 'disconnecting flooder');
      this.socket.emit('parley:error', body);
      // Let the error frame go out before the close.
      setImmediate(() => this.socket.disconnect(true));
    }
    throw new ParleyError(ErrorCode.RATE_LIMITED, 'Too many requests; slow down.', retryAfterMs);
  }
}
