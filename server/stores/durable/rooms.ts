/** The set of public rooms, kept on disk so a restarted relay still lists the rooms it had. */
import { ErrorCode, MAX_ROOMS, ParleyError } from '../../../protocol/index';
import type { RoomStore } from '../types';
import type { Database } from './database';
import type { GroupCommit } from './group-commit';
import { conversationOf, prefixRange, ROOM, roomKey } from './keys';

export class DurableRoomStore implements RoomStore {
  private constructor(
    private readonly rooms: Set<string>,
    private readonly commit: GroupCommit,
    private readonly lobby: string,
    private readonly maxRooms: number,
  ) {}

  static async load(db: Database, commit: GroupCommit, lobby: string, maxRooms: number = MAX_ROOMS): Promise<DurableRoomStore> {
    const rooms = new Set([lobby]);
    for await (const key of db.keys(prefixRange(ROOM))) rooms.add(conversationOf(key, ROOM));
    return new DurableRoomStore(rooms, commit, lobby, maxRooms);
  }

  async exists(room: string): Promise<boolean> {
    return this.rooms.has(room);
  }

  async create(room: string): Promise<{ created: boolean }> {
    if (this.rooms.has(room)) return { created: false };
    if (this.rooms.size >= this.maxRooms) throw new ParleyError(ErrorCode.ROOM_LIMIT, `This relay already has ${this.maxRooms} rooms.`);
    // Taken before the write, so two creations racing for the last place cannot both win.
    this.rooms.add(room);
    try {
      await this.commit.write([{ type: 'put', key: roomKey(room), value: 1 }]);
    } catch (err) {
      this.rooms.delete(room);
      throw new ParleyError(ErrorCode.UNAVAILABLE, `The relay could not save the room (${(err as Error).message}); try again later.`);
    }
    return { created: true };
  }

  /** Removes a room (it expired); the lobby stays. */
  async remove(room: string): Promise<void> {
    if (room === this.lobby) return;
    this.rooms.delete(room);
    await this.commit.write([{ type: 'del', key: roomKey(room) }]);
  }

  async list(): Promise<string[]> {
    return [...this.rooms];
  }
}
