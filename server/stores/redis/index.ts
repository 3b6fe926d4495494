/**
 * The Redis backend: presence, history, rooms, receipt cursors and rate limits shared by every
 * instance, plus the Socket.IO Redis adapter for cross-instance broadcasts.
 *
 * Adapter choice: @socket.io/redis-adapter (pub/sub), not the streams adapter. Parley does its own
 * catch-up by `seq` from Redis history, which works whichever instance a client reconnects to and
 * however long it was away (within the history limit), so Socket.IO's connection-state recovery —
 * the streams adapter's main advantage, and unsupported by the pub/sub adapter — is not needed.
 * Pub/sub adds no per-broadcast storage and has the lower latency.
 */
import { readFileSync } from 'node:fs';
import { createAdapter } from '@socket.io/redis-adapter';
import type { ServerOptions } from 'socket.io';
import { isDmRoom } from '../../../protocol/index';
import type { Logger } from '../../logger';
import type { BucketSpec } from '../token-bucket';
import type { BackendHealth, ChatStores, StoreHooks } from '../types';
import { defineCommands } from './commands';
import { RedisConnections, type RedisState } from './connection';
import { DeliveryLedger, ledgerParser } from './delivery-ledger';
import { GapFill, type LocalRooms } from './gap-fill';
import { RedisHistoryStore } from './history';
import { ClusterMembership, DEFAULT_TIMING, type MembershipTiming } from './membership';
import { RedisPresenceStore } from './presence';
import { RedisReceiptStore } from './receipts';
import { redisQuotaLedger } from './file-quota';
import { decodeExpire, decodeRoomTokens } from './replies';
import { RedisRoomStore } from './rooms';
import { describeRedis, parseRedisUrl, toIoredisOptions } from './url';

export { RedisConfigError, parseRedisUrl } from './url';

export interface RedisStoreOptions {
  url: string;
  instanceId: string;
  historyLimit: number;
  lobby: string;
  userMessages: BucketSpec;
  log: Logger;
  /** Key prefix, so several deployments can share one Redis. Default "parley:". */
  prefix?: string;
  /** PEM of a private CA to trust for rediss:// (added to, not replacing, the system CAs). */
  tlsCaFile?: string;
  timing?: MembershipTiming;
}

export interface RedisStores extends ChatStores {
  readonly connections: RedisConnections;
  readonly history: RedisHistoryStore;
  readonly presence: RedisPresenceStore;
  readonly gapFill: GapFill;
}

/** Builds the Redis backend. Throws RedisConfigError for a malformed URL; never throws for an unreachable server. */
export function createRedisStores(opts: RedisStoreOptions): RedisStores {
  const parsed = parseRedisUrl(opts.url);
  const ca = opts.tlsCaFile ? readFileSync(opts.tlsCaFile) : undefined;
  const target = describeRedis(parsed);
  const prefix = opts.prefix ?? 'parley:';
  const conns = new RedisConnections(toIoredisOptions(parsed, ca), opts.log, target);
  const cmd = defineCommands(conns.command);
  const presence = new RedisPresenceStore(conns, cmd, prefix, opts.instanceId, opts.log);
  const ledger = new DeliveryLedger();
  const history = new RedisHistoryStore(conns, cmd, prefix, opts.historyLimit, opts.userMessages, opts.log, ledger);
  const gapFill = new GapFill(conns, history, ledger, opts.historyLimit, opts.log, () => cmd.smembers(`${prefix}dms`));
  const makeAdapter = createAdapter(conns.pub, conns.sub, { key: `${prefix}sio`, requestsTimeout: 3000, parser: ledgerParser(ledger) });
  const rooms = new RedisRoomStore(conns, cmd, prefix, opts.lobby);
  const receipts = new RedisReceiptStore(conns, cmd, prefix, opts.log);
  const membership = new ClusterMembership(conns, cmd, prefix, opts.instanceId, presence, opts.log, opts.timing ?? DEFAULT_TIMING);
  const health = (): BackendHealth => healthOf(conns.state);

  let hooks: StoreHooks | undefined;
  conns.on('state', (next: RedisState) => {
    if (next === 'up') {
      // Redis is back (or reachable for the first time): write this instance's truth into it.
      void membership.heartbeat();
      presence.resync().catch((err: unknown) => opts.log.warn({ err }, 'presence resync failed'));
    }
    hooks?.healthChanged(healthOf(next));
  });

  return {
    kind: 'redis',
    connections: conns,
    presence,
    history,
    rooms,
    receipts,
    submit: (key, draft, onDeferred) => history.submit(key, draft, onDeferred),
    dmConversations: () => cmd.smembers(`${prefix}dms`),
    async sharedRelayId(proposal) {
      try {
        await cmd.set(`${prefix}relay-id`, proposal, 'NX');
        return (await cmd.get(`${prefix}relay-id`)) ?? undefined;
      } catch {
        return undefined;
      }
    },
    fileQuota: (limits) => redisQuotaLedger(cmd, prefix, limits, opts.log),
    roomCreation: (byUser, byAddress) => async (userKey, addressKey) => {
      try {
        return decodeRoomTokens(await cmd.parleyRoomTokens(`${prefix}rl:${userKey}`, `${prefix}rl:${addressKey}`, byUser.capacity, byUser.perSecond, byAddress.capacity, byAddress.perSecond));
      } catch {
        // Redis is away: no room is created then anyway (the room store refuses with UNAVAILABLE).
        return { ok: true };
      }
    },
    async expire(conversation, expect) {
      const pv = isDmRoom(conversation) ? '' : String(expect.pv ?? 0);
      const done = decodeExpire(await cmd.parleyExpire(prefix, conversation, String(expect.lastSeq), pv, opts.lobby));
      if (done) rooms.remove(conversation);
      return done;
    },
    health,
    describe: () => ({
      backend: 'redis',
      redis: conns.state,
      ...(conns.error ? { redisError: conns.error } : {}),
      ...(history.pendingWrites > 0 ? { pendingWrites: history.pendingWrites } : {}),
    }),
    gapFill,
    // Socket.IO calls this with `new`: a function, not an arrow (the returned object is what it gets).
    adapter: function (nsp: Parameters<typeof makeAdapter>[0]) {
      const adapter = makeAdapter(nsp);
      if (nsp.name === '/') gapFill.bind(adapter as unknown as LocalRooms);
      return adapter;
    } as unknown as ServerOptions['adapter'],
    async adapterReady(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      if ((await conns.waitReady(timeoutMs)) !== 'up') return false;
      // Redis answers one connection's commands in order, so a PING sent after the adapter's
      // (P)SUBSCRIBE calls is answered only once those are in effect.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
      });
      const pong = conns.sub.ping().then(
        () => true,
        () => false,
      );
      try {
        return await Promise.race([pong, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    attach(h) {
      hooks = h;
      presence.listener = { changes: (c, g, a) => h.presenceChanged(c, g, a), renamed: (users) => h.renamed?.(users) };
      membership.start();
    },
    async drain() {
      membership.stop();
      if (conns.state !== 'up') return;
      try {
        // Whatever sessions the disconnect handlers did not remove yet: this instance is leaving.
        await presence.purge(opts.instanceId);
      } catch (err) {
        opts.log.warn({ err }, 'could not remove this instance from presence');
      }
    },
    async close() {
      membership.stop();
      history.abandon();
      await conns.close();
    },
  };
}

function healthOf(state: RedisState): BackendHealth {
  if (state === 'up') return 'ok';
  if (state === 'misconfigured') return 'misconfigured';
  return 'degraded';
}
