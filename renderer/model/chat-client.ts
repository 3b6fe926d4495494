/**
 * The chat session as the UI sees it: one connection to one relay, the conversations the user is
 * in, the outbox, and the connection state for the banner. DOM-free (socket.io-client and signals
 * only), so it runs, and is tested, in plain Node against a real relay.
 *
 * Reconnection is done here rather than by socket.io-client, so the UI can show exactly when the
 * next attempt happens ("reconnecting in 3 s") and offer "retry now".
 */
import { signal } from '@preact/signals-core';
import { io, type Socket } from 'socket.io-client';
import {
  dmParties,
  dmRoomId,
  DEFAULT_ROOM,
  ErrorCode,
  MESSAGE_MAX,
  PROTOCOL_VERSION,
  type AckResult,
  type ChatMessage,
  type ClientToServerEvents,
  type HistoryPage,
  type LoginOk,
  type PresenceDelta,
  type PresenceSnapshot,
  type RoomInfo,
  type RoomState,
  type SendOk,
  type ServerToClientEvents,
  type UserSummary,
} from '../../protocol/index';
import { reconnectDelay } from './backoff';
import { Conversation } from './conversation';
import { newClientId } from './ids';
import { Outbox, type OutboxItem } from './outbox';
import { MemoryStore, type KeyValueStore } from './storage';
import { UnreadCounter } from './unread';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'offline' | 'closed';

/** Why a first connection failed: an ErrorCode from the relay, or UNREACHABLE. */
export class ConnectFailure extends Error {
  constructor(readonly code: ErrorCode | 'UNREACHABLE', message: string) {
    super(message);
    this.name = 'ConnectFailure';
  }
}

export interface ChatClientOptions {
  url: string;
  nickname: string;
  /** The user's secret key (see protocol HandshakeAuth). */
  key: string;
  joinCode?: string;
  storage?: KeyValueStore;
  /** A message from someone else arrived (for notifications). */
  onIncoming?: (conversation: Conversation, message: ChatMessage) => void;
  /** Transports, websocket first: Parley skips the classic long-polling start. */
  transports?: ('websocket' | 'polling')[];
  ackTimeoutMs?: number;
  connectTimeoutMs?: number;
}

const ACK_TIMEOUT_MS = 10_000;
/** How long a missing seq may take to arrive live before it is fetched. */
const HOLE_GRACE_MS = 1000;
/** Catch-up walks back at most this many history pages (of the relay's page size) per conversation. */
const MAX_CATCH_UP_PAGES = 50;
const TYPING_REFRESH_MS = 2500;
const TYPING_IDLE_MS = 3000;

export class ChatClient {
  readonly status = signal<ConnectionStatus>('connecting');
  /** When the next reconnect attempt happens (ms since epoch), while reconnecting. */
  readonly retryAt = signal<number | null>(null);
  readonly me = signal<{ userId: string; username: string } | null>(null);
  readonly active = signal<string>(DEFAULT_ROOM);
  /** Bumped on every change to conversations, timelines, presence or typing: the UI re-renders on it. */
  readonly revision = signal(0);
  /** A short message for the user about something that went wrong in the chat (not the connection). */
  readonly notice = signal<string | null>(null);
  /** Public rooms on the relay (from room:list / room:created). */
  readonly directory = signal<RoomInfo[]>([]);
  /** The relay's lobby user count (everyone). */
  readonly numUsers = signal(0);
  /** 'degraded': the relay cannot reach its message store; messages reach people on the same server now and are saved later. */
  readonly serverStatus = signal<'ok' | 'degraded'>('ok');
  /** Set when the relay said it is shutting down (a LAN host quit, a deployment); cleared at the next login. */
  readonly serverClosed = signal(false);

