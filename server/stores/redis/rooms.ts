/** The set of public rooms, cluster-wide, with a local cache so joins keep working while Redis is down. */
import type { Redis } from 'ioredis';
import { ErrorCode, MAX_ROOMS, ParleyError } from '../../../protocol/index';
import type { RoomStore } from '../types';
import type { ParleyCommands } from './commands';
import type { RedisConnections } from './connection';

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
    if (this.cache.has(room)) return true;
    if (this.conns.state !== 'up') return false;
    try {
      const found = (await this.cmd.sismember(this.key, room)) === 1;
      if (found) this.cache.add(room);
      return found;
    } catch {
      return false;
    }
  }

  async create(room: string): Promise<{ created: boolean }> {
    if (this.conns.state === 'up') {
      try {
        const r = Number(await this.cmd.parleyCreateRoom(this.key, room, this.maxRooms));
        if (r === -1) throw new ParleyError(ErrorCode.ROOM_LIMIT, `This relay already has ${this.maxRooms} rooms.`);
        this.cache.add(room);
        return { created: r === 1 };
      } catch (err) {
        if (err instanceof ParleyError) throw err;
      }
    }
    // Redis is down: create locally; the room is written to Redis on the next create or list.
    const created = !this.cache.has(room);
    this.cache.add(room);
    return { created };
  }

  async list(): Promise<string[]> {
    if (this.conns.state === 'up') {
      try {
        const local = [...this.cache];
        // Rooms created locally during an outage are published now.
        await this.cmd.sadd(this.key, ...local);
        for (const r of await this.cmd.smembers(this.key)) this.cache.add(r);
      } catch {
        /* serve the cache */
      }
    }
    return [...this.cache];
  }
}
