/**
 * Cluster membership for presence: each instance refreshes a heartbeat key with a TTL and
 * periodically looks for instances whose heartbeat expired (killed, frozen, partitioned); their
 * sessions are purged from presence, so a dead instance leaves no ghost users behind. With the
 * defaults (TTL 15 s, checks every 5 s) ghosts are gone within about 20 s.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../../logger';
import type { RedisConnections } from './connection';
import type { RedisPresenceStore } from './presence';

export interface MembershipTiming {
  heartbeatTtlMs: number;
  sweepEveryMs: number;
}

export const DEFAULT_TIMING: MembershipTiming = { heartbeatTtlMs: 15_000, sweepEveryMs: 5_000 };

export class ClusterMembership {
  private beat: NodeJS.Timeout | undefined;
  private sweep: NodeJS.Timeout | undefined;
  /** A beat succeeded since the connection last came up: a missing key now means it lapsed. */
  private beating = false;

  constructor(
    private readonly conns: RedisConnections,
    private readonly cmd: Redis,
    private readonly prefix: string,
    private readonly instance: string,
    private readonly presence: RedisPresenceStore,
    private readonly log: Logger,
    private readonly timing: MembershipTiming = DEFAULT_TIMING,
  ) {}

  start(): void {
    this.conns.on('state', this.onState);
    const beatEvery = Math.max(200, Math.floor(this.timing.heartbeatTtlMs / 3));
    this.beat = setInterval(() => void this.heartbeat(), beatEvery);
    this.sweep = setInterval(() => void this.sweepDead(), this.timing.sweepEveryMs);
    this.beat.unref();
    this.sweep.unref();
    void this.heartbeat();
  }

  stop(): void {
    this.conns.off('state', this.onState);
    clearInterval(this.beat);
    clearInterval(this.sweep);
  }

  /** A lost connection is handled by the resync on reconnect (see index.ts), not by the heartbeat check. */
  private readonly onState = (state: string): void => {
    if (state !== 'up') this.beating = false;
  };

  async heartbeat(): Promise<void> {
    if (this.conns.state !== 'up') return;
    const key = `${this.prefix}i:${this.instance}:hb`;
    try {
      const replies = await this.cmd
        .multi()
        .exists(key)
        .set(key, String(Date.now()), 'PX', this.timing.heartbeatTtlMs)
        .sadd(`${this.prefix}instances`, this.instance)
        .exec();
      const lapsed = replies?.[0]?.[1] === 0;
      if (lapsed && this.beating) {
        // Our heartbeat expired while the connection stayed up: this process was frozen (SIGSTOP, a
        // paused VM, a long stall), and the others may have purged our sessions as a dead instance's.
        // We are not dead: put our users back, or they would chat while invisible, their names free
        // for anyone to take.
        this.log.warn({ instance: this.instance }, 'heartbeat had lapsed; restoring this instance in presence');
        await this.presence.resync();
      }
      this.beating = true;
    } catch {
      /* next beat */
    }
  }

  /** Purges instances whose heartbeat expired. Safe to run on every instance at once: purges are atomic and idempotent. */
  async sweepDead(): Promise<void> {
    if (this.conns.state !== 'up') return;
    try {
      for (const other of await this.cmd.smembers(`${this.prefix}instances`)) {
        if (other === this.instance) continue;
        if ((await this.cmd.exists(`${this.prefix}i:${other}:hb`)) === 0) await this.presence.purge(other);
      }
    } catch (err) {
      this.log.warn({ err }, 'presence sweep failed');
    }
  }
}
