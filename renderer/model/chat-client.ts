/**
 * The chat session as the UI sees it: one connection to one relay, the conversations the user is
 * in, the outbox, and the connection state for the banner. DOM-free (socket.io-client and signals
 * only), so it runs, and is tested, in plain Node against a real relay.
 *
 * This class puts the parts together and routes the relay's events to them; each part is a module of
 * its own: the socket (relay-connection), login, conversations, history sync, presence and typing,
 * the outbox, edits and search, and the local history cache (history-persistence).
 */
import { Editing } from './editing';
import { DEFAULT_ROOM, dmRoomId, ErrorCode, type ChatMessage, type UserSummary } from '../../protocol/index';
import { ClientState } from './client-state';
import { ConnectFailure } from './connect-failure';
import type { Conversation } from './conversation';
import { ConversationList } from './conversation-list';
import { Emitter } from './emitter';
import { Files } from './files';
import type { HistoryCache } from './history-cache';
import { HistoryPersistence } from './history-persistence';
import { HistorySync } from './history-sync';
import { LastConversation } from './last-conversation';
import { Login, type LoggedIn, type LoginAnswer } from './login';
import type { Outbox } from './outbox';
import { PresenceSync } from './presence-sync';
import { ReadSync } from './read-sync';
import { RelayConnection, type ConnectionOptions, type ResumeOutcome } from './relay-connection';
import { Sending } from './sending';
import { MemoryStore, type KeyValueStore } from './storage';
import { TypingSender } from './typing-sender';
import { UnreadCounter } from './unread';
import type { UploadOptions } from './uploads';
import { userIdFromKey } from '../../protocol/identity';

export type { ConnectionStatus } from './client-state';
export type { ResumeOutcome } from './relay-connection';
export { ConnectFailure };

export interface ChatClientOptions extends ConnectionOptions {
  nickname: string;
  storage?: KeyValueStore;
  /** This server and identity's history cache: shown before connecting, kept up to date while chatting. */
  cache?: HistoryCache;
  /** A message from someone else arrived (for notifications); the same as subscribing to `incoming`. */
  onIncoming?: (conversation: Conversation, message: ChatMessage) => void;
  /** Chunk size and retry pauses of file uploads (tests make them small). */
  uploads?: UploadOptions;
}

export class ChatClient {
  private readonly state = new ClientState();
  readonly status = this.state.status;
  readonly retryAt = this.state.retryAt;
  readonly me = this.state.me;
  readonly active = this.state.active;
  readonly revision = this.state.revision;
  readonly notice = this.state.notice;
  readonly directory = this.state.directory;
  readonly numUsers = this.state.numUsers;
  readonly serverStatus = this.state.serverStatus;
  readonly serverClosed = this.state.serverClosed;
  readonly fromCache = this.state.fromCache;

  readonly unread = new UnreadCounter();
  /** Each new message from someone else (notifications, screen-reader announcements). */
  readonly incoming = new Emitter<[conversation: Conversation, message: ChatMessage]>();
  private readonly relay: RelayConnection;
  private readonly convs: ConversationList;
  private readonly sync: HistorySync;
  private readonly presence: PresenceSync;
  private readonly typing: TypingSender;
  private readonly sending: Sending;
  private readonly login: Login;
  private readonly persistence: HistoryPersistence | undefined;
  private readonly last: LastConversation;
  /** Read and delivered cursors: own (shared by the user's devices) and others' (ticks, "Seen by"). */
  readonly reads: ReadSync;
  /** Edit, delete and search (editing.ts). */
  readonly editing: Editing;
  /** File uploads and downloads (files.ts, uploads.ts). */
  readonly files: Files;
  private viewing = true;

