/**
 * Resolves what a client addresses (`room`, or `to` for a DM) into a delivery target, checking that
 * the socket may use it: a public room it has joined, or a DM conversation it is a party of.
 */
import { dmParties, dmRoomId, ErrorCode, isRoomName, isUserId, ParleyError } from '../../protocol/index';
import type { Connection } from './connection';
import { userRoom } from './context';

export type Target = { kind: 'room'; room: string } | { kind: 'dm'; room: string; peers: [string, string] };

export function resolveTarget(conn: Connection, room: string | undefined, to?: string): Target {
  if (to !== undefined) {
    if (!isUserId(to)) throw new ParleyError(ErrorCode.USER_NOT_FOUND, 'No such user.');
    return dmTarget(conn, dmRoomId(conn.userId, to));
  }
  const name = room ?? conn.ctx.lobby;
  if (isRoomName(name)) {
    if (!conn.socket.rooms.has(name)) throw new ParleyError(ErrorCode.NOT_IN_ROOM, `Join #${name} first.`);
    return { kind: 'room', room: name };
  }
  return dmTarget(conn, name);
}

function dmTarget(conn: Connection, room: string): Target {
  const peers = dmParties(room);
  if (!peers) throw new ParleyError(ErrorCode.UNKNOWN_ROOM, 'No such room.');
  if (peers[0] !== conn.userId && peers[1] !== conn.userId) {
    throw new ParleyError(ErrorCode.NOT_IN_ROOM, 'Not your conversation.');
  }
  if (conn.socket.data.kind !== 'parley') {
    throw new ParleyError(ErrorCode.USER_NOT_FOUND, 'Direct messages need the Parley client.');
  }
  return { kind: 'dm', room, peers };
}

/** The other party of a DM target. */
export function peerOf(target: Extract<Target, { kind: 'dm' }>, self: string): string {
  return target.peers[0] === self ? target.peers[1] : target.peers[0];
}

/** Emits to a target's audience except the sending socket (its other sockets do receive it); `localOnly` for this instance. */
export function audience(conn: Connection, target: Target, localOnly = false) {
  const from = localOnly ? conn.socket.local : conn.socket.broadcast;
  if (target.kind === 'room') return from.to(target.room);
  return from.to(userRoom(target.peers[0])).to(userRoom(target.peers[1]));
}
