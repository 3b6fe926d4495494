/**
 * The Redis connections of one relay instance: a command connection for the stores and a pub/sub
 * pair for the Socket.IO adapter (Redis needs a dedicated connection for SUBSCRIBE).
 *
 * Failure behaviour, by design:
 *  - Commands fail fast while Redis is unreachable (no offline queue), and so does a command in
 *    flight when the link drops (failInFlightOnClose): the stores fall back to local state instead
 *    of hanging requests.
 *  - ioredis reconnects on its own, every ≤ 1 s, so delivery resumes within seconds of Redis returning.
 *  - A wrong password or an untrusted certificate is a configuration error, not an outage: the
 *    state becomes 'misconfigured' (readiness fails, /healthz 503), the error is logged clearly once
 *    a minute without secrets, and retries slow to every 30 s. No crash, no crash loop.
 */
import { EventEmitter } from 'node:events';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../../logger';
import { UnexpectedReply } from './replies';
import { batchTurnWrites } from './turn-writes';

export type RedisState = 'connecting' | 'up' | 'down' | 'misconfigured';

const AUTH_ERRORS = /WRONGPASS|NOAUTH|invalid password|invalid username-password|AUTH <password> called without any password/i;
const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'EPROTO',
]);

export function isConfigError(err: unknown): boolean {
  const e = err as { message?: string; code?: string };
  return AUTH_ERRORS.test(e?.message ?? '') || (e?.code !== undefined && TLS_CODES.has(e.code));
}

/**
 * Redis replied, with an error or with a script reply its decoder refuses (a bug or a misuse either
 * way), as opposed to the connection failing.
 */
export function isReplyError(err: unknown): boolean {
  return (err as { name?: string })?.name === 'ReplyError' || err instanceof UnexpectedReply;
}

export class RedisConnections extends EventEmitter {
  readonly command: Redis;
  readonly pub: Redis;
  readonly sub: Redis;
  private current: RedisState = 'connecting';
  private lastError: string | null = null;
  private lastLogged = 0;