  constructor(private readonly opts: ChatClientOptions) {
    const storage = opts.storage ?? new MemoryStore();
    const storageKey = `parley:${opts.url}:${opts.key.slice(0, 8)}`;
    if (opts.onIncoming) this.incoming.subscribe(opts.onIncoming);
    this.relay = new RelayConnection(opts, this.state);
    this.convs = new ConversationList(this.state, storage, storageKey);
    this.last = new LastConversation(storage, storageKey);
    this.sync = new HistorySync(this.state, this.convs, this.relay);
    this.presence = new PresenceSync(this.state, this.convs, this.relay);
    this.typing = new TypingSender(this.state, this.relay);
    this.files = new Files(this.state, this.relay, opts.url, opts.uploads);
    this.sending = new Sending(this.state, this.convs, this.relay, this.files.uploads, storage, storageKey);
    this.login = new Login(this.state, this.convs, this.relay, this.sync, () => this.opts.nickname);
    this.reads = new ReadSync(this.state, this.convs, this.relay, this.unread);
    this.editing = new Editing(this.state, this.convs, this.relay);
    if (opts.cache) this.persistence = new HistoryPersistence(opts.cache, this.state, this.convs);
    this.wire();
  }

  get outbox(): Outbox {
    return this.sending.outbox;
  }

  // ── lifecycle ────────────────────────────────────────────────────────────

  /**
   * Shows what the history cache holds for this server and identity, without a connection; resolves
   * whether it held anything. Once per client; `start` does it first.
   */
  async restore(): Promise<boolean> {
    if (!this.persistence) return false;
    // Who this is, as the relay will say at login (the same derivation): cached DMs are named by
    // their other party, and the user's own cached messages show as theirs.
    this.me.value ??= { userId: userIdFromKey(this.opts.key), username: this.opts.nickname };
    const restored = (await this.persistence.restore()) > 0;
    // The conversation last open here, if the cache held it; the first login confirms it or moves on.
    const saved = this.last.saved();
    if (saved !== undefined && this.convs.has(saved)) this.active.value = saved;
    return restored;
  }

  /**
   * Shows the cache, then connects and logs in, asking for what came after the cached cursors.
   * Rejects with a ConnectFailure the connect screen can show (a refused pairing comes as one); but
   * with `resume`, a relay that cannot be reached while the cache held this user's conversations is
   * no failure: they show, the client retries as after a lost connection, and this resolves 'cached'.
   */
  async start({ resume = false }: { resume?: boolean } = {}): Promise<'online' | 'cached'> {
    const cached = await this.restore();
    return new Promise((resolve, reject) => {
      const fail = (err: ConnectFailure) => {
        cleanup();
        this.close();
        reject(err);
      };
      const onError = (err: Error & { data?: { code?: ErrorCode; message?: string } }) => {
        if (err instanceof ConnectFailure) fail(err);
        else if (err.data?.code) fail(new ConnectFailure(err.data.code, err.data.message ?? err.message));
        else if (resume && cached && !this.relay.isClosed) {
          cleanup();
          // This user has been here before: the session goes on from the cache, as if just cut off.
          this.relay.established = true;
          this.relay.scheduleReconnect();
          this.fromCache.value = true;
          resolve('cached');
        } else fail(new ConnectFailure('UNREACHABLE', `Cannot reach ${this.opts.url}.`));
      };
      const onLogin = (res: LoginAnswer) => {
        cleanup();
        if (res.ok) resolve('online');
        else fail(new ConnectFailure(res.code, res.message));
      };
      const cleanup = () => {
        this.relay.socket.off('connect_error', onError);
        this.login.listeners.delete(onLogin);
      };
      this.relay.socket.once('connect_error', onError);
      this.login.listeners.add(onLogin);
      this.status.value = 'connecting';
      this.relay.connect();
    });
  }

  /** The relay this client talks to, as given. */
  get url(): string {
    return this.opts.url;
  }
  close(): void {
    this.typing.close();
    this.reads.close();
    this.sync.close();
    this.sending.outbox.setOnline(false);
    this.files.close();
    this.relay.close();
    void this.persistence?.stop();
  }

  /** Leaves the relay and forgets this server and identity's cached history; resolves once it is gone. */
  async signOut(): Promise<void> {
    // Cleared first: closing would otherwise write out pending changes that are about to be deleted.
    const cleared = this.persistence?.clear();
    this.close();
    await cleared;
  }

