/**
 * What the user sends: each message shows at once as pending in its timeline, goes through the
 * outbox (kept across restarts, retried with the same client id), and becomes the stored message
 * when the relay acknowledges it. A message with files waits in the outbox until their uploads are
 * done (uploads.ts), and is sent once, with their attachment ids.
 */
import { MESSAGE_MAX, type Answer, type SendOk } from '../../protocol/index';
import type { ClientState } from './client-state';
import type { ConversationList } from './conversation-list';
import { newClientId } from './ids';
import { Outbox, type OutboxItem } from './outbox';
import type { RelayConnection } from './relay-connection';
import type { KeyValueStore } from './storage';
import type { FileUpload, Uploads } from './uploads';

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
    private readonly uploads: Uploads,
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
      conv.timeline.addPending(item.clientId, item.text, item.createdAt, item.files);
      if (item.state === 'failed') conv.timeline.setPendingStatus(item.clientId, 'failed', item.error);
    }
    uploads.finished.subscribe((up) => up.message !== undefined && up.id !== undefined && this.outbox.fileDone(up.message, up.key, up.id));
    uploads.removed.subscribe((up) => up.message !== undefined && this.fileRemoved(up.message, up.key));
  }

  /**
   * Queues what the composer holds for `room`: the text and the files attached there (those that did
   * not fail). Returns undefined when queued, null when there was nothing to send (blank, no files),
   * else why not (an error text).
   */
  compose(room: string, text: string): string | null | undefined {
    const files = this.uploads.drafts(room).filter((u) => u.state !== 'failed');
    const problem = unsendable(text);
    if (problem !== undefined && (problem !== null || files.length === 0)) return problem;
    this.send(room, problem === null ? '' : text, files);
    return undefined;
  }

  /** Queues a message for `room` (one `unsendable` let through, or blank text with files). */
  send(room: string, text: string, files: readonly FileUpload[] = []): void {
    const conv = this.convs.ensure(room);
    const clientId = newClientId();
    const now = Date.now();
    const attached = files.map(({ key, name, size, id }) => ({ key, name, size, ...(id === undefined ? {} : { id }) }));
    this.uploads.bind(files, clientId);
    conv.timeline.addPending(clientId, text, now, attached);
    this.outbox.enqueue(room, text, clientId, now, attached);
    this.state.bump();
  }

  retry(clientId: string): void {
    this.outbox.retry(clientId);
  }

  discard(clientId: string): void {
    const item = this.outbox.discard(clientId);
    if (item) {
      this.convs.get(item.room)?.timeline.removePending(clientId);
      // Its files go with it (unfinished ones are deleted on the relay).
      for (const file of item.files ?? []) void this.uploads.cancel(file.key);
    }
    this.state.bump();
  }

  private fileRemoved(clientId: string, key: string): void {
    const item = this.outbox.list().find((i) => i.clientId === clientId);
    if (!item) return;
    const timeline = this.convs.get(item.room)?.timeline;
    if (this.outbox.dropFile(clientId, key)) timeline?.removePending(clientId);
    else timeline?.setPendingFiles(clientId, item.files ?? []);
    this.state.bump();
  }

  /**
   * One attempt, ended by its ack or its ack timeout. Not `relay.request`, which answers at once when
   * the socket is down: the outbox's retry timing was built on this behaviour and is kept as it was.
   */
  private transmit(item: OutboxItem): Promise<Answer<'new message'>> {
    return this.relay.socket
      .timeout(this.relay.ackTimeoutMs)
      .emitWithAck('new message', { text: item.text, room: item.room, clientId: item.clientId, ...attachments(item) });
  }

  private onSent(item: OutboxItem, ack: SendOk): void {
    const me = this.state.me.value;
    const conv = this.convs.ensure(item.room);
    if (me) {
      conv.timeline.add({ username: me.username, message: item.text, id: ack.id, seq: ack.seq, ts: ack.ts, room: ack.room, userId: me.userId, clientId: item.clientId, ...(ack.attachments ? { attachments: ack.attachments } : {}) });
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

/** The attachment ids of a message with files (the outbox sends it only once they are all known). */
function attachments(item: OutboxItem): { attachments?: string[] } {
  const ids = item.files?.flatMap((f) => (f.id === undefined ? [] : [f.id])) ?? [];
  return ids.length > 0 ? { attachments: ids } : {};
}
