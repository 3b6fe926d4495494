/**
 * Presence in process memory. A user (user id) may have several sessions (sockets, e.g. two tabs);
 * a user is in a room while any of their sessions is. Changes carry a per-room version `pv` so clients
 * can order deltas against snapshots.
 */
import type { PresenceChange, PresenceSnapshot, UserSummary } from '../../protocol/index';
import { seqBase } from '../ids';
import type { ConnectResult, DisconnectResult, JoinResult, PresenceStore, SessionInfo } from './types';

// Entries are kept small: the relay holds one per present user and session, so a field per
// entry is a field per connection. A user's session count replaces a set of sids (bySid knows them),
// and a session's rooms are a short array (at most MAX_ROOMS_PER_SOCKET, usually just the lobby).
interface UserEntry {
  id: string;
  username: string;
  classic: boolean;
  nickKey: string;
  sessions: number;
}

interface SessionEntry {
  userId: string;
  rooms: readonly string[];
}

const NO_ROOMS: readonly string[] = Object.freeze([]);

function summaryOf(user: UserEntry): UserSummary {
  return user.classic ? { id: user.id, username: user.username, classic: true } : { id: user.id, username: user.username };
}

interface RoomEntry {
  /** userId → number of that user's sessions in the room. */
  members: Map<string, number>;
  pv: number;
}

export class MemoryPresenceStore implements PresenceStore {
  private readonly users = new Map<string, UserEntry>();
  private readonly bySid = new Map<string, SessionEntry>();
  private readonly nicks = new Map<string, string>();
  private readonly rooms = new Map<string, RoomEntry>();
  /** Shared, frozen `[room]` arrays (see joinSync). */
  private readonly single = new Map<string, readonly string[]>();

  /** @param force register even if another user holds the nickname (mirroring a decision made elsewhere). */
  async connect(session: SessionInfo, lobby: string, force = false): Promise<ConnectResult & { lobbyChange?: PresenceChange }> {
    const holder = this.nicks.get(session.nickKey);
    if (holder !== undefined && holder !== session.userId && !force) return { ok: false, reason: 'nickname-taken' };
    let user = this.users.get(session.userId);
    const firstSession = user === undefined;
    if (!user) {
      // Most keys equal the nickname (plain lower-case names): keep one string, not two equal ones.
      const nickKey = session.nickKey === session.username ? session.username : session.nickKey;
      user = { id: session.userId, username: session.username, classic: session.classic, nickKey, sessions: 0 };
      this.users.set(session.userId, user);
      if (holder === undefined) this.nicks.set(nickKey, session.userId);
    } else if (!session.classic && user.classic) {
      // A Parley session can receive DMs; the user is no longer classic-only.
      user.classic = false;
    }
    // A sid registered again for the same user (a mirrored connect) is still one session.
    if (this.bySid.get(session.sid)?.userId !== session.userId) user.sessions++;
    this.bySid.set(session.sid, { userId: session.userId, rooms: NO_ROOMS });
    const { change } = this.joinSync(session.sid, lobby);
    const result: ConnectResult & { lobbyChange?: PresenceChange } = {
      ok: true,
      user: summaryOf(user),
      firstSession,
      numUsers: this.users.size,
    };
    if (change) result.lobbyChange = change;
    return result;
  }

  async disconnect(sid: string): Promise<DisconnectResult> {
    const session = this.bySid.get(sid);
    if (!session) return { changes: [] };
    const changes = [];
    for (const room of session.rooms) {
      const { change } = this.leaveSync(sid, room);
      if (change) changes.push({ room, change });
    }
    this.bySid.delete(sid);
    const user = this.users.get(session.userId);
    if (!user) return { changes };
    if (--user.sessions > 0) return { changes };
    this.users.delete(session.userId);
    if (this.nicks.get(user.nickKey) === session.userId) this.nicks.delete(user.nickKey);
    return { user: summaryOf(user), changes };
  }

  async join(sid: string, room: string): Promise<JoinResult> {
    return this.joinSync(sid, room);
  }

  async leave(sid: string, room: string): Promise<JoinResult> {
    return this.leaveSync(sid, room);
  }