  /** Writes pending changes to the history cache now; resolves once written. */
  async flushCache(): Promise<void> {
    await this.persistence?.flush();
  }

  /** Skip the wait and reconnect now (the banner's "Retry now"). */
  retryNow(): void {
    this.relay.retryNow();
  }

  /**
   * The computer woke from sleep, the network came back, or the page was hidden a while: check the
   * connection now instead of at Socket.IO's next missed heartbeat (up to 45 s later), reconnect at
   * once if it is dead, and catch up as after any reconnect. See RelayConnection.resume.
   */
  resume(): Promise<ResumeOutcome> {
    return this.relay.resume();
  }

  /** The browser's network state (navigator.onLine and its events). */
  setNetworkOnline(up: boolean): void {
    this.relay.setNetworkOnline(up);
  }

  /** Whether the user can see the window; unread counts and notifications depend on it. */
  setViewing(viewing: boolean): void {
    this.viewing = viewing;
    if (viewing) this.markRead(this.active.value);
  }

  get isViewing(): boolean {
    return this.viewing;
  }

  // ── conversations ────────────────────────────────────────────────────────

  conversation(id: string): Conversation | undefined {
    return this.convs.get(id);
  }

  /** Rooms first (lobby leading), then DMs. */
  conversations = (): Conversation[] => this.convs.ordered();

  setActive(id: string): void {
    const conv = this.convs.get(id);
    if (!conv) return;
    this.typing.stop();
    this.active.value = id;
    this.last.save(id);
    // Where the "new messages" divider goes: the read position before this look.
    this.reads.openedAt(id);
    // Read only if the user can see it (a notification click opens a room before the window is focused).
    if (this.viewing) this.markRead(id);
    if (this.status.value === 'online') {
      if (!conv.loaded) void this.sync.loadLatest(conv).then(() => this.viewing && this.active.value === id && this.markRead(id));
      void this.reads.loadCursors(id);
    }
    this.state.bump();
  }

  /** The user is looking at `id`: everything in it is read, on the relay too (and so on their other devices). */
  markRead(id: string): void {
    const conv = this.convs.get(id);
    if (conv) this.reads.markRead(conv);
    else this.unread.clear(id);
    this.state.bump();
  }

  async joinRoom(name: string, create: boolean): Promise<void> {
    const res = await this.relay.request('room:join', { room: name, create });
    if (!res.ok) throw new ConnectFailure(res.code, res.message);
    const conv = this.convs.ensure(res.presence.room);
    this.sync.applyRoomState(conv, res);
    this.convs.saveRooms();
    this.setActive(conv.id);
  }

  async leaveRoom(name: string): Promise<void> {
    const res = await this.relay.request('room:leave', { room: name });
    if (!res.ok) throw new ConnectFailure(res.code, res.message);
    this.convs.remove(name);
    this.unread.forget(name);
    this.reads.forget(name);
    this.convs.saveRooms();
    if (this.active.value === name) {
      this.active.value = DEFAULT_ROOM;
      this.last.save(DEFAULT_ROOM);
    }
    this.state.bump();
  }

  async refreshDirectory(): Promise<void> {
    const res = await this.relay.request('room:list');
    if (res.ok) this.directory.value = res.rooms;
  }

  /** Opens (or focuses) the DM conversation with `user`. */
  openDm(user: UserSummary): void {
    const me = this.me.value;
    if (!me || user.id === me.userId) return;
    const id = dmRoomId(me.userId, user.id);
    const conv = this.convs.ensure(id);
    conv.peerName = user.username;
    this.setActive(id);
  }

  /** Older messages; with `downTo`, pages back until that seq is held (a search hit's context). */
  async loadOlder(id: string, downTo?: number): Promise<void> {
    const conv = this.convs.get(id);
    if (conv) await this.sync.loadOlder(conv, downTo);
  }

  // ── sending ──────────────────────────────────────────────────────────────

