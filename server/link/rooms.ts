/**
 * LINK_ROOMS: which room of this relay is linked to which room of the other one, as
 * `local:remote` pairs separated by commas; a bare name is the same name on both sides.
 */
import { isRoomName } from '../../protocol/index';

export interface RoomPair {
  local: string;
  remote: string;
}

/** The pairs of a LINK_ROOMS value; throws a RangeError naming what is wrong. */
export function parseLinkRooms(spec: string): RoomPair[] {
  const pairs: RoomPair[] = [];
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [local, remote = local, extra] = part.split(':').map((s) => s.trim());
    if (extra !== undefined) throw new RangeError(`LINK_ROOMS: "${part}" has more than one ':' (write local:remote)`);
    for (const name of [local!, remote]) {
      if (!isRoomName(name)) throw new RangeError(`LINK_ROOMS: "${name}" is not a room name (up to 32 of a–z 0–9 _ -, starting with a letter or digit)`);
    }
    // One room linked twice would copy each message into it twice over (once per pair).
    if (pairs.some((p) => p.local === local)) throw new RangeError(`LINK_ROOMS: the room "${local}" of this relay is linked twice`);
    if (pairs.some((p) => p.remote === remote)) throw new RangeError(`LINK_ROOMS: the room "${remote}" of the other relay is linked twice`);
    pairs.push({ local: local!, remote: remote! });
  }
  if (pairs.length === 0) throw new RangeError('LINK_ROOMS names no room');
  return pairs;
}
