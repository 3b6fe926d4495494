/**
 * Typed readers of the Lua scripts' replies (presence-lua.ts, history-lua.ts, misc-lua.ts), one per
 * script. Redis turns a Lua table into an array, a number into an integer, false or nil into null.
 *
 * A reply of any other shape means the script and its reader disagree: a bug. It is refused with
 * `UnexpectedReply` rather than read by position into wrong values, and the stores treat it like a
 * Redis error reply (connection.ts `isReplyError`), never like an outage.
 */
import type { ChatMessage, UserSummary } from '../../../protocol/index';
import type { AppendResult, CursorPair, RateResult, RoomPresenceChange, SubmitResult } from '../types';

export class UnexpectedReply extends Error {
  override readonly name = 'UnexpectedReply';

  constructor(script: string, expected: string, reply: unknown) {
    super(`Unexpected reply from Redis script ${script}: expected ${expected}, got ${preview(reply)}`);
  }
}

export type ConnectReply =
  | { taken: true }
  | { taken: false; first: boolean; username: string; classic: boolean; numUsers: number; lobbyChange: RoomPresenceChange | undefined };

export interface DisconnectReply {
  changes: RoomPresenceChange[];
  /** The user, when this was their last session. */
  gone: UserSummary | undefined;
}

export interface PurgeReply {
  changes: RoomPresenceChange[];
  gone: UserSummary[];
}

export interface SnapshotReply {
  pv: number;
  users: UserSummary[];
}

export interface EnsureReply {
  /** Redis did not know the user: they arrive again. */
  first: boolean;
  changes: RoomPresenceChange[];
  /** The name the user holds now (another one if theirs was claimed elsewhere first). */
  username: string;
}

export type CreateRoomReply = 'created' | 'existed' | 'full';

/** CONNECT: {0} (nickname taken) | {1, first, name, classic, numUsers, change|nil}. */
export function decodeConnect(raw: unknown): ConnectReply {
  const r = new Reader('CONNECT', raw);
  if (Array.isArray(raw) && raw.length === 1) {
    r.oneOf(0, [0]);
    return { taken: true };
  }
  r.length(6).oneOf(0, [1]);
  const classic = r.str(3);
  if (classic !== '0' && classic !== '1') return r.fail("classic '0' or '1' at 3");
  const change = r.at(5);
  return { taken: false, first: r.oneOf(1, [0, 1]) === 1, username: r.str(2), classic: classic === '1', numUsers: r.int(4), lobbyChange: change === null ? undefined : r.change(change) };
}

/** DISCONNECT: {changes, gone user|nil}. */
export function decodeDisconnect(raw: unknown): DisconnectReply {
  const r = new Reader('DISCONNECT', raw).length(2);
  return { changes: r.changes(r.at(0)), gone: r.at(1) === null ? undefined : r.user(r.at(1)) };
}

/** MEMBERSHIP: change | nil. */
export function decodeMembership(raw: unknown): RoomPresenceChange | undefined {
  return raw === null ? undefined : new Reader('MEMBERSHIP', raw).change(raw);
}

/** SNAPSHOT: {pv, {uid, name, classic, …}}. */
export function decodeSnapshot(raw: unknown): SnapshotReply {
  const r = new Reader('SNAPSHOT', raw).length(2);
  const flat = r.at(1);
  if (!Array.isArray(flat) || flat.length % 3 !== 0) return r.fail('a flat list of user triples');
  const users: UserSummary[] = [];
  for (let i = 0; i < flat.length; i += 3) users.push(r.user(flat.slice(i, i + 3)));
  return { pv: r.counter(r.at(0)), users };
}

/** PURGE: {changes, gone users}. */
export function decodePurge(raw: unknown): PurgeReply {
  const r = new Reader('PURGE', raw).length(2);
  const gone = r.at(1);
  if (!Array.isArray(gone)) return r.fail('a list of users');
  return { changes: r.changes(r.at(0)), gone: gone.map((u) => r.user(u)) };
}

/** ENSURE: {first, changes, name}. */
export function decodeEnsure(raw: unknown): EnsureReply {
  const r = new Reader('ENSURE', raw).length(3);
  return { first: r.oneOf(0, [0, 1]) === 1, changes: r.changes(r.at(1)), username: r.str(2) };
}

/** APPEND: {0 stored | 1 duplicate, message JSON}. */
export function decodeAppend(raw: unknown): AppendResult {
  const r = new Reader('APPEND', raw).length(2);
  return { duplicate: r.oneOf(0, [0, 1]) === 1, message: r.message(1) };
}

/** SUBMIT: {0 stored | 1 duplicate, message JSON} | {2 refused, retryAfterMs}. */
export function decodeSubmit(raw: unknown): SubmitResult {
  const r = new Reader('SUBMIT', raw).length(2);
  const status = r.oneOf(0, [0, 1, 2]);
  return status === 2 ? { retryAfterMs: r.int(1) } : { duplicate: status === 1, message: r.message(1) };
}