  readonly unread = new UnreadCounter();
  /** Called for each new message from someone else (notifications, screen-reader announcements). */
  onIncoming: ((conversation: Conversation, message: ChatMessage) => void) | undefined;
  readonly outbox: Outbox;
  private readonly convs = new Map<string, Conversation>();
  private readonly socket: ClientSocket;
  private readonly storage: KeyValueStore;
  private readonly storageKey: string;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private everLoggedIn = false;
  private closed = false;
  private networkUp = true;
  private viewing = true;
  private typingRoom: string | null = null;
  private typingSentAt = 0;
  private typingIdle: ReturnType<typeof setTimeout> | undefined;
  private resyncing = new Set<string>();
  /** Pending hole repairs, by conversation. */
  private readonly repairs = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly opts: ChatClientOptions) {
    this.storage = opts.storage ?? new MemoryStore();
    this.onIncoming = opts.onIncoming;
    this.storageKey = `parley:${opts.url}:${opts.key.slice(0, 8)}`;
    this.socket = io(opts.url, {
      autoConnect: false,
      reconnection: false,
      transports: opts.transports ?? ['websocket', 'polling'],
      timeout: opts.connectTimeoutMs ?? 8000,
      auth: { client: 'parley', protocol: PROTOCOL_VERSION, key: opts.key, ...(opts.joinCode ? { joinCode: opts.joinCode } : {}) },
    });
    this.outbox = new Outbox((item) => this.sendItem(item), {
      sent: (item, ack) => this.onSent(item, ack),
      changed: (item) => this.onOutboxChange(item),
    }, {
      load: () => this.storage.get<OutboxItem[]>(`${this.storageKey}:outbox`) ?? [],
      save: (items) => this.storage.set(`${this.storageKey}:outbox`, items),
    });
    this.ensure(DEFAULT_ROOM);
    for (const room of this.storage.get<string[]>(`${this.storageKey}:rooms`) ?? []) this.ensure(room);
    for (const item of this.outbox.list()) {
      const conv = this.ensure(item.room);
      conv.timeline.addPending(item.clientId, item.text, item.createdAt);
      if (item.state === 'failed') conv.timeline.setPendingStatus(item.clientId, 'failed', item.error);
    }
    this.wire();
  }

  // ── lifecycle ────────────────────────────────────────────────────────────

  /** Connects and logs in; rejects with a ConnectFailure the connect screen can show. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const fail = (err: ConnectFailure) => {
        cleanup();
        this.close();
        reject(err);
      };
      const onError = (err: Error & { data?: { code?: ErrorCode; message?: string } }) => {
        if (err.data?.code) fail(new ConnectFailure(err.data.code, err.data.message ?? err.message));
        else fail(new ConnectFailure('UNREACHABLE', `Cannot reach ${this.opts.url}.`));
      };
      const onLogin = (res: AckResult<LoginOk>) => {
        cleanup();
        if (res.ok) resolve();
        else fail(new ConnectFailure(res.code, res.message));
      };
      const cleanup = () => {
        this.socket.off('connect_error', onError);
        this.loginListeners.delete(onLogin);
      };
      this.socket.once('connect_error', onError);
      this.loginListeners.add(onLogin);
      this.status.value = 'connecting';
      this.socket.connect();
    });
  }

  /** The relay this client talks to, as given. */
  get url(): string {
    return this.opts.url;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.typingIdle);
    for (const timer of this.repairs.values()) clearTimeout(timer);
    this.repairs.clear();
    this.outbox.setOnline(false);
    this.socket.disconnect();
    this.status.value = 'closed';
  }

  /** Skip the wait and reconnect now (the banner's "Retry now"). */
  retryNow(): void {
    if (this.closed || this.socket.connected) return;
    clearTimeout(this.retryTimer);
    this.retryAt.value = null;
    this.status.value = this.networkUp ? 'reconnecting' : 'offline';
    this.socket.connect();
  }

  /** The browser's network state (navigator.onLine and its events). */
  setNetworkOnline(up: boolean): void {
    this.networkUp = up;
    if (!up && !this.socket.connected && this.everLoggedIn) this.status.value = 'offline';
    if (up && this.everLoggedIn && !this.socket.connected) this.retryNow();
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
  conversations(): Conversation[] {
    const all = [...this.convs.values()];
    const rooms = all.filter((c) => c.kind === 'room').sort((a, b) => (a.id === DEFAULT_ROOM ? -1 : b.id === DEFAULT_ROOM ? 1 : a.id.localeCompare(b.id)));
    const dms = all.filter((c) => c.kind === 'dm').sort((a, b) => a.title.localeCompare(b.title));
    return [...rooms, ...dms];
  }

  setActive(id: string): void {
    if (!this.convs.has(id)) return;
    this.stopTyping();
    this.active.value = id;
    this.markRead(id);
    const conv = this.convs.get(id)!;
    if (!conv.loaded && this.status.value === 'online') void this.loadLatest(conv);
    this.bump();
  }

  markRead(id: string): void {
    this.unread.clear(id);
    this.bump();
  }

  async joinRoom(name: string, create: boolean): Promise<void> {
    const res = await this.request<RoomState>('room:join', { room: name, create });
    if (!res.ok) throw new ConnectFailure(res.code, res.message);
    const conv = this.ensure(res.presence.room);
    this.applyRoomState(conv, res);
    this.saveRooms();
    this.setActive(conv.id);
  }

  async leaveRoom(name: string): Promise<void> {
    const res = await this.request<{ room: string }>('room:leave', { room: name });
    if (!res.ok) throw new ConnectFailure(res.code, res.message);
    this.convs.delete(name);
    this.unread.forget(name);
    this.saveRooms();
    if (this.active.value === name) this.active.value = DEFAULT_ROOM;
    this.bump();
  }

  async refreshDirectory(): Promise<void> {
    const res = await this.request<{ rooms: RoomInfo[] }>('room:list');
    if (res.ok) this.directory.value = res.rooms;
  }

  /** Opens (or focuses) the DM conversation with `user`. */
  openDm(user: UserSummary): void {
    const me = this.me.value;
    if (!me || user.id === me.userId) return;
    const id = dmRoomId(me.userId, user.id);
    const conv = this.ensure(id);
    conv.peerName = user.username;
    this.setActive(id);
  }

  async loadOlder(id: string): Promise<void> {
    const conv = this.convs.get(id);
    const before = conv?.timeline.oldestSeq();
    if (!conv || before === undefined) return;
    const res = await this.request<HistoryPage>('history:fetch', { room: id, beforeSeq: before, limit: 100 });
    if (!res.ok) return;
    conv.timeline.addAll(res.messages);
    conv.timeline.hasMore = res.hasMore;
    this.bump();
  }

  // ── sending ──────────────────────────────────────────────────────────────

  /** Queues a message for the active conversation. Returns an error text instead when it cannot be sent at all. */
  send(text: string): string | null {
    if (text.trim().length === 0) return null;
    if (text.length > MESSAGE_MAX) return `Messages are limited to ${MESSAGE_MAX} characters (this one has ${text.length}).`;
    const room = this.active.value;
    const conv = this.ensure(room);
    const clientId = newClientId();
    const now = Date.now();
    conv.timeline.addPending(clientId, text, now);
    this.stopTyping();
    this.outbox.enqueue(room, text, clientId, now);
    this.bump();
    return null;
  }

  retry(clientId: string): void {
    this.outbox.retry(clientId);
  }

  discard(clientId: string): void {
    const item = this.outbox.discard(clientId);
    if (item) this.convs.get(item.room)?.timeline.removePending(clientId);
    this.bump();
  }

  /** Called on every edit of the composer: keeps the typing indicator of the active room up to date. */
  composing(text: string): void {
    if (!this.socket.connected || !this.me.value) return;
    if (text.length === 0) return this.stopTyping();
    const room = this.active.value;
    const now = Date.now();
    if (this.typingRoom !== room || now - this.typingSentAt > TYPING_REFRESH_MS) {
      if (this.typingRoom && this.typingRoom !== room) this.stopTyping();
      this.socket.emit('typing', { room });
      this.typingRoom = room;
      this.typingSentAt = now;
    }
    clearTimeout(this.typingIdle);
    this.typingIdle = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  private stopTyping(): void {
    clearTimeout(this.typingIdle);
    if (this.typingRoom && this.socket.connected) this.socket.emit('stop typing', { room: this.typingRoom });
    this.typingRoom = null;
  }

  // ── wiring ───────────────────────────────────────────────────────────────

  private readonly loginListeners = new Set<(res: AckResult<LoginOk>) => void>();

  private wire(): void {
    const s = this.socket;
    s.on('connect', () => void this.login());
    s.on('disconnect', (reason) => {
      this.outbox.setOnline(false);
      this.clearTypists();
      if (this.closed || reason === 'io client disconnect') return;
      this.scheduleReconnect();
    });
    s.on('connect_error', () => {
      if (this.everLoggedIn && !this.closed) this.scheduleReconnect();
    });
    s.on('new message', (msg) => this.onMessage(msg));
    s.on('presence', (delta) => this.onPresence(delta));
    s.on('typing', (n) => {
      const conv = n.room ? this.convs.get(n.room) : undefined;
      if (!conv || !n.userId || n.userId === this.me.value?.userId) return;
      conv.typing.start(n.userId, n.username);
      this.bump();
      // Expire on screen even if no further event arrives.
      setTimeout(() => this.bump(), 6100);
    });
    s.on('stop typing', (n) => {
      const conv = n.room ? this.convs.get(n.room) : undefined;
      if (conv && n.userId && conv.typing.stop(n.userId)) this.bump();
    });
    s.on('room:created', (info) => {
      if (!this.directory.value.some((r) => r.room === info.room)) {
        this.directory.value = [...this.directory.value, info].sort((a, b) => a.room.localeCompare(b.room));
      }
    });
    s.on('parley:error', (err) => {
      this.notice.value = err.message;
    });
    s.on('server:status', ({ status }) => {
      const was = this.serverStatus.value;
      this.serverStatus.value = status;
      // Back to normal: fetch what other servers' users said meanwhile (deduplicated by id).
      if (status === 'ok' && was === 'degraded') void this.catchUp();
    });
    s.on('nickname:changed', (c) => {
      // Claimed elsewhere first while this relay was cut off: reconnects log in under the new name.
      this.opts.nickname = c.username;
      if (this.me.value) this.me.value = { ...this.me.value, username: c.username };
      this.convs.get(DEFAULT_ROOM)?.timeline.addSystem(`is your name now: "${c.previous}" was taken on another server while this one was cut off`, Date.now(), c.username);
      this.bump();
    });
    s.on('server:shutdown', (n) => {
      // The relay is going away: wait as suggested before the first attempt.
      this.attempt = Math.max(this.attempt, 1);
      this.retryAt.value = Date.now() + n.reconnectAfterMs;
      this.serverClosed.value = true;
    });
  }

  private async login(): Promise<void> {
    // A Map, not an object: a room named "constructor" must not read Object.prototype.constructor.
    const since = new Map<string, number>();
    for (const c of this.convs.values()) if (c.timeline.syncedSeq > 0) since.set(c.id, c.timeline.syncedSeq);
    const rooms = [...this.convs.values()].filter((c) => c.kind === 'room' && c.id !== DEFAULT_ROOM).map((c) => c.id);
    let res: AckResult<LoginOk>;
    try {
      res = await this.socket.timeout(this.opts.ackTimeoutMs ?? ACK_TIMEOUT_MS).emitWithAck('add user', { username: this.opts.nickname, rooms, since: Object.fromEntries(since) });
    } catch {
      res = { ok: false, code: ErrorCode.UNAVAILABLE, message: 'Login timed out.' };
    }
    for (const l of this.loginListeners) l(res);
    if (!res.ok) {
      if (this.everLoggedIn) {
        this.notice.value = `Could not log in again: ${res.message}`;
        this.socket.disconnect();
        this.scheduleReconnect();
      }
      return;
    }
    this.everLoggedIn = true;
    this.serverClosed.value = false;
    this.attempt = 0;
    this.retryAt.value = null;
    this.me.value = { userId: res.userId, username: res.username };
    this.numUsers.value = res.numUsers;
    for (const state of res.rooms) this.applyRoomState(this.ensure(state.presence.room), state, since.get(state.presence.room));
    for (const page of res.dms) this.applyPage(this.ensure(page.room), page, since.get(page.room));
    this.status.value = 'online';
    this.outbox.setOnline(true);
    const active = this.convs.get(this.active.value);
    if (active && !active.loaded) void this.loadLatest(active);
    this.bump();
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    clearTimeout(this.retryTimer);
    const suggested = this.retryAt.value;
    const delay = suggested !== null && suggested > Date.now() ? suggested - Date.now() : reconnectDelay(this.attempt);
    this.attempt++;
    this.retryAt.value = Date.now() + delay;
    this.status.value = this.networkUp ? 'reconnecting' : 'offline';
    this.retryTimer = setTimeout(() => {
      this.retryAt.value = null;
      if (!this.closed && !this.socket.connected) this.socket.connect();
    }, delay);
  }

  private onMessage(msg: ChatMessage): void {
    const conv = this.ensure(msg.room, msg);
    const added = conv.timeline.add(msg);
    if (conv.timeline.hasHole) this.scheduleRepair(conv);
    if (!added) return;
    const own = msg.userId === this.me.value?.userId;
    conv.typing.stop(msg.userId);
    if (!own) {
      const looking = this.viewing && this.active.value === conv.id;
      this.unread.bump(conv.id, looking);
      this.onIncoming?.(conv, msg);
    }
    this.bump();
  }

  private onPresence(delta: PresenceDelta): void {
    const conv = this.convs.get(delta.room);
    if (!conv) return;
    const { joined, left } = conv.presence.applyDelta(delta);
    if (delta.room === DEFAULT_ROOM) this.numUsers.value = delta.numUsers;
    const me = this.me.value?.userId;
    const others = (list: UserSummary[]) => list.filter((u) => u.id !== me);
    const j = others(joined);
    const l = others(left);
    if (j.length > 3) conv.timeline.addSystem(`${j.length} people joined`);
    else for (const u of j) conv.timeline.addSystem('joined', Date.now(), u.username);
    if (l.length > 3) conv.timeline.addSystem(`${l.length} people left`);
    else for (const u of l) conv.timeline.addSystem('left', Date.now(), u.username);
    for (const u of left) conv.typing.stop(u.id);
    if (conv.presence.outOfSync) void this.resync(conv);
    this.bump();
  }

  /** Our participant list disagrees with the relay's count (a delta was missed): fetch a snapshot. */
  private async resync(conv: Conversation): Promise<void> {
    if (this.resyncing.has(conv.id)) return;
    this.resyncing.add(conv.id);
    try {
      const res = await this.request<PresenceSnapshot>('users:list', { room: conv.id });
      if (res.ok) conv.presence.applySnapshot(res);
      this.bump();
    } finally {
      this.resyncing.delete(conv.id);
    }
  }

  private applyRoomState(conv: Conversation, state: RoomState, since?: number): void {
    conv.presence.applySnapshot(state.presence, true);
    if (conv.id === DEFAULT_ROOM) this.numUsers.value = state.presence.numUsers;
    this.applyPage(conv, state.history, since);
  }

  /**
   * Applies a page of the newest messages (after `since`, when given). A first load is complete up to
   * the room's newest seq (older ones are scroll-back). A catch-up page cut short by the page size
   * (`hasMore`) left out the middle of what was missed: that part is fetched before the cursor moves.
   */
  private applyPage(conv: Conversation, page: HistoryPage, since?: number): void {
    if (page.unavailable) return; // loaded later, when the relay reports its store is back
    const firstLoad = !conv.loaded;
    conv.timeline.addAll(page.messages);
    if (firstLoad) conv.timeline.hasMore = page.hasMore;
    if (page.gap && !firstLoad) conv.timeline.addSystem('Some messages could not be recovered after the reconnect.');
    conv.loaded = true;
    if (since !== undefined && page.hasMore) void this.syncForward(conv);
    else conv.timeline.markSynced(page.lastSeq);
  }

  /**
   * Fetches everything after the conversation's cursor: the newest page, then older pages down to the
   * cursor, so that nothing in between is skipped however much was missed. Returns false when the
   * relay could not answer (the cursor stays, and the next reconnect or repair tries again).
   */
  private async syncForward(conv: Conversation): Promise<boolean> {
    const from = conv.timeline.syncedSeq;
    const firstLoad = !conv.loaded;
    // Not shown yet: the newest page (with its older history). Shown: only what came after the cursor.
    const first = await this.request<HistoryPage>('history:fetch', firstLoad || from === 0 ? { room: conv.id } : { room: conv.id, afterSeq: from });
    if (!first.ok || first.unavailable) return false;
    conv.timeline.addAll(first.messages);
    if (firstLoad) conv.timeline.hasMore = first.hasMore;
    conv.loaded = true;
    let page: HistoryPage = first;
    let pages = 1;
    const short = (p: HistoryPage) => from > 0 && p.hasMore && p.messages.length > 0 && p.messages[0]!.seq > from + 1;
    while (short(page) && pages < MAX_CATCH_UP_PAGES) {
      const next = await this.request<HistoryPage>('history:fetch', { room: conv.id, afterSeq: from, beforeSeq: page.messages[0]!.seq });
      if (!next.ok || next.unavailable) return false;
      conv.timeline.addAll(next.messages);
      page = next;
      pages++;
    }
    if (!firstLoad && (first.gap || short(page))) conv.timeline.addSystem('Some messages could not be recovered after the reconnect.');
    conv.timeline.markSynced(first.lastSeq);
    this.bump();
    return true;
  }

  /**
   * A stored message is missing below one that arrived (instances deliver out of order, and a
   * broadcast can be lost while an instance's link to Redis blinks). Give it a moment to arrive live,
   * then fetch from the cursor.
   */
  private scheduleRepair(conv: Conversation): void {
    if (this.repairs.has(conv.id)) return;
    const timer = setTimeout(() => {
      void (async () => {
        try {
          if (conv.timeline.hasHole && this.status.value === 'online') await this.syncForward(conv);
        } finally {
          this.repairs.delete(conv.id);
        }
        if (conv.timeline.hasHole) this.scheduleRepair(conv);
      })();
    }, HOLE_GRACE_MS);
    this.repairs.set(conv.id, timer);
  }

  private async catchUp(): Promise<void> {
    for (const conv of [...this.convs.values()]) await this.syncForward(conv);
    this.bump();
  }

  private async loadLatest(conv: Conversation): Promise<void> {
    await this.syncForward(conv);
    this.bump();
  }

  private ensure(id: string, hint?: ChatMessage): Conversation {
    let conv = this.convs.get(id);
    if (conv) return conv;
    const parties = dmParties(id);
    if (parties) {
      const me = this.me.value?.userId;
      const peer = parties[0] === me ? parties[1] : parties[0];
      const name = hint && hint.userId === peer ? hint.username : this.convs.get(DEFAULT_ROOM)?.presence.get(peer)?.username;
      conv = new Conversation(id, 'dm', peer, name);
    } else {
      conv = new Conversation(id, 'room');
    }
    this.convs.set(id, conv);
    return conv;
  }

  private saveRooms(): void {
    const rooms = [...this.convs.values()].filter((c) => c.kind === 'room' && c.id !== DEFAULT_ROOM).map((c) => c.id);
    this.storage.set(`${this.storageKey}:rooms`, rooms);
  }

  private sendItem(item: OutboxItem): Promise<AckResult<SendOk>> {
    return this.socket
      .timeout(this.opts.ackTimeoutMs ?? ACK_TIMEOUT_MS)
      .emitWithAck('new message', { text: item.text, room: item.room, clientId: item.clientId });
  }

  private onSent(item: OutboxItem, ack: SendOk): void {
    const me = this.me.value;
    const conv = this.ensure(item.room);
    if (me) {
      conv.timeline.add({ username: me.username, message: item.text, id: ack.id, seq: ack.seq, ts: ack.ts, room: ack.room, userId: me.userId, clientId: item.clientId });
    }
    conv.timeline.removePending(item.clientId);
    this.bump();
  }

  private onOutboxChange(item: OutboxItem): void {
    const conv = this.convs.get(item.room);
    if (!conv) return;
    if (item.state === 'failed') conv.timeline.setPendingStatus(item.clientId, 'failed', item.error);
    else conv.timeline.setPendingStatus(item.clientId, 'pending');
    this.bump();
  }

  private clearTypists(): void {
    // Their stop events cannot reach us while disconnected.
    for (const c of this.convs.values()) c.typing.clear();
  }

  private async request<T extends object>(event: string, ...args: unknown[]): Promise<AckResult<T>> {
    if (!this.socket.connected) return { ok: false, code: ErrorCode.UNAVAILABLE, message: 'Not connected.' } as AckResult<T>;
    try {
      const emit = this.socket.timeout(this.opts.ackTimeoutMs ?? ACK_TIMEOUT_MS) as unknown as {
        emitWithAck(e: string, ...a: unknown[]): Promise<AckResult<T>>;
      };
      return await emit.emitWithAck(event, ...args);
    } catch {
      return { ok: false, code: ErrorCode.UNAVAILABLE, message: 'The relay did not answer.' } as AckResult<T>;
    }
  }

  private bump(): void {
    this.revision.value++;
  }
}
