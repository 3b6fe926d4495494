/**
 * Room names and direct-message conversation ids.
 *
 * Public rooms have slug names (`lobby`, `design-review`). A direct-message conversation between two
 * users is addressed like a room, by an id derived from both user ids, so history, `seq` and catch-up
 * work the same way for both. User ids are base64url, so ':' cannot occur inside one.
 */
import { DEFAULT_ROOM, ROOM_NAME_PATTERN } from './limits';

const DM_PREFIX = 'dm:';
const USER_ID = /^[A-Za-z0-9_-]{16,64}$/;

export function isRoomName(value: unknown): value is string {
  return typeof value === 'string' && ROOM_NAME_PATTERN.test(value);
}

/** Normalises what a user typed into a room name, or returns null if nothing usable is left. */
export function toRoomName(input: string): string | null {
  const slug = input
    .trim()
    .toLowerCase()
    .replace(/^#/, '')
    .replace(/\s+/g, '-')
    .replace(/[^a-z0-9_-]/g, '')
    .slice(0, 32);
  return ROOM_NAME_PATTERN.test(slug) ? slug : null;
}

export function isUserId(value: unknown): value is string {
  return typeof value === 'string' && USER_ID.test(value);
}

/** The conversation id of two users' direct messages; the same whoever computes it. */
export function dmRoomId(a: string, b: string): string {
  return a < b ? `${DM_PREFIX}${a}:${b}` : `${DM_PREFIX}${b}:${a}`;
}

export function isDmRoom(room: string): boolean {
  return room.startsWith(DM_PREFIX);
}

/** The two user ids of a DM conversation, or null when `room` is not a well-formed DM id. */
export function dmParties(room: string): [string, string] | null {
  if (!room.startsWith(DM_PREFIX)) return null;
  const parts = room.slice(DM_PREFIX.length).split(':');
  if (parts.length !== 2) return null;
  const [a, b] = parts as [string, string];
  if (!isUserId(a) || !isUserId(b) || a >= b) return null;
  return [a, b];
}

/** True for names a client may use to address a room: a public room slug or a well-formed DM id. */
export function isRoomAddress(value: unknown): value is string {
  return typeof value === 'string' && (ROOM_NAME_PATTERN.test(value) || dmParties(value) !== null);
}

export { DEFAULT_ROOM };