/** CREATE_ROOM: 1 created | 0 existed | -1 over the limit. */
export function decodeCreateRoom(raw: unknown): CreateRoomReply {
  return ({ 1: 'created', 0: 'existed', [-1]: 'full' } as const)[oneOf('CREATE_ROOM', raw, [1, 0, -1])];
}

/** EXPIRE_CONVERSATION: 1 deleted | 0 not. */
export function decodeExpire(raw: unknown): boolean {
  return oneOf('EXPIRE_CONVERSATION', raw, [0, 1]) === 1;
}

/** ROOM_TOKENS: {1, 0} | {0, retryAfterMs}. */
export function decodeRoomTokens(raw: unknown): RateResult {
  const r = new Reader('ROOM_TOKENS', raw).length(2);
  return r.oneOf(0, [0, 1]) === 1 ? { ok: true } : { ok: false, retryAfterMs: r.int(1) };
}

/** ADVANCE_CURSOR: {1 moved | 0 not, read, delivered}, the seqs as decimal strings. */
export function decodeAdvanceCursor(raw: unknown): { cursor: CursorPair; moved: boolean } {
  const r = new Reader('ADVANCE_CURSOR', raw).length(3);
  return { moved: r.oneOf(0, [0, 1]) === 1, cursor: { read: r.counter(r.at(1)), delivered: r.counter(r.at(2)) } };
}

export function userSummary(id: string, name: string, classic: string): UserSummary {
  return classic === '1' ? { id, username: name, classic: true } : { id, username: name };
}

/** Reads one reply; every check names the script and shows the reply when it fails. */
class Reader {
  constructor(
    private readonly script: string,
    private readonly raw: unknown,
  ) {}

  fail(expected: string): never {
    throw new UnexpectedReply(this.script, expected, this.raw);
  }

  length(n: number): this {
    if (!Array.isArray(this.raw) || this.raw.length !== n) this.fail(`an array of ${n}`);
    return this;
  }

  at(i: number): unknown {
    return (this.raw as unknown[])[i];
  }

  int(i: number): number {
    const v = this.at(i);
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail(`an integer at ${i}`);
    return v;
  }

  oneOf<T extends number>(i: number, allowed: readonly T[]): T {
    return oneOf(this.script, this.at(i), allowed, this.raw, ` at ${i}`);
  }

  str(i: number): string {
    const v = this.at(i);
    if (typeof v !== 'string') this.fail(`a string at ${i}`);
    return v;
  }

  /** A presence version or seq: Lua keeps it as a string of digits (a double would lose digits). */
  counter(v: unknown): number {
    if (typeof v !== 'string' || !/^\d+$/.test(v)) this.fail('a decimal counter');
    return Number(v);
  }

  /** {uid, name, classic '0'|'1'} */
  user(v: unknown): UserSummary {
    if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => typeof x === 'string') || (v[2] !== '0' && v[2] !== '1')) this.fail('a user {uid, name, classic}');
    return userSummary(v[0] as string, v[1] as string, v[2] as string);
  }

  /** {room, pv, 'join'|'leave', uid, name, classic} */
  change(v: unknown): RoomPresenceChange {
    if (!Array.isArray(v) || v.length !== 6 || typeof v[0] !== 'string' || (v[2] !== 'join' && v[2] !== 'leave')) this.fail('a change {room, pv, op, uid, name, classic}');
    return { room: v[0] as string, change: { pv: this.counter(v[1]), op: v[2] as 'join' | 'leave', user: this.user(v.slice(3)) } };
  }

  changes(v: unknown): RoomPresenceChange[] {
    if (!Array.isArray(v)) this.fail('a list of changes');
    return v.map((c) => this.change(c));
  }

  /** The stored message, as the script assembled it (JSON text). */
  message(i: number): ChatMessage {
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.str(i));
    } catch (err) {
      if (err instanceof UnexpectedReply) throw err;
      this.fail(`message JSON at ${i}`);
    }
    if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { seq?: unknown }).seq !== 'number') this.fail(`a message with a seq at ${i}`);
    return parsed as ChatMessage;
  }
}

/** A status code: `value` must be one of `allowed` (`reply` is the whole reply, for the message). */
function oneOf<T extends number>(script: string, value: unknown, allowed: readonly T[], reply = value, where = ''): T {
  if (!(allowed as readonly unknown[]).includes(value)) throw new UnexpectedReply(script, `one of ${allowed.join(', ')}${where}`, reply);
  return value as T;
}

function preview(reply: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(reply) ?? String(reply);
  } catch {
    text = String(reply);
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