  /** Queues a message, with the composer's files, for the active conversation. Returns an error text instead when it cannot be sent at all. */
  send(text: string): string | null {
    const problem = this.sending.compose(this.active.value, text);
    if (problem === undefined) this.typing.stop();
    return problem ?? null;
  }

  retry(clientId: string): void {
    this.sending.retry(clientId);
  }

  discard(clientId: string): void {
    this.sending.discard(clientId);
  }

  /** Called on every edit of the composer: keeps the typing indicator of the active room up to date. */
  composing(text: string): void {
    this.typing.composing(text);
  }

  // ── the relay's events ───────────────────────────────────────────────────

  private wire(): void {
    const s = this.relay.socket;
    s.on('connect', () => void this.loggedIn());
    s.on('disconnect', (reason) => {
      this.sending.outbox.setOnline(false);
      this.presence.clearTypists();
      if (this.relay.isClosed || reason === 'io client disconnect') return;
      this.relay.scheduleReconnect();
    });
    s.on('new message', (msg) => this.onMessage(msg));
    s.on('presence', (delta) => this.presence.onDelta(delta));
    s.on('receipts', (notice) => this.reads.onReceipts(notice));
    s.on('typing', (notice) => this.presence.onTyping(notice));
    s.on('stop typing', (notice) => this.presence.onStopTyping(notice));
    s.on('room:created', (info) => this.state.addToDirectory(info));
    s.on('parley:error', (err) => {
      this.notice.value = err.message;
    });
    s.on('server:status', ({ status }) => {
      const was = this.serverStatus.value;
      this.serverStatus.value = status;
      // Back to normal: fetch what other servers' users said meanwhile (deduplicated by id).
      if (status === 'ok' && was === 'degraded') void this.sync.catchUp();
    });
    s.on('nickname:changed', (c) => {
      // Claimed elsewhere first while this relay was cut off: reconnects log in under the new name.
      this.opts.nickname = c.username;
      if (this.me.value) this.me.value = { ...this.me.value, username: c.username };
      this.convs.get(DEFAULT_ROOM)?.timeline.addSystem(`is your name now: "${c.previous}" was taken on another server while this one was cut off`, Date.now(), c.username);
      this.state.bump();
    });
    s.on('server:shutdown', (n) => {
      this.relay.waitBeforeReconnect(n.reconnectAfterMs);
      this.serverClosed.value = true;
    });
  }

  private async loggedIn(): Promise<void> {
    const answer = await this.login.run();
    if (!answer) return;
    this.reads.applyLogin(answer.reads);
    this.editing.windowMs = answer.editWindowMs;
    this.reopenLast(answer);
    this.sending.outbox.setOnline(true);
    const active = this.convs.get(this.active.value);
    if (active) {
      if (!active.loaded) void this.sync.loadLatest(active);
      if (this.viewing) this.markRead(active.id);
      void this.reads.loadCursors(active.id);
    }
    this.state.bump();
  }

  /** At the first login: back to the conversation last open on this server, if the relay still has the user in it. */
  private reopenLast(answer: LoggedIn): void {
    const rejoined = new Set([...answer.rooms.map((r) => r.presence.room), ...answer.dms.map((p) => p.room)]);
    const target = this.last.afterLogin(this.active.value, rejoined);
    if (target !== undefined && this.convs.has(target)) this.setActive(target);
  }

  private onMessage(msg: ChatMessage): void {
    const conv = this.convs.ensure(msg.room, msg);
    const added = conv.timeline.add(msg);
    if (conv.timeline.hasHole) this.sync.scheduleRepair(conv);
    if (msg.change !== undefined) this.state.bump();
    if (!added) return;
    conv.typing.stop(msg.userId);
    if (msg.userId !== this.me.value?.userId) {
      const seen = this.viewing && this.active.value === conv.id;
      this.unread.bump(conv.id, seen);
      this.reads.received(conv, msg.seq);
      if (seen) this.reads.markRead(conv);
      this.incoming.emit(conv, msg);
    }
    this.state.bump();
  }
}
