/**
 * What the user sends: each message shows at once as pending in its timeline, goes through the
 * outbox (kept across restarts, retried with the same client id), and becomes the stored message
 * when the relay acknowledges it.
 */
import { MESSAGE_MAX, type Answer, type SendOk } from '../../protocol/index';
import type { ClientState } from './client-state';
import type { ConversationList } from './conversation-list';
import { newClientId } from './ids';
import { Outbox, type OutboxItem } from './outbox';
import type { RelayConnection } from './relay-connection';
import type { KeyValueStore } from './storage';

/** Why `text` cannot be sent: null for nothing to send (blank), an error text for the user, undefined when it can. */
export function unsendable(text: string): string | null | undefined {
  if (text.trim().length === 0) return null;
  if (text.length > MESSAGE_MAX) return `Messages are limited to ${MESSAGE_MAX} characters (this one has ${text.length}).`;
  return undefined;
}

export class Sending {
  readonly outbox: Outbox;

  constructor(
    private readonly state: ClientState,
    private readonly convs: ConversationList,
    private readonly relay: RelayConnection,
    storage: KeyValueStore,
    storageKey: string,
  ) {
    this.outbox = new Outbox((item) => this.transmit(item), {
      sent: (item, ack) => this.onSent(item, ack),
      changed: (item) => this.onChange(item),
    }, {
      load: () => storage.get<OutboxItem[]>(`${storageKey}:outbox`) ?? [],
      save: (items) => storage.set(`${storageKey}:outbox`, items),
    });
    // Messages left in the outbox by the last run show where they were written, still pending.
    for (const item of this.outbox.list()) {
      const conv = this.convs.ensure(item.room);
      conv.timeline.addPending(item.clientId, item.text, item.createdAt);
      if (item.state === 'failed') conv.timeline.setPendingStatus(item.clientId, 'failed', item.error);
    }
  }

  /** Queues a message for `room` (one `unsendable` let through). */
  send(room: string, text: string): void {
    const conv = this.convs.ensure(room);
    const clientId = newClientId();
    const now = Date.now();
    conv.timeline.addPending(clientId, text, now);
    this.outbox.enqueue(room, text, clientId, now);
    this.state.bump();
  }

  retry(clientId: string): void {
    this.outbox.retry(clientId);
  }

  discard(clientId: string): void {
    const item = this.outbox.discard(clientId);
    if (item) this.convs.get(item.room)?.timeline.removePending(clientId);
    this.state.bump();
  }

  /**
   * One attempt, ended by its ack or its ack timeout. Not `relay.request`, which answers at once when
   * the socket is down: the outbox's retry timing was built on this behaviour and is kept as it was.
   */
  private transmit(item: OutboxItem): Promise<Answer<'new message'>> {
    return this.relay.socket
      .timeout(this.relay.ackTimeoutMs)
      .emitWithAck('new message', { text: item.text, room: item.room, clientId: item.clientId });
  }

  private onSent(item: OutboxItem, ack: SendOk): void {
    const me = this.state.me.value;
    const conv = this.convs.ensure(item.room);
    if (me) {
      conv.timeline.add({ username: me.username, message: item.text, id: ack.id, seq: ack.seq, ts: ack.ts, room: ack.room, userId: me.userId, clientId: item.clientId });
    }
    conv.timeline.removePending(item.clientId);
    this.state.bump();
  }

  private onChange(item: OutboxItem): void {
    const conv = this.convs.get(item.room);
    if (!conv) return;
    if (item.state === 'failed') conv.timeline.setPendingStatus(item.clientId, 'failed', item.error);
    else conv.timeline.setPendingStatus(item.clientId, 'pending');
    this.state.bump();
  }
}
