/** The set of public rooms in process memory. The lobby always exists. */
import { ErrorCode, MAX_ROOMS, ParleyError } from '../../protocol/index';
import type { RoomStore } from './types';

export class MemoryRoomStore implements RoomStore {
  private readonly rooms: Set<string>;

  constructor(private readonly lobby: string, private readonly maxRooms: number = MAX_ROOMS) {
    this.rooms = new Set([lobby]);
  }

  async exists(room: string): Promise<boolean> {
    return this.rooms.has(room);
  }

  async create(room: string): Promise<{ created: boolean }> {
    if (this.rooms.has(room)) return { created: false };
    if (this.rooms.size >= this.maxRooms) {
      throw new ParleyError(ErrorCode.ROOM_LIMIT, `This relay already has ${this.maxRooms} rooms.`);
    }
    this.rooms.add(room);
    return { created: true };
  }

  /** Removes a room (it expired); the lobby stays. */
  remove(room: string): void {
    if (room !== this.lobby) this.rooms.delete(room);
  }

  async list(): Promise<string[]> {
    return [...this.rooms];
  }
}
