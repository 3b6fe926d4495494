/**
 * Cluster-wide presence: Redis is the truth while it is reachable; a local mirror of this
 * instance's own sessions keeps the instance serving while it is not, and is what the instance
 * writes back into Redis when it returns (`resync`). Counts and lists read from Redis are exact
 * across the cluster; during an outage they are this instance's local view.
 */
import type { PresenceChange, PresenceSnapshot, UserSummary } from '../../../protocol/index';
import { ErrorCode, ParleyError } from '../../../protocol/index';
import { seqBase } from '../../ids';
import type { Logger } from '../../logger';
import { MemoryPresenceStore } from '../memory-presence';
import { nicknameAlternatives, nicknameKey } from '../../nickname-key';
import type { ConnectResult, DisconnectResult, JoinResult, PresenceStore, Renamed, RoomPresenceChange, SessionInfo } from '../types';
import type { ParleyCommands } from './commands';
import { isReplyError, type RedisConnections } from './connection';
import { decodeConnect, decodeDisconnect, decodeEnsure, decodeMembership, decodePurge, decodeSnapshot, userSummary } from './replies';
import type { Redis } from 'ioredis';

export interface PresenceEvents {
  /** Presence changed outside a request: dead instances purged, or this instance resynced. */
  changes(changes: RoomPresenceChange[], gone: UserSummary[], arrived: UserSummary[]): Promise<void>;
  /** Users of this instance renamed on resync: their nickname was claimed elsewhere first. */
  renamed(users: Renamed[]): void;
}

export class RedisPresenceStore implements PresenceStore {
  readonly local = new MemoryPresenceStore();
  listener: PresenceEvents | undefined;
  private readonly cmd: Redis & ParleyCommands;

  constructor(
    private readonly conns: RedisConnections,
    cmd: Redis & ParleyCommands,
    private readonly prefix: string,
    private readonly instance: string,
    private readonly log: Logger,
  ) {
    this.cmd = cmd;
  }

  private get up(): boolean {
    return this.conns.state === 'up';
  }

  private args(...rest: (string | number)[]): (string | number)[] {
    return [this.prefix, String(seqBase()), ...rest];
  }

  async connect(session: SessionInfo, lobby: string): Promise<ConnectResult & { lobbyChange?: PresenceChange }> {
    if (this.up) {
      try {
        const r = decodeConnect(
          await this.cmd.parleyConnect(...this.args(session.sid, session.userId, session.username, session.nickKey, session.classic ? '1' : '0', this.instance, lobby)),
        );
        if (r.taken) return { ok: false, reason: 'nickname-taken' };
        const username = r.username;
        await this.local.connect({ ...session, username }, lobby, true);
        const user: UserSummary = { id: session.userId, username };
        if (r.classic) user.classic = true;
        const result: ConnectResult & { lobbyChange?: PresenceChange } = { ok: true, user, firstSession: r.first, numUsers: r.numUsers };
        if (r.lobbyChange) result.lobbyChange = r.lobbyChange.change;
        return result;
      } catch (err) {
        rethrowUnlessOutage(err);
      }
    }
    return this.local.connect(session, lobby);
  }

  async disconnect(sid: string): Promise<DisconnectResult> {
    const localResult = await this.local.disconnect(sid);
    if (!this.up) return localResult;
    try {
      const r = decodeDisconnect(await this.cmd.parleyDisconnect(...this.args(sid)));
      const out: DisconnectResult = { changes: r.changes };
      if (r.gone) out.user = r.gone;
      return out;
    } catch (err) {
      rethrowUnlessOutage(err);
      return localResult;
    }
  }

  join(sid: string, room: string): Promise<JoinResult> {
    return this.membership(sid, room, 'join');
  }

  leave(sid: string, room: string): Promise<JoinResult> {
    return this.membership(sid, room, 'leave');
  }