  constructor(base: RedisOptions, private readonly log: Logger, private readonly target: string) {
    super();
    const retryStrategy = (times: number) => (this.current === 'misconfigured' ? 30_000 : Math.min(100 * times, 1000));
    const common: RedisOptions = {
      ...base,
      retryStrategy,
      // Never give up reconnecting; individual commands fail fast instead (enableOfflineQueue: false).
      maxRetriesPerRequest: null,
      connectTimeout: 5000,
      lazyConnect: false,
    };
    this.command = new Redis({ ...common, enableOfflineQueue: false, connectionName: 'parley-cmd' });
    this.pub = new Redis({ ...common, enableOfflineQueue: false, connectionName: 'parley-pub' });
    failInFlightOnClose(this.command);
    failInFlightOnClose(this.pub);
    // A turn's SUBMITs and PUBLISHes leave in one write each (turn-writes.ts for why not auto-pipelining).
    batchTurnWrites(this.command);
    batchTurnWrites(this.pub);
    this.sub = new Redis({ ...common, connectionName: 'parley-sub' });
    // The adapter publishes without handling rejections; while Redis is down a cross-instance
    // broadcast is simply dropped (local clients already got it) instead of crashing the process.
    const publish = this.pub.publish.bind(this.pub) as (channel: string, message: string | Buffer) => Promise<number>;
    (this.pub as unknown as { publish: typeof publish }).publish = (channel, message) => publish(channel, message).catch(() => 0);

    // Likewise its SUBSCRIBE/PSUBSCRIBE: with a wrong password ioredis rejects the queued commands with
    // the AUTH error, and an unhandled rejection would kill the process (a crash loop instead of a
    // 'misconfigured' instance). A refused subscription is made again once the connection is ready;
    // after that ioredis resubscribes by itself on every reconnect.
    for (const name of ['subscribe', 'psubscribe'] as const) {
      const original = (this.sub[name] as (...args: unknown[]) => Promise<unknown>).bind(this.sub);
      const subscribe = (...args: unknown[]): Promise<unknown> => {
        // Not while the connection is mid-handshake: a subscription sent then puts it in subscriber
        // mode before ioredis's own setup commands (CLIENT SETNAME, the INFO ready check), which then
        // fail ("only subscriber commands may be used") and cost a reconnect in which broadcasts from
        // other instances were lost. Seen when the relay started while a TLS handshake was under way.
        if (this.sub.status === 'connect') return new Promise((resolve) => this.sub.once('ready', () => resolve(subscribe(...args))));
        const result = original(...args);
        result.catch(() => this.sub.once('ready', () => void subscribe(...args)));
        return result;
      };
      (this.sub as unknown as Record<string, unknown>)[name] = subscribe;
    }

    // And its UNSUBSCRIBE/PUNSUBSCRIBE on shutdown: with Redis unreachable they wait in the offline
    // queue and are rejected when the connection closes; nothing needs them to succeed then.
    for (const name of ['unsubscribe', 'punsubscribe'] as const) {
      const original = (this.sub[name] as (...args: unknown[]) => Promise<unknown>).bind(this.sub);
      (this.sub as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => original(...args).catch(() => 0);
    }

    for (const client of [this.command, this.pub, this.sub]) client.on('error', (err: Error) => this.onError(err));
    // 'up' needs all three links: with the publisher still connecting, a broadcast would be dropped
    // (it has no offline queue) while the instance already claimed to be healthy.
    const all = [this.command, this.pub, this.sub];
    for (const client of all) {
      client.on('ready', () => {
        if (all.every((c) => c.status === 'ready')) this.setState('up');
      });
      client.on('close', () => {
        if (this.current === 'up') this.setState('down');
      });
    }
  }

  get state(): RedisState {
    return this.current;
  }

  get error(): string | null {
    return this.lastError;
  }

  /** Resolves once every connection is ready, or after `ms` (whatever the state then). */
  waitReady(ms: number): Promise<RedisState> {
    if (this.current === 'up') return Promise.resolve('up');
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.off('state', onState);
        resolve(this.current);
      };
      const onState = (s: RedisState) => {
        if (s === 'up' || s === 'misconfigured') done();
      };
      const timer = setTimeout(done, ms);
      this.on('state', onState);
    });
  }

  async close(): Promise<void> {
    await Promise.all(
      [this.command, this.pub, this.sub].map(async (c) => {
        // QUIT on a connection that is down would wait in the offline queue forever.
        if (c.status !== 'ready') return c.disconnect();
        try {
          await Promise.race([c.quit(), new Promise((_, reject) => setTimeout(reject, 1000))]);
        } catch {
          c.disconnect();
        }
      }),
    );
  }

  private onError(err: Error): void {
    const config = isConfigError(err);
    // ioredis also reports these as the plain "Connection is closed" that follows; keep the cause.
    if (config || this.current !== 'misconfigured') this.lastError = safeMessage(err);
    if (config && this.current !== 'misconfigured') this.setState('misconfigured');
    else if (!config && this.current === 'connecting') this.setState('down');
    const now = Date.now();
    if (now - this.lastLogged > 60_000 || (config && this.current !== 'misconfigured')) {
      this.lastLogged = now;
      const hint = config
        ? 'check the password/access key and that the server certificate is trusted (REDIS_TLS_CA for a private CA)'
        : 'retrying; local clients are still served';
      this.log.error({ redis: this.target, error: this.lastError, state: this.current }, `Redis connection problem: ${hint}`);
    }
  }

  private setState(next: RedisState): void {
    if (next === this.current) return;
    const prev = this.current;
    this.current = next;
    if (next === 'up') this.lastError = null;
    this.log.info({ redis: this.target, from: prev, to: next }, 'Redis connection state');
    this.emit('state', next, prev);
  }
}

/**
 * A command still unanswered when the link drops fails then, instead of waiting to be resent after
 * the reconnect (ioredis keeps such commands in `prevCommandQueue` and resends them, or with
 * `autoResendUnfulfilledCommands: false` drops them without settling their promises). Resent, it held
 * its caller, and every later request in that client's serial queue, until Redis came back: a
 * message sent then got neither its provisional copy nor its ack for the whole outage. Failed,
 * its caller falls back to local state at once, as for a command issued while the link is down.
 * `prevCommandQueue` is ioredis's (pinned; test/server/stores/redis/connection.test.ts): if a release
 * renames it, this does nothing and ioredis's resend applies again.
 */
function failInFlightOnClose(client: Redis): void {
  const internals = client as unknown as { prevCommandQueue?: { length: number; shift(): { command: { reject(err: Error): void } } } | null };
  // ioredis emits 'close' on the tick after its own close handler has moved the unanswered commands.
  client.on('close', () => {
    const queue = internals.prevCommandQueue;
    if (!queue || typeof queue.shift !== 'function') return;
    internals.prevCommandQueue = null;
    while (queue.length > 0) queue.shift().command.reject(new Error('Connection is closed.'));
  });
}

/** An error message without anything that could be a secret (ioredis does not echo passwords, but be sure). */
function safeMessage(err: Error): string {
  const code = (err as { code?: string }).code;
  const msg = err.message.replace(/password=[^,\s]*/gi, 'password=[redacted]').replace(/\/\/[^@/\s]*@/g, '//[redacted]@');
  return code ? `${code}: ${msg}` : msg;
}
