/**
 * Logging in, on every (re)connect: the rooms to rejoin and, per conversation, the last `seq` seen,
 * so the relay answers with only what was missed; then the state the answer carries is applied.
 */
import { ErrorCode, type Answer } from '../../protocol/index';
import type { ClientState } from './client-state';
import type { ConversationList } from './conversation-list';
import type { HistorySync } from './history-sync';
import type { RelayConnection } from './relay-connection';

export type LoginAnswer = Answer<'add user'>;
export type LoggedIn = Extract<LoginAnswer, { ok: true }>;

export class Login {
  /** Told of every login outcome (the first connection's promise waits on it). */
  readonly listeners = new Set<(answer: LoginAnswer) => void>();

  constructor(
    private readonly state: ClientState,
    private readonly convs: ConversationList,
    private readonly relay: RelayConnection,
    private readonly sync: HistorySync,
    private readonly nickname: () => string,
  ) {}

  /** Logs in; resolves with the relay's answer once its state is applied, or null when not online. */
  async run(): Promise<LoggedIn | null> {
    // A Map, not an object: a room named "constructor" must not read Object.prototype.constructor.
    const since = new Map<string, number>();
    for (const c of this.convs.all()) if (c.timeline.syncedSeq > 0) since.set(c.id, c.timeline.syncedSeq);
    let res: LoginAnswer;
    try {
      res = await this.relay.socket
        .timeout(this.relay.ackTimeoutMs)
        .emitWithAck('add user', { username: this.nickname(), rooms: this.convs.extraRooms(), since: Object.fromEntries(since) });
    } catch {
      res = { ok: false, code: ErrorCode.UNAVAILABLE, message: 'Login timed out.' };
    }
    for (const listener of this.listeners) listener(res);
    if (!res.ok) {
      if (this.relay.established) {
        this.state.notice.value = `Could not log in again: ${res.message}`;
        this.relay.socket.disconnect();
        this.relay.scheduleReconnect();
      }
      return null;
    }
    this.relay.loggedIn();
    this.state.serverClosed.value = false;
    this.state.fromCache.value = false;
    this.state.me.value = { userId: res.userId, username: res.username };
    this.state.numUsers.value = res.numUsers;
    for (const room of res.rooms) this.sync.applyRoomState(this.convs.ensure(room.presence.room), room, since.get(room.presence.room));
    for (const page of res.dms) this.sync.applyPage(this.convs.ensure(page.room), page, since.get(page.room));
    this.state.status.value = 'online';
    return res;
  }
}