  async snapshot(room: string): Promise<PresenceSnapshot> {
    const entry = this.rooms.get(room);
    const users: UserSummary[] = [];
    if (entry) for (const userId of entry.members.keys()) users.push(summaryOf(this.users.get(userId)!));
    return { room, numUsers: users.length, users, pv: entry?.pv ?? 0 };
  }

  async count(room: string): Promise<number> {
    return this.rooms.get(room)?.members.size ?? 0;
  }

  async user(userId: string): Promise<UserSummary | undefined> {
    const user = this.users.get(userId);
    return user ? summaryOf(user) : undefined;
  }

  /**
   * Forgets an empty room's entry (the room expired), if its version is still `pv`: nobody joined or
   * left since the caller looked. A room nobody ever joined has no entry and version 0.
   */
  dropRoom(room: string, pv: number): boolean {
    const entry = this.rooms.get(room);
    if (!entry) return pv === 0;
    if (entry.members.size > 0 || entry.pv !== pv) return false;
    this.rooms.delete(room);
    this.single.delete(room);
    return true;
  }

  /**
   * Gives a user another name (a backend resolved a nickname conflict: see the Redis ENSURE script).
   * The old name is freed here if this user held it; the new one is taken unless someone else has it.
   */
  rename(userId: string, username: string, nickKey: string): void {
    const user = this.users.get(userId);
    if (!user) return;
    if (this.nicks.get(user.nickKey) === userId) this.nicks.delete(user.nickKey);
    user.username = username;
    user.nickKey = nickKey;
    if (!this.nicks.has(nickKey)) this.nicks.set(nickKey, userId);
  }

  /** Every local session with what a backend needs to re-register it (Redis resync after an outage). */
  sessions(): (SessionInfo & { rooms: string[] })[] {
    const out: (SessionInfo & { rooms: string[] })[] = [];
    for (const [sid, s] of this.bySid) {
      const user = this.users.get(s.userId);
      if (!user) continue;
      out.push({ sid, userId: s.userId, username: user.username, nickKey: user.nickKey, classic: user.classic, rooms: [...s.rooms] });
    }
    return out;
  }

  /**
   * Next version of a room: one more than the last, but never behind the clock-derived base, so
   * versions also order correctly against other instances and across restarts.
   */
  private bump(entry: RoomEntry): number {
    entry.pv = Math.max(entry.pv + 1, seqBase());
    return entry.pv;
  }

  private only(room: string): readonly string[] {
    let list = this.single.get(room);
    if (!list) {
      list = Object.freeze([room]);
      this.single.set(room, list);
    }
    return list;
  }

  private joinSync(sid: string, room: string): JoinResult {
    const session = this.bySid.get(sid);
    if (!session || session.rooms.includes(room)) return {};
    // Copied, not grown (push would reserve spare capacity), and a session only in one room (nearly
    // every session: the lobby) shares that room's one-element array with every other such session.
    session.rooms = session.rooms.length === 0 ? this.only(room) : [...session.rooms, room];
    let entry = this.rooms.get(room);
    if (!entry) {
      // Versions start from the clock, like seqs, so they keep increasing across relay restarts and
      // a client holding a pre-restart snapshot does not ignore the new relay's changes.
      entry = { members: new Map(), pv: seqBase() };
      this.rooms.set(room, entry);
    }
    const n = entry.members.get(session.userId) ?? 0;
    entry.members.set(session.userId, n + 1);
    if (n > 0) return {};
    const user = this.users.get(session.userId)!;
    return { change: { pv: this.bump(entry), op: 'join', user: summaryOf(user) } };
  }

  private leaveSync(sid: string, room: string): JoinResult {
    const session = this.bySid.get(sid);
    const entry = this.rooms.get(room);
    if (!session || !entry || !session.rooms.includes(room)) return {};
    const rest = session.rooms.filter((r) => r !== room);
    session.rooms = rest.length === 0 ? NO_ROOMS : rest.length === 1 ? this.only(rest[0]!) : rest;
    const n = entry.members.get(session.userId) ?? 0;
    if (n > 1) {
      entry.members.set(session.userId, n - 1);
      return {};
    }
    entry.members.delete(session.userId);
    const user = this.users.get(session.userId)!;
    const change: PresenceChange = { pv: this.bump(entry), op: 'leave', user: summaryOf(user) };
    // Keep the entry (and its pv) so versions never go backwards for clients that hold a snapshot.
    return { change };
  }
}