  private async membership(sid: string, room: string, op: 'join' | 'leave'): Promise<JoinResult> {
    const localResult = op === 'join' ? await this.local.join(sid, room) : await this.local.leave(sid, room);
    if (!this.up) return localResult;
    try {
      const change = decodeMembership(await this.cmd.parleyMembership(...this.args(sid, room, op)));
      return change ? { change: change.change } : {};
    } catch (err) {
      rethrowUnlessOutage(err);
      return localResult;
    }
  }

  async snapshot(room: string): Promise<PresenceSnapshot> {
    if (this.up) {
      try {
        const { pv, users } = decodeSnapshot(await this.cmd.parleySnapshot(...this.args(room)));
        return { room, numUsers: users.length, users, pv };
      } catch (err) {
        rethrowUnlessOutage(err);
      }
    }
    return this.local.snapshot(room);
  }

  async count(room: string): Promise<number> {
    if (this.up) {
      try {
        return await this.cmd.hlen(`${this.prefix}r:${room}:m`);
      } catch (err) {
        rethrowUnlessOutage(err);
      }
    }
    return this.local.count(room);
  }

  async user(userId: string): Promise<UserSummary | undefined> {
    if (this.up) {
      try {
        const [name, classic] = await this.cmd.hmget(`${this.prefix}u:${userId}`, 'name', 'classic');
        return name === null || name === undefined ? undefined : userSummary(userId, name, classic ?? '0');
      } catch (err) {
        rethrowUnlessOutage(err);
      }
    }
    return this.local.user(userId);
  }

  /**
   * Makes Redis agree with this instance after an outage or a Redis restart: sessions that ended
   * meanwhile are removed, sessions Redis does not know (it lost its data) are registered again,
   * room memberships are corrected. Announces the resulting changes like any others.
   */
  async resync(): Promise<void> {
    const mine = this.local.sessions();
    const known = new Set(mine.map((s) => s.sid));
    const changes: RoomPresenceChange[] = [];
    const gone: UserSummary[] = [];
    const arrived: UserSummary[] = [];
    for (const sid of await this.cmd.smembers(`${this.prefix}i:${this.instance}:s`)) {
      if (known.has(sid)) continue;
      const r = decodeDisconnect(await this.cmd.parleyDisconnect(...this.args(sid)));
      changes.push(...r.changes);
      if (r.gone) gone.push(r.gone);
    }
    const renamed = new Map<string, Renamed>();
    for (const s of mine) {
      const alternatives = JSON.stringify(nicknameAlternatives(s.username).map((a) => [a.name, a.key]));
      const r = decodeEnsure(
        await this.cmd.parleyEnsure(...this.args(s.sid, s.userId, s.username, s.nickKey, s.classic ? '1' : '0', this.instance, alternatives, ...s.rooms)),
      );
      const username = r.username;
      if (username !== s.username && !renamed.has(s.userId)) {
        this.local.rename(s.userId, username, nicknameKey(username));
        renamed.set(s.userId, { id: s.userId, username, previous: s.username });
      }
      if (r.first) arrived.push({ id: s.userId, username, ...(s.classic ? { classic: true } : {}) });
      changes.push(...r.changes);
    }
    if (renamed.size > 0) {
      this.log.warn({ renamed: [...renamed.values()] }, 'nicknames claimed elsewhere during the outage: renamed the later claims');
      this.listener?.renamed([...renamed.values()]);
    }
    this.log.info({ sessions: mine.length, changes: changes.length }, 'presence resynced with Redis');
    if (changes.length > 0 || gone.length > 0) await this.listener?.changes(changes, gone, arrived);
  }

  /** Removes every session of an instance that stopped heartbeating. */
  async purge(instance: string): Promise<void> {
    const { changes, gone } = decodePurge(await this.cmd.parleyPurge(...this.args(instance)));
    this.log.warn({ instance, sessions: changes.length, users: gone.length }, 'purged a dead instance from presence');
    if (changes.length > 0 || gone.length > 0) await this.listener?.changes(changes, gone, []);
  }
}

/** Connection trouble means "serve locally"; a Redis error reply is a bug and must surface. */
function rethrowUnlessOutage(err: unknown): void {
  if (isReplyError(err)) throw new ParleyError(ErrorCode.INTERNAL, 'Presence store error.');
}
