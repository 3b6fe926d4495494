/**
 * The set of public rooms, cluster-wide, with a local cache so joins keep working while Redis is down.
 *
 * The room limit counts the lobby, as in memory mode. Rooms expire (chat/expiry.ts), so the set in
 * Redis is the truth while it is up; the cache answers only during an outage. New rooms are created
 * only while Redis is up: an instance that created rooms on its own during an outage could not keep
 * the cluster-wide limit (they would all be added on return), so it refuses with UNAVAILABLE and the
 * client may try again. A room with people in it is put back by the presence resync (ENSURE) if a
 * restarted Redis lost it.
 */
import type { Redis } from 'ioredis';
import { ErrorCode, MAX_ROOMS, ParleyError } from '../../../protocol/index';
import type { RoomStore } from '../types';
import type { ParleyCommands } from './commands';
import type { RedisConnections } from './connection';
import { decodeCreateRoom } from './replies';

export class RedisRoomStore implements RoomStore {
  private readonly cache: Set<string>;
  private readonly key: string;

  constructor(
    private readonly conns: RedisConnections,
    private readonly cmd: Redis & ParleyCommands,
    prefix: string,
    private readonly lobby: string,
    private readonly maxRooms: number = MAX_ROOMS,
  ) {
    this.key = `${prefix}rooms`;
    this.cache = new Set([lobby]);
  }

  async exists(room: string): Promise<boolean> {
    // Redis decides while it is up (another instance may have expired a room this one cached).
    if (this.conns.state !== 'up') return this.cache.has(room);
    try {
      const found = (await this.cmd.sismember(this.key, room)) === 1;
      if (found) this.cache.add(room);
      else if (room !== this.lobby) this.cache.delete(room);
      return found || room === this.lobby;
    } catch {
      return this.cache.has(room);
    }
  }

  async create(room: string): Promise<{ created: boolean }> {
    if (this.cache.has(room)) return { created: false };
    if (this.conns.state === 'up') {
      try {
        const r = decodeCreateRoom(await this.cmd.parleyCreateRoom(this.key, room, this.maxRooms, this.lobby));
        if (r === 'full') throw new ParleyError(ErrorCode.ROOM_LIMIT, `This relay already has ${this.maxRooms} rooms.`);
        this.cache.add(room);
        return { created: r === 'created' };
      } catch (err) {
        if (err instanceof ParleyError) throw err;
      }
    }
    throw new ParleyError(ErrorCode.UNAVAILABLE, 'New rooms cannot be created while the relay is degraded; existing rooms still work. Try again shortly.');
  }

  /** Forgets a room this instance expired. */
  remove(room: string): void {
    if (room !== this.lobby) this.cache.delete(room);
  }

  async list(): Promise<string[]> {
    if (this.conns.state === 'up') {
      try {
        const rooms = await this.cmd.smembers(this.key);
        this.cache.clear();
        for (const r of [this.lobby, ...rooms]) this.cache.add(r);
      } catch {
        /* serve the cache */
      }
    }
    return [...this.cache];
  }
}
